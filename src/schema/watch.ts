// Watching parcels: watchShipments / unwatchShipments and Shipment.watch. A client watches its own parcels (an
// operator names the client, as for credentials); Shipment.watch shows the watch of the client the request acts for.
import { Arg, Ctx, Directive, Field, FieldResolver, GraphQLISODateTime, ID, InputType, Mutation, ObjectType, Resolver, Root, UseMiddleware } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import type { WatchView } from "../services/notifications/watches.js";
import { actingClient } from "./access.js";
import type { Context } from "./context.js";
import { MapErrors } from "./map-errors.js";
import { AUTHENTICATED, OPERATOR_OR_CLIENT } from "./scopes.js";
import { UserError } from "./payload.js";
import { Shipment } from "./shipment.js";

@ObjectType({ simpleResolvers: true, description: "A watched parcel: polled by status until it is final, each change published to the client's webhooks." })
export class ShipmentWatch {
  @Field(() => GraphQLISODateTime) since!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the answer the last poll saw was fetched from Correios; null before the first poll." })
  lastCheckedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the parcel is asked about next (by its status, with jitter); null while the watch ends." })
  nextCheckAt!: Date | null;
  @Field(() => GraphQLISODateTime, { description: "When the watch ends by itself (WATCH_MAX_DAYS after it started)." }) expiresAt!: Date;
  @Field(() => GraphQLJSON, { nullable: true, description: "As given to watchShipments; sent in every webhook of the parcel." }) metadata!: unknown;
}

function toWatch(w: WatchView): ShipmentWatch {
  return {
    since: new Date(w.since),
    lastCheckedAt: w.lastCheckedAt !== undefined ? new Date(w.lastCheckedAt) : null,
    nextCheckAt: w.nextCheckAt !== undefined ? new Date(w.nextCheckAt) : null,
    expiresAt: new Date(w.expiresAt),
    metadata: w.metadata ?? null,
  };
}

@InputType()
export class WatchShipmentsInput {
  @Field(() => ID, { nullable: true, description: "The client; a client token acts for itself, an operator must name one." }) clientId?: string | null;
  @Field(() => [String], { description: "Correios (Brazil) tracking codes; all are checked before any is watched." }) codes!: string[];
  @Field(() => GraphQLJSON, { nullable: true, description: "Up to 4 KB of JSON (an order id), sent with every change; kept when null." })
  metadata?: unknown;
}

@InputType()
export class UnwatchShipmentsInput {
  @Field(() => ID, { nullable: true }) clientId?: string | null;
  @Field(() => [String]) codes!: string[];
}

@ObjectType({ simpleResolvers: true })
export class WatchShipmentsPayload {
  @Field(() => [String], { description: "The codes now watched (normalised). Empty when any code was refused." }) watched!: string[];
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ simpleResolvers: true })
export class UnwatchShipmentsPayload {
  @Field(() => [String], { description: "The codes no longer watched (normalised), whether or not they were. Empty when any code was refused." })
  watched!: string[];
  @Field(() => [UserError]) userErrors!: UserError[];
}

@Resolver(() => Shipment)
@UseMiddleware(MapErrors)
export class WatchResolver {
  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => WatchShipmentsPayload, { description: "Watches parcels: what each shows at the first poll is its baseline; every change after it is published once." })
  watchShipments(@Arg("input", () => WatchShipmentsInput) input: WatchShipmentsInput, @Ctx() ctx: Context): Promise<WatchShipmentsPayload> {
    return ctx.services.watches.watch(actingClient(ctx, input.clientId), input.codes, input.metadata);
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => UnwatchShipmentsPayload, { description: "Stops watching parcels (their polls stop)." })
  unwatchShipments(@Arg("input", () => UnwatchShipmentsInput) input: UnwatchShipmentsInput, @Ctx() ctx: Context): Promise<UnwatchShipmentsPayload> {
    return ctx.services.watches.unwatch(actingClient(ctx, input.clientId), input.codes);
  }

  @FieldResolver(() => ShipmentWatch, { nullable: true, description: "This client's watch of the parcel; null when it does not watch it." })
  async watch(@Root() s: Shipment, @Ctx() ctx: Context): Promise<ShipmentWatch | null> {
    // One client's watch: never in a shared cache, and it changes at every poll.
    ctx.cacheHints.add(0, "PRIVATE");
    const w = await ctx.loaders.watch.load(s.code);
    return w ? toWatch(w) : null;
  }
}
