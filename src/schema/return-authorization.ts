// ReturnAuthorization: a reverse pre-posting the customer shows at a post office (or a pickup at home), its inputs,
// payloads and resolvers, and Shipment.returnAuthorization linking an outbound parcel to its return.
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Directive, Field, FieldResolver, GraphQLISODateTime, ID, Info, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, UseMiddleware, registerEnumType } from "type-graphql";
import { AUTHENTICATED, OPERATOR_OR_CLIENT } from "./scopes.js";
import { REVERSE_SERVICES, type ReturnMode as Mode } from "../correios/domain/reverse-services.js";
import type { StoredPosting } from "../store/postings.js";
import type { Context } from "./context.js";
import type { QuoteAdditionalService } from "../services/quotes/quote-input.js";
import { actingClient, readerScope } from "./access.js";
import { MapErrors } from "./map-errors.js";
import { UserError, Warning } from "./payload.js";
import { ContentItemInput, hintStored, page, PageInfo, Party, PartyInput, PostingFilter, PostingStatus, toParty } from "./posting.js";
import { AdditionalService, PackageInput } from "./quote.js";
import { loadShipment, Shipment } from "./shipment.js";

export const ReturnMode = { DROP_OFF: "DROP_OFF", PICKUP: "PICKUP" } as const satisfies { [K in Mode]: K };
registerEnumType(ReturnMode, {
  name: "ReturnMode",
  valuesConfig: {
    DROP_OFF: { description: "The customer takes the parcel to an agency and shows the authorization code." },
    PICKUP: { description: "Correios collects the parcel at the customer's address (collection number)." },
  },
});

@ObjectType({ simpleResolvers: true })
export class ReverseService {
  @Field(() => String) code!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType({ simpleResolvers: true, description: "A return authorization (logística reversa): the customer sends a parcel back to the shop." })
export class ReturnAuthorization {
  @Field(() => ID) id!: string;
  @Field(() => ID) clientId!: string;
  @Field(() => String, {
    nullable: true,
    description: "What the customer shows at the agency. UNCONFIRMED which Correios field carries it: the e-ticket when present, else the object code.",
  })
  authorizationCode!: string | null;
  @Field(() => String, { nullable: true }) trackingCode!: string | null;
  @Field(() => String, { nullable: true, description: "The outbound parcel this return is for (codigoObjetoIda)." }) originalTrackingCode!: string | null;
  @Field(() => String, { description: "Last day the authorization is valid (YYYY-MM-DD)." }) validUntil!: string;
  @Field(() => ReturnMode) mode!: Mode;
  @Field(() => String, { nullable: true, description: "PICKUP: Correios' collection number." }) collectionNumber!: string | null;
  @Field(() => PostingStatus) status!: string;
  @Field(() => Party, { description: "Who sends the parcel back." }) customer!: Party;
  @Field(() => Party, { description: "The shop the parcel goes back to." }) recipient!: Party;
  @Field(() => ReverseService) service!: ReverseService;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

export function toReturn(p: StoredPosting): ReturnAuthorization {
  const r = p.reverse!;
  return {
    id: p.id,
    clientId: p.clientId,
    authorizationCode: r.authorizationCode ?? null,
    trackingCode: p.trackingCode ?? null,
    originalTrackingCode: r.originalTrackingCode ?? null,
    validUntil: r.validUntil,
    mode: r.mode,
    collectionNumber: r.collectionNumber ?? null,
    status: p.status,
    customer: toParty(p.request.sender),
    recipient: toParty(p.request.recipient),
    service: { code: p.request.service, name: REVERSE_SERVICES[p.request.service]?.name ?? null },
    createdAt: new Date(p.createdAt),
  };
}

@InputType()
export class CreateReturnInput {
  @Field(() => ID, { nullable: true }) clientId?: string | null;
  @Field(() => String) idempotencyKey!: string;
  @Field(() => String, { description: "A reverse service, such as 03301 (PAC REVERSO)." }) service!: string;
  @Field(() => PartyInput, { description: "The customer who sends the parcel back." }) customer!: PartyInput;
  @Field(() => PartyInput, { nullable: true, description: "The shop; by default the sender of this client's latest posting." }) recipient?: PartyInput | null;
  @Field(() => PackageInput) package!: PackageInput;
  @Field(() => [ContentItemInput]) declaredContent!: ContentItemInput[];
  @Field(() => [AdditionalService], { nullable: true }) additionalServices?: QuoteAdditionalService[] | null;
  @Field(() => String, { nullable: true }) declaredValue?: string | null;
  @Field(() => Int, { nullable: true, description: "Days the authorization is valid (default 30)." }) validForDays?: number | null;
  @Field(() => ReturnMode) mode!: Mode;
  @Field(() => String, { nullable: true, description: "The outbound parcel's tracking code (check digit verified)." }) originalTrackingCode?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class ReturnPayload {
  @Field(() => ReturnAuthorization, { nullable: true }) returnAuthorization!: ReturnAuthorization | null;
  @Field(() => [UserError]) userErrors!: UserError[];
  @Field(() => [Warning]) warnings!: Warning[];
}

@ObjectType({ simpleResolvers: true })
export class ReturnEdge {
  @Field(() => String) cursor!: string;
  @Field(() => ReturnAuthorization) node!: ReturnAuthorization;
}

@ObjectType({ simpleResolvers: true })
export class ReturnConnection {
  @Field(() => [ReturnEdge]) edges!: ReturnEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

const payload = (p: { posting: StoredPosting | null; userErrors: UserError[]; warnings: Warning[] }): ReturnPayload => ({
  returnAuthorization: p.posting ? toReturn(p.posting) : null,
  userErrors: p.userErrors,
  warnings: p.warnings,
});

export async function resolveReturnReference(ref: { id?: unknown }, ctx: Context, info?: GraphQLResolveInfo): Promise<ReturnAuthorization | null> {
  const p = await ctx.services.postings.get(String(ref.id ?? ""), readerScope(ctx), "RETURN");
  hintStored(ctx, p, info);
  return p ? toReturn(p) : null;
}

@Resolver(() => ReturnAuthorization)
@UseMiddleware(MapErrors)
export class ReturnAuthorizationResolver {
  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Query(() => ReturnAuthorization, { nullable: true })
  returnAuthorization(@Arg("id", () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<ReturnAuthorization | null> {
    return resolveReturnReference({ id }, ctx, info);
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Query(() => ReturnConnection, { description: "Returns, newest first (a client sees only its own)." })
  async returns(
    @Ctx() ctx: Context,
    @Arg("filter", () => PostingFilter, { nullable: true }) filter?: PostingFilter | null,
    @Arg("first", () => Int, { defaultValue: 20 }) first = 20,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
    @Arg("clientId", () => ID, { nullable: true }) clientId?: string | null,
  ): Promise<ReturnConnection> {
    const scope = readerScope(ctx) ?? (clientId?.trim() || undefined);
    return page(await ctx.services.postings.list(scope, filter ?? {}, "RETURN"), first, after, toReturn);
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => ReturnPayload, { description: "Issues a return authorization: validated first, made once per idempotency key." })
  async createReturn(@Arg("input", () => CreateReturnInput) input: CreateReturnInput, @Ctx() ctx: Context): Promise<ReturnPayload> {
    return payload(await ctx.services.returns.create(actingClient(ctx, input.clientId), input));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => ReturnPayload)
  async cancelReturn(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<ReturnPayload> {
    return payload(await ctx.services.postings.cancel(id, readerScope(ctx), "RETURN"));
  }

  @FieldResolver(() => Shipment, { nullable: true, description: "The return parcel as Correios tracks it." })
  shipment(@Root() r: ReturnAuthorization, @Ctx() ctx: Context): Promise<Shipment> | null {
    return r.trackingCode ? loadShipment(ctx, r.trackingCode, "trackingCode") : null;
  }
}

@Resolver(() => Shipment)
@UseMiddleware(MapErrors)
export class ShipmentReturnResolver {
  @FieldResolver(() => ReturnAuthorization, { nullable: true, description: "The return issued for this outbound parcel, if any (newest)." })
  async returnAuthorization(@Root() s: Shipment, @Ctx() ctx: Context): Promise<ReturnAuthorization | null> {
    const r = await ctx.loaders.returnByOriginal.load(s.code);
    hintStored(ctx, r);
    return r ? toReturn(r) : null;
  }
}
