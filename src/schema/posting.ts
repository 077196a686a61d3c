// Posting: a Correios pre-posting (tracking code and label before the parcel is handed over), its inputs, payloads,
// connection and resolvers. Resolvers check who acts, call the posting service, and map the stored record.
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Directive, Field, FieldResolver, Float, GraphQLISODateTime, ID, Info, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, UseMiddleware, registerEnumType } from "type-graphql";
import { AUTHENTICATED, OPERATOR_OR_CLIENT } from "./scopes.js";
import { formatCents } from "../correios/domain/money.js";
import { POSTING_STATUSES, type PostingStatus as Status } from "../correios/domain/posting-rules.js";
import { ADDITIONAL_SERVICES, productOf } from "../correios/domain/products.js";
import type { Party as PartyRecord } from "../correios/domain/posting.js";
import type { StoredPosting } from "../store/postings.js";
import type { Context } from "./context.js";
import type { QuoteAdditionalService } from "../services/quotes/quote-input.js";
import { actingClient, readerScope } from "./access.js";
import { MapErrors } from "./map-errors.js";
import { UserError, Warning } from "./payload.js";
import { AdditionalService, Money, PackageFormat, PackageInput } from "./quote.js";
import { loadShipment, Shipment } from "./shipment.js";
import { BadUserInputError } from "./errors.js";

export const PostingStatus = Object.fromEntries([...Object.values(POSTING_STATUSES), "UNKNOWN"].map((s) => [s, s])) as { [K in Status | "UNKNOWN"]: K };
registerEnumType(PostingStatus, {
  name: "PostingStatus",
  description: "Correios' pre-posting status: PREATENDIDO, PREPOSTADO, POSTADO, EXPIRADO, CANCELADO, ESTORNADO (UNKNOWN for anything else).",
});

@ObjectType({ simpleResolvers: true, description: "A postal address as given for a posting." })
export class PostalAddress {
  @Field(() => String) cep!: string;
  @Field(() => String) street!: string;
  @Field(() => String) number!: string;
  @Field(() => String, { nullable: true }) complement!: string | null;
  @Field(() => String) district!: string;
  @Field(() => String) city!: string;
  @Field(() => String) state!: string;
}

@ObjectType({ simpleResolvers: true, description: "Sender or recipient of a posting." })
export class Party {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: "CPF (11 digits) or CNPJ (14 digits)." }) document!: string | null;
  @Field(() => String, { nullable: true, description: "Landline: area code and 8 digits." }) phone!: string | null;
  @Field(() => String, { nullable: true, description: "Mobile: area code and 9 digits." }) mobile!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => PostalAddress) address!: PostalAddress;
}

@ObjectType({ simpleResolvers: true })
export class ContentItem {
  @Field(() => String) description!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Money) unitValue!: Money;
}

@ObjectType({ simpleResolvers: true, description: "The package as sent: weight in grams, sides rounded up to whole centimetres." })
export class PostingPackage {
  @Field(() => PackageFormat) format!: string;
  @Field(() => Int) weightGrams!: number;
  @Field(() => Float, { nullable: true }) lengthCm!: number | null;
  @Field(() => Float, { nullable: true }) widthCm!: number | null;
  @Field(() => Float, { nullable: true }) heightCm!: number | null;
  @Field(() => Float, { nullable: true }) diameterCm!: number | null;
}

@ObjectType({ simpleResolvers: true })
export class PostingStatusChange {
  @Field(() => PostingStatus) status!: string;
  @Field(() => String, { nullable: true, description: "ISO 8601 with offset." }) at!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class PostingService {
  @Field(() => String, { description: "Correios service code, such as 03298." }) code!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class AdditionalServiceItem {
  @Field(() => String, { description: "Correios code, such as 001." }) code!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class Invoice {
  @Field(() => String, { nullable: true }) number!: string | null;
  @Field(() => String, { nullable: true, description: "NF-e access key, 44 digits." }) accessKey!: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType({ simpleResolvers: true, description: "A Correios pre-posting: tracking code and label before the parcel is handed over at an agency." })
export class Posting {
  @Field(() => ID, { description: "Correios' pre-posting id: 24 characters starting with PR." }) id!: string;
  @Field(() => ID) clientId!: string;
  @Field(() => String, { nullable: true, description: "The tracking code Correios allocated." }) trackingCode!: string | null;
  @Field(() => PostingStatus) status!: string;
  @Field(() => [PostingStatusChange]) statusHistory!: PostingStatusChange[];
  @Field(() => PostingService) service!: PostingService;
  @Field(() => Party) sender!: Party;
  @Field(() => Party) recipient!: Party;
  @Field(() => PostingPackage) package!: PostingPackage;
  @Field(() => [ContentItem]) declaredContent!: ContentItem[];
  @Field(() => [AdditionalServiceItem]) additionalServices!: AdditionalServiceItem[];
  @Field(() => Money, { nullable: true }) declaredValue!: Money | null;
  @Field(() => Invoice, { nullable: true }) invoice!: Invoice | null;
  @Field(() => Money, { nullable: true, description: "Correios' price at pre-posting, when it gives one." }) price!: Money | null;
  @Field(() => Money, { nullable: true, description: "What Correios charged once the parcel was posted." }) chargedPrice!: Money | null;
  @Field(() => String, { nullable: true, description: "When the parcel was posted (ISO 8601), once it is." }) postedAt!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { description: "An unposted pre-posting expires 7 days after creation." }) expiresAt!: Date;
  @Field(() => String, { description: "Path on this server of the content declaration (HTML), same auth as /graphql." }) declarationUrl!: string;
}

export const money = (cents: number | undefined | null): Money | null =>
  cents === undefined || cents === null ? null : { amount: formatCents(cents), cents, currency: "BRL" };

const phone = (p: { areaCode: string; number: string } | undefined) => (p ? `(${p.areaCode}) ${p.number.slice(0, -4)}-${p.number.slice(-4)}` : null);

export function toParty(p: PartyRecord): Party {
  return {
    name: p.name,
    document: p.document?.digits ?? null,
    phone: phone(p.phone),
    mobile: phone(p.mobile),
    email: p.email ?? null,
    address: { ...p.address, complement: p.address.complement ?? null },
  };
}

export function toPosting(p: StoredPosting): Posting {
  const r = p.request;
  return {
    id: p.id,
    clientId: p.clientId,
    trackingCode: p.trackingCode ?? null,
    status: p.status,
    statusHistory: p.statusHistory.map((h) => ({ status: h.status, at: h.at ?? null })),
    service: { code: r.service, name: productOf(r.service)?.name ?? null },
    sender: toParty(r.sender),
    recipient: toParty(r.recipient),
    package: {
      format: r.package.format,
      weightGrams: r.package.weightGrams,
      lengthCm: r.package.lengthCm ?? null,
      widthCm: r.package.widthCm ?? null,
      heightCm: r.package.heightCm ?? null,
      diameterCm: r.package.diameterCm ?? null,
    },
    declaredContent: r.declaredContent.map((i) => ({ description: i.description, quantity: i.quantity, unitValue: money(i.unitValueCents)! })),
    additionalServices: r.additionalServices.map((code) => ({ code, name: ADDITIONAL_SERVICES[code]?.name ?? null })),
    declaredValue: r.declaredValueCents > 0 ? money(r.declaredValueCents) : null,
    invoice: r.invoice ? { number: r.invoice.number ?? null, accessKey: r.invoice.accessKey ?? null } : null,
    price: money(p.priceCents),
    chargedPrice: money(p.chargedCents),
    postedAt: p.postedAt ?? null,
    createdAt: new Date(p.createdAt),
    expiresAt: new Date(p.expiresAt),
    declarationUrl: `/postings/${p.id}/declaration.html`,
  };
}

@InputType()
export class AddressInput {
  @Field(() => String) cep!: string;
  @Field(() => String) street!: string;
  @Field(() => String) number!: string;
  @Field(() => String, { nullable: true }) complement?: string | null;
  @Field(() => String) district!: string;
  @Field(() => String) city!: string;
  @Field(() => String, { description: "Two-letter state (UF)." }) state!: string;
}

@InputType()
export class PartyInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: "CPF or CNPJ, punctuation allowed; check digits are verified." }) document?: string | null;
  @Field(() => String, { nullable: true, description: "Landline with area code. A 9-digit mobile number goes in mobile." }) phone?: string | null;
  @Field(() => String, { nullable: true, description: "Mobile with area code." }) mobile?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => AddressInput) address!: AddressInput;
}

@InputType()
export class ContentItemInput {
  @Field(() => String, { description: "What it is, at least 5 characters; generic words (produto, volume 1) are refused." }) description!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => String, { description: "BRL per unit, such as 49.90." }) unitValue!: string;
}

@InputType()
export class InvoiceInput {
  @Field(() => String, { nullable: true }) number?: string | null;
  @Field(() => String, { nullable: true }) accessKey?: string | null;
}

@InputType()
export class CreatePostingInput {
  @Field(() => ID, { nullable: true, description: "An operator acts for a client; a client token acts for itself." }) clientId?: string | null;
  @Field(() => String, { description: "The same key from the same client returns the first result and never makes a second pre-posting." })
  idempotencyKey!: string;
  @Field(() => String, { description: "Correios service code, such as 03298 (PAC) or 03220 (SEDEX)." }) service!: string;
  @Field(() => PartyInput) sender!: PartyInput;
  @Field(() => PartyInput) recipient!: PartyInput;
  @Field(() => PackageInput) package!: PackageInput;
  @Field(() => [ContentItemInput]) declaredContent!: ContentItemInput[];
  @Field(() => [AdditionalService], { nullable: true }) additionalServices?: QuoteAdditionalService[] | null;
  @Field(() => String, { nullable: true, description: "BRL; adds the service's declared-value option." }) declaredValue?: string | null;
  @Field(() => InvoiceInput, { nullable: true }) invoice?: InvoiceInput | null;
}

@InputType()
export class PostingFilter {
  @Field(() => PostingStatus, { nullable: true }) status?: Status | null;
  @Field(() => String, { nullable: true }) trackingCode?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) createdFrom?: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) createdTo?: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class PostingPayload {
  @Field(() => Posting, { nullable: true }) posting!: Posting | null;
  @Field(() => [UserError]) userErrors!: UserError[];
  @Field(() => [Warning]) warnings!: Warning[];
}

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class PostingEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Posting) node!: Posting;
}

@ObjectType({ simpleResolvers: true })
export class PostingConnection {
  @Field(() => [PostingEdge]) edges!: PostingEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

export const MAX_PAGE = 100;

/** Relay-style slice of an ordered list: the cursor is the base64url of the last item's id. */
export function page<T extends { id: string }, N>(items: T[], first: number, after: string | null | undefined, map: (t: T) => N): { edges: Array<{ cursor: string; node: N }>; pageInfo: PageInfo; totalCount: number } {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw new BadUserInputError(`first is from 1 to ${MAX_PAGE}.`, "first");
  let start = 0;
  if (after) {
    const id = Buffer.from(after, "base64url").toString("utf8");
    const i = items.findIndex((t) => t.id === id);
    if (i < 0) throw new BadUserInputError("This cursor is not in the list (it may belong to another filter).", "after");
    start = i + 1;
  }
  const slice = items.slice(start, start + first);
  const cursor = (t: T) => Buffer.from(t.id, "utf8").toString("base64url");
  return {
    edges: slice.map((t) => ({ cursor: cursor(t), node: map(t) })),
    pageInfo: { hasNextPage: start + first < items.length, endCursor: slice.length ? cursor(slice[slice.length - 1]!) : null },
    totalCount: items.length,
  };
}

export const payload = (p: { posting: StoredPosting | null; userErrors: UserError[]; warnings: Warning[] }): PostingPayload => ({
  posting: p.posting ? toPosting(p.posting) : null,
  userErrors: p.userErrors,
  warnings: p.warnings,
});

/**
 * A client's own record (or its absence) is a private cache hint, kept as long as the store answers it without asking
 * Correios again: the rest of POSTING_REFRESH_SECONDS since its last refresh, or all of it for one not refreshed any more.
 */
export function hintStored(ctx: Context, p: StoredPosting | undefined, info?: GraphQLResolveInfo): void {
  const refresh = ctx.services.config.POSTING_REFRESH_SECONDS;
  const left = p ? refresh - Math.floor((ctx.cacheHints.now - Date.parse(p.refreshedAt)) / 1000) : refresh;
  ctx.cacheHints.add(left > 0 ? left : refresh, "PRIVATE", info);
}

export async function resolvePostingReference(ref: { id?: unknown }, ctx: Context, info?: GraphQLResolveInfo): Promise<Posting | null> {
  const p = await ctx.services.postings.get(String(ref.id ?? ""), readerScope(ctx), "OUTBOUND");
  hintStored(ctx, p, info);
  return p ? toPosting(p) : null;
}

@Resolver(() => Posting)
@UseMiddleware(MapErrors)
export class PostingResolver {
  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Query(() => Posting, { nullable: true, description: "One posting (a client sees only its own); refreshed from Correios when old." })
  posting(@Arg("id", () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Posting | null> {
    return resolvePostingReference({ id }, ctx, info);
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Query(() => PostingConnection, { description: "Postings, newest first (a client sees only its own; an operator may name a client)." })
  async postings(
    @Ctx() ctx: Context,
    @Arg("filter", () => PostingFilter, { nullable: true }) filter?: PostingFilter | null,
    @Arg("first", () => Int, { defaultValue: 20 }) first = 20,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
    @Arg("clientId", () => ID, { nullable: true }) clientId?: string | null,
  ): Promise<PostingConnection> {
    const scope = readerScope(ctx) ?? (clientId?.trim() || undefined);
    const all = await ctx.services.postings.list(scope, filter ?? {}, "OUTBOUND");
    return page(all, first, after, toPosting);
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => PostingPayload, { description: "Creates a Correios pre-posting: validated first, made once per idempotency key." })
  async createPosting(@Arg("input", () => CreatePostingInput) input: CreatePostingInput, @Ctx() ctx: Context): Promise<PostingPayload> {
    return payload(await ctx.services.postings.create(actingClient(ctx, input.clientId), input));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => PostingPayload, { description: "Cancels a pre-posting through Correios (refused once posted)." })
  async cancelPosting(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<PostingPayload> {
    return payload(await ctx.services.postings.cancel(id, readerScope(ctx), "OUTBOUND"));
  }

  @FieldResolver(() => Shipment, { nullable: true, description: "The parcel as Correios tracks it (the federated entity)." })
  shipment(@Root() p: Posting, @Ctx() ctx: Context): Promise<Shipment> | null {
    return p.trackingCode ? loadShipment(ctx, p.trackingCode, "trackingCode") : null;
  }
}
