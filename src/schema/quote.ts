// Quotes: price and delivery time of each Correios service for one route and package.
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Field, Float, GraphQLISODateTime, Info, InputType, Int, ObjectType, Query, Resolver, registerEnumType, UseMiddleware } from "type-graphql";
import { formatCents } from "../correios/domain/money.js";
import { PACKAGE_LIMITS, type FormatLimits, type PackageFormat as Format, type Range } from "../correios/domain/package-limits.js";
import type { PriceParts as UpstreamParts } from "../correios/client/pricing.js";
import { ADDITIONAL_SERVICES, DEFAULT_SERVICE_CODES } from "../correios/domain/products.js";
import type { QuoteAdditionalService } from "../services/quotes/quote-input.js";
import type { QuoteResult } from "../services/quotes/quotes.js";
import type { Context } from "./context.js";
import { MapErrors } from "./map-errors.js";

export const PackageFormat = { ENVELOPE: "ENVELOPE", BOX: "BOX", ROLL: "ROLL" } as const satisfies { [K in Format]: K };
registerEnumType(PackageFormat, {
  name: "PackageFormat",
  description: "How the parcel is packed (Correios tpObjeto 1, 2, 3); the size limits differ per format.",
  valuesConfig: {
    ENVELOPE: { description: `Envelope: ${describeLimits(PACKAGE_LIMITS.ENVELOPE)}` },
    BOX: { description: `Box or package: ${describeLimits(PACKAGE_LIMITS.BOX)}` },
    ROLL: { description: `Roll or cylinder: ${describeLimits(PACKAGE_LIMITS.ROLL)}` },
  },
});

/** The limits as text, from the one table in package-limits.ts. */
function describeLimits(l: FormatLimits): string {
  const r = (name: string, x: Range | undefined) => (x ? [`${name} ${x.min}–${x.max} cm`] : []);
  return [
    ...r("length", l.lengthCm),
    ...r("width", l.widthCm),
    ...r("height", l.heightCm),
    ...r("diameter", l.diameterCm),
    ...(l.maxSumCm !== undefined ? [`length + width + height at most ${l.maxSumCm} cm`] : []),
    ...(l.maxLengthPlusTwoDiametersCm !== undefined ? [`length + 2 × diameter at most ${l.maxLengthPlusTwoDiametersCm} cm`] : []),
    `up to ${l.maxWeightGrams} g.`,
  ].join(", ");
}

export const AdditionalService = {
  ACKNOWLEDGEMENT_OF_RECEIPT: "ACKNOWLEDGEMENT_OF_RECEIPT",
  OWN_HANDS: "OWN_HANDS",
  DELIVERY_TO_NEIGHBOUR: "DELIVERY_TO_NEIGHBOUR",
  ELECTRONIC_ACKNOWLEDGEMENT_OF_RECEIPT: "ELECTRONIC_ACKNOWLEDGEMENT_OF_RECEIPT",
  NATIONAL_REGISTRATION: "NATIONAL_REGISTRATION",
  LARGE_FORMAT: "LARGE_FORMAT",
} as const satisfies { [K in QuoteAdditionalService]: K };
registerEnumType(AdditionalService, {
  name: "AdditionalService",
  description: "Extra services a quote can include (servicosAdicionais). Declared value is added by giving declaredValue.",
  valuesConfig: Object.fromEntries(
    Object.entries(ADDITIONAL_SERVICES)
      .filter(([, s]) => s.key !== "DECLARED_VALUE")
      .map(([code, s]) => [s.key, { description: `${s.name}; Correios code ${code}.` }]),
  ),
});

export enum QuoteErrorSource {
  INPUT = "INPUT",
  PRICE = "PRICE",
  DEADLINE = "DEADLINE",
}
registerEnumType(QuoteErrorSource, {
  name: "QuoteErrorSource",
  valuesConfig: {
    INPUT: { description: "A limit of this service (weight, declared value) refused it before asking Correios." },
    PRICE: { description: "The price API refused this service (price is null)." },
    DEADLINE: { description: "The deadline API refused this service (delivery fields are null)." },
  },
});

@InputType({ description: "Weight in grams, dimensions in centimetres (rounded up to whole cm)." })
export class PackageInput {
  @Field(() => PackageFormat) format!: Format;
  @Field(() => Int) weightGrams!: number;
  @Field(() => Float, { nullable: true, description: "Envelope, box and roll." }) lengthCm?: number | null;
  @Field(() => Float, { nullable: true, description: "Envelope and box." }) widthCm?: number | null;
  @Field(() => Float, { nullable: true, description: "Box." }) heightCm?: number | null;
  @Field(() => Float, { nullable: true, description: "Roll." }) diameterCm?: number | null;
}

@InputType()
export class QuoteInput {
  @Field(() => String, { description: "8 digits, with or without the hyphen (01310-100)." }) originCep!: string;
  @Field(() => String) destinationCep!: string;
  @Field(() => PackageInput) package!: PackageInput;
  @Field(() => [String], {
    nullable: true,
    description: `Correios product codes, such as 03220 (SEDEX) and 03298 (PAC). Default: ${DEFAULT_SERVICE_CODES.join(", ")}.`,
  })
  services?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Declared value in BRL as a decimal, such as "150.00" or "150,00"; adds the declared-value service.' })
  declaredValue?: string | null;
  @Field(() => [AdditionalService], { nullable: true }) additionalServices?: QuoteAdditionalService[] | null;
  @Field(() => String, { nullable: true, description: "Posting date YYYY-MM-DD; default today (Brasília)." }) postingDate?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "An exact amount of money: no floating point is involved anywhere." })
export class Money {
  @Field(() => String, { description: 'Decimal with a dot and two places, such as "24.84".' }) amount!: string;
  @Field(() => Int) cents!: number;
  @Field(() => String, { description: "ISO 4217 currency code." }) currency!: string;
}

@ObjectType({ simpleResolvers: true })
export class AdditionalServicePrice {
  @Field(() => String, { description: "Correios code, such as 001." }) code!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Money) price!: Money;
}

@ObjectType({ simpleResolvers: true, description: "How Correios built the price, when it says." })
export class PriceParts {
  @Field(() => Money, { nullable: true, description: "pcBase." }) base!: Money | null;
  @Field(() => Money, { nullable: true, description: "pcProduto: the product without additional services." }) product!: Money | null;
  @Field(() => Money, { nullable: true, description: "pcTotalServicosAdicionais." }) additionalServicesTotal!: Money | null;
  @Field(() => [AdditionalServicePrice]) additionalServices!: AdditionalServicePrice[];
  @Field(() => Money, { nullable: true, description: "pcReferencia: the counter (retail) price, for comparison." }) retailReference!: Money | null;
  @Field(() => Money, { nullable: true, description: "vlSeguroAutomatico: value covered without declaring one." }) automaticInsurance!: Money | null;
  @Field(() => Money, { nullable: true, description: "vlBaseCalculoImposto." }) taxBase!: Money | null;
  @Field(() => Int, { nullable: true, description: "psCobrado: the weight charged (cubic weight when larger)." }) chargedWeightGrams!: number | null;
  @Field(() => Boolean, { nullable: true, description: "inPesoCubico: true when the cubic weight was charged." }) cubicWeightCharged!: boolean | null;
}

@ObjectType({ simpleResolvers: true, description: "Why one service of a quote has no price or no delivery time; the other services are unaffected." })
export class QuoteError {
  @Field(() => String, { description: "SERVICE_NOT_CONTRACTED, WEIGHT_OVER_LIMIT, INVALID_CEP, REFUSED_BY_CORREIOS, …" }) code!: string;
  @Field(() => String, { description: "Correios' own text (txErro) when it refused." }) message!: string;
  @Field(() => QuoteErrorSource) source!: QuoteErrorSource;
  @Field(() => String, { nullable: true, description: "The Correios code in txErro, such as ERP-010." }) correiosCode!: string | null;
}

@ObjectType({ simpleResolvers: true, description: "Price and delivery time of one Correios service." })
export class Quote {
  @Field(() => String) serviceCode!: string;
  @Field(() => String, { nullable: true }) serviceName!: string | null;
  @Field(() => Money, { nullable: true, description: "pcFinal: what Correios charges, additional services included." }) price!: Money | null;
  @Field(() => PriceParts, { nullable: true }) priceParts!: PriceParts | null;
  @Field(() => Int, { nullable: true, description: "prazoEntrega (Correios does not say whether business or calendar days)." })
  deliveryDays!: number | null;
  @Field(() => String, { nullable: true, description: "YYYY-MM-DD (Brasília): the last day of the delivery promise." })
  expectedDeliveryDate!: string | null;
  @Field(() => String, { nullable: true, description: "dataMaxima as ISO 8601 with offset, e.g. 2026-12-04T23:59:59-03:00." })
  deliveryDeadline!: string | null;
  @Field(() => Boolean, { nullable: true }) homeDelivery!: boolean | null;
  @Field(() => Boolean, { nullable: true }) saturdayDelivery!: boolean | null;
  @Field(() => String, { nullable: true, description: "msgPrazo, such as a delivery-hour note." }) deadlineNote!: string | null;
  @Field(() => GraphQLISODateTime, { description: "When Correios gave this answer." }) fetchedAt!: Date;
  @Field(() => Boolean, { description: "True when Correios could not answer in time and this is the last known quote." }) stale!: boolean;
  @Field(() => QuoteError, { nullable: true }) error!: QuoteError | null;
}

function money(cents: number | undefined): Money | null {
  return cents === undefined ? null : { amount: formatCents(cents), cents, currency: "BRL" };
}

function parts(p: UpstreamParts): PriceParts {
  return {
    base: money(p.baseCents),
    product: money(p.productCents),
    additionalServicesTotal: money(p.additionalServicesCents),
    additionalServices: p.additionalServices.map((s) => ({ code: s.code, name: ADDITIONAL_SERVICES[s.code]?.name ?? null, price: money(s.cents)! })),
    retailReference: money(p.referenceCents),
    automaticInsurance: money(p.automaticInsuranceCents),
    taxBase: money(p.taxBaseCents),
    chargedWeightGrams: p.chargedWeightGrams ?? null,
    cubicWeightCharged: p.cubicWeightCharged ?? null,
  };
}

export function toQuote(r: QuoteResult): Quote {
  const d = r.deadline;
  return {
    serviceCode: r.serviceCode,
    serviceName: r.serviceName ?? null,
    price: money(r.price?.cents),
    priceParts: r.price ? parts(r.price.parts) : null,
    deliveryDays: d?.deliveryDays ?? null,
    expectedDeliveryDate: d?.maxDate?.slice(0, 10) ?? null,
    deliveryDeadline: d?.maxDate ?? null,
    homeDelivery: d?.homeDelivery ?? null,
    saturdayDelivery: d?.saturdayDelivery ?? null,
    deadlineNote: d?.note ?? null,
    fetchedAt: new Date(r.fetchedAt),
    stale: r.stale,
    error: r.error
      ? { code: r.error.code, message: r.error.message, source: r.error.source as QuoteErrorSource, correiosCode: r.error.correiosCode ?? null }
      : null,
  };
}

/** Prices are the client's contract prices: a private hint per quote, kept as long as the quote cache keeps it. */
export function hintQuotes(ctx: Context, results: QuoteResult[], info?: GraphQLResolveInfo): QuoteResult[] {
  for (const r of results) ctx.cacheHints.until(r.freshUntil, "PRIVATE", info);
  return results;
}

@Resolver(() => Quote)
@UseMiddleware(MapErrors)
export class QuoteResolver {
  @Query(() => [Quote], {
    description:
      "One quote per service for a route and package. Input is checked before Correios is asked (BAD_USER_INPUT lists " +
      "every bad field in extensions.fields). A service Correios refuses has `error` set; the others still resolve.",
  })
  async quotes(@Arg("input", () => QuoteInput) input: QuoteInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Quote[]> {
    const request = ctx.services.quotes.validate(input);
    return hintQuotes(ctx, await ctx.loaders.quote.load(request), info).map(toQuote);
  }
}
