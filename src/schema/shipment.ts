// Shipment: the federated entity keyed by tracking code, its reference resolver and the tracking queries.
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Directive, Field, ID, Info, ObjectType, Query, Resolver, registerEnumType, GraphQLISODateTime } from "type-graphql";
import { carrierOfCode, parseCarrierTrackingCode } from "../correos-es/codes.js";
import { Carrier } from "./credential.js";
import type { Place, TrackingEvent as UpstreamEvent } from "../correios/client/tracking.js";
import { SHIPMENT_STATUSES, type ShipmentStatus as Status } from "../correios/domain/tracking-status.js";
import type { ShipmentResult } from "../services/tracking.js";
import { whenReady, type MaybePromise } from "../services/maybe-promise.js";
import type { Context } from "./context.js";
import { BadUserInputError, toGraphQLError } from "./errors.js";

export const ShipmentStatus = Object.fromEntries(SHIPMENT_STATUSES.map((s) => [s, s])) as { [K in Status]: K };
registerEnumType(ShipmentStatus, {
  name: "ShipmentStatus",
  description: "Normalized status, from the latest Correios event (table in src/correios/domain/tracking-status.ts).",
});

@ObjectType({ simpleResolvers: true, description: "A Correios unit or place." })
export class Location {
  @Field(() => String, { nullable: true }) unitName!: string | null;
  @Field(() => String, { nullable: true }) unitType!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true, description: "Two-letter Brazilian state (UF); null for a unit abroad." }) state!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Two-letter country (ISO 3166): "BR" for a unit in Brazil, else the country of a unit abroad (e.g. "HK").',
  })
  country!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class TrackingEvent {
  @Field(() => String, { description: "Correios event type, such as BDE." }) code!: string;
  @Field(() => String, { description: "Correios event status number, such as 01." }) type!: string;
  @Field(() => ShipmentStatus) status!: Status;
  @Field(() => String) description!: string;
  @Field(() => String, { nullable: true }) detail!: string | null;
  @Field(() => String, {
    description:
      "ISO 8601. In Brazil with the Brasília offset, e.g. 2026-10-01T11:42:00-03:00; at a unit abroad without an offset, " +
      "as Correios wrote it (Correios does not say which clock such times use).",
  })
  time!: string;
  @Field(() => Location, { nullable: true }) location!: Location | null;
  @Field(() => Location, { nullable: true }) destination!: Location | null;
}

@ObjectType({ simpleResolvers: true, description: "The Correios product, from the answer or the code's prefix." })
export class ShipmentService {
  @Field(() => String) prefix!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) category!: string | null;
  @Field(() => String, { nullable: true, description: "SEDEX, PAC, MINI or OTHER when the prefix is known." }) family!: string | null;
}

@Directive('@key(fields: "code")')
@ObjectType({ simpleResolvers: true, description: "A parcel tracked by Correios (SRO Rastro), keyed by its tracking code." })
export class Shipment {
  @Field(() => ID, { description: "13-character tracking code, e.g. AA123456785BR." }) code!: string;
  @Field(() => Carrier, { description: "CORREIOS_BR, or CORREOS_ES for S10 codes ending in ES and Correos' national codes." })
  carrier!: Carrier;
  @Field(() => ShipmentStatus) status!: Status;
  @Field(() => Boolean) delivered!: boolean;
  @Field(() => TrackingEvent, { nullable: true }) lastEvent!: TrackingEvent | null;
  @Field(() => [TrackingEvent], { description: "Newest first." }) events!: TrackingEvent[];
  @Field(() => String, { nullable: true, description: "Expected delivery (ISO 8601 with offset) when Correios gives it." })
  expectedDelivery!: string | null;
  @Field(() => ShipmentService, { nullable: true }) service!: ShipmentService | null;
  @Field(() => String, { nullable: true, description: "Correios' message when there is no history (e.g. SRO-020 not found)." })
  message!: string | null;
  @Field(() => GraphQLISODateTime, { description: "When this answer was fetched from Correios." }) fetchedAt!: Date;
  @Field(() => Boolean, { description: "True when Correios could not be reached and this is the last known answer." })
  stale!: boolean;
}

function location(p: Place | undefined): Location | null {
  if (!p) return null;
  return { unitName: p.unitName ?? null, unitType: p.unitType ?? null, city: p.city ?? null, state: p.state ?? null, country: p.country ?? null };
}

function event(e: UpstreamEvent): TrackingEvent {
  return { ...e, detail: e.detail ?? null, location: location(e.location), destination: location(e.destination) };
}

/**
 * What only some queries select is worked out when read, by getters on the class: a status list (the common storefront
 * query) maps no events, dates or service, and a shipment costs one object rather than an object with its own closures.
 * graphql-js reads this object itself (type-graphql's copy for field resolvers keeps code and status).
 */
class ShipmentView implements Shipment {
  code: string;
  status: Status;
  delivered: boolean;
  expectedDelivery: string | null;
  message: string | null;
  stale: boolean;
  private mapped?: TrackingEvent[];

  constructor(private readonly result: ShipmentResult) {
    const o = result.object;
    this.code = o.code;
    this.status = o.status;
    this.delivered = o.status === "DELIVERED";
    this.expectedDelivery = o.expectedDelivery ?? null;
    this.message = o.message ?? null;
    this.stale = result.stale;
  }

  get carrier(): Carrier {
    return carrierOfCode(this.code) === "CORREOS_ES" ? Carrier.CORREOS_ES : Carrier.CORREIOS_BR;
  }

  get events(): TrackingEvent[] {
    return (this.mapped ??= this.result.object.events.map(event));
  }

  get lastEvent(): TrackingEvent | null {
    return this.events[0] ?? null;
  }

  get service(): ShipmentService | null {
    const service = this.result.object.service;
    return service ? { prefix: service.prefix, name: service.name ?? null, category: service.category ?? null, family: service.family ?? null } : null;
  }

  get fetchedAt(): Date {
    return new Date(this.result.fetchedAt);
  }
}

export function toShipment(r: ShipmentResult): Shipment {
  return new ShipmentView(r);
}

/**
 * Validates one code and loads it through the request's DataLoader; errors come back typed. A parcel's history is the
 * same whoever asks, so it is a public cache hint, kept as long as the tracking cache keeps it; `info` from a root
 * resolver (a query, an entity) counts it as that root's hint.
 */
export async function loadShipment(ctx: Context, rawCode: string, field = "code", info?: GraphQLResolveInfo): Promise<Shipment> {
  const parsed = parseCarrierTrackingCode(rawCode);
  if (!parsed.ok) throw new BadUserInputError(parsed.message, field);
  let r: ShipmentResult;
  try {
    r = await ctx.loaders.shipment.load(parsed.value.code);
  } catch (e) {
    throw toGraphQLError(e);
  }
  ctx.cacheHints.until(r.freshUntil, "PUBLIC", info);
  return toShipment(r);
}

export function resolveShipmentReference(ref: { code?: unknown }, ctx: Context, info: GraphQLResolveInfo): Promise<Shipment> {
  // As sent (_Any is not coerced): parseTrackingCode says an object is not a string instead of quoting "[object Object]".
  return loadShipment(ctx, ref.code as string, "code", info);
}

@Resolver(() => Shipment)
export class ShipmentResolver {
  @Query(() => Shipment, { nullable: true, description: "Tracks one parcel." })
  shipment(@Arg("code", () => String) code: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Shipment> {
    return loadShipment(ctx, code, "code", info);
  }

  @Query(() => [Shipment], {
    nullable: "items",
    description: "Tracks many parcels in as few Correios calls as possible. A bad or failed code is null with its own error; the others resolve.",
  })
  shipments(
    @Arg("codes", () => [String]) codes: string[],
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<Array<Shipment | Error>> {
    return resolveShipments(codes, ctx, info);
  }
}

/**
 * The two tracking queries as run: type-graphql's handler makes every resolver with an argument asynchronous (its
 * argument validation step is an async function even with validation off) and converts each item of a list
 * argument, about 3 % of a warm shipments(50). These fields take plain strings, so nothing is lost by calling them
 * directly; the decorated methods above still declare them in the schema (schema/build.ts puts these in their place).
 */
export const TRACKING_QUERY_RESOLVERS = {
  shipment: (_root: unknown, args: { code: string }, ctx: Context, info: GraphQLResolveInfo) => loadShipment(ctx, args.code, "code", info),
  shipments: (_root: unknown, args: { codes: string[] }, ctx: Context, info: GraphQLResolveInfo) => resolveShipments(args.codes, ctx, info),
};

/**
 * One batch for the list rather than a promise per item: graphql-js then completes plain values, and an Error in an
 * item's place becomes that item's error (null, with its path), leaving the others alone. A list that memory answers
 * whole is returned at once, not as a promise.
 */
export function resolveShipments(codes: string[], ctx: Context, info: GraphQLResolveInfo): MaybePromise<Array<Shipment | Error>> {
  const max = ctx.services.config.MAX_CODES_PER_REQUEST;
  if (codes.length > max) throw new BadUserInputError(`At most ${max} codes per request; ${codes.length} were given.`, "codes");
  const parsed = codes.map((c) => parseCarrierTrackingCode(c));
  const valid: string[] = [];
  for (const p of parsed) if (p.ok) valid.push(p.value.code);
  return whenReady(ctx.loaders.trackMany(valid), (loaded) => {
    let next = 0;
    let hinted = 0;
    let freshUntil = Number.POSITIVE_INFINITY;
    const items = parsed.map((p, i) => {
      if (!p.ok) return new BadUserInputError(p.message, `codes[${i}]`);
      const r = loaded[next++]!;
      if (r instanceof Error) return toGraphQLError(r);
      hinted++;
      if (r.freshUntil < freshUntil) freshUntil = r.freshUntil;
      return toShipment(r);
    });
    // One hint for the items that resolved (the answer is cacheable only if all did).
    if (hinted) ctx.cacheHints.until(freshUntil, "PUBLIC", info, hinted);
    return items;
  });
}
