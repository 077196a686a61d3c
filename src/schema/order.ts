// Order: the orders subgraph's entity, here only to add its shipping options. The router sends what the quote needs
// with each representation (@requires), and every order of one `_entities` call is quoted through the request's quote
// loader, so a page of orders costs one price call and one deadline call, like `quotes`. Priced with the credential
// of the client the request acts for (tenantOf: the router's x-client-id, or a client token), as `quotes` is.
import type { GraphQLResolveInfo } from "graphql";
import { Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root, UseMiddleware } from "type-graphql";
import type { Context } from "./context.js";
import { MapErrors } from "./map-errors.js";
import { hintQuotes, Quote, toQuote } from "./quote.js";

/** The fields of the order that price its parcel; the orders subgraph owns them. */
export const ORDER_QUOTE_FIELDS = "originCep destinationCep totalWeightGrams packageLengthCm packageWidthCm packageHeightCm";

@Directive('@key(fields: "id")')
@ObjectType({ simpleResolvers: true, description: "A shop's order (owned by the orders subgraph); this subgraph adds its shipping options." })
export class Order {
  @Field(() => ID) id!: string;
  @Directive("@external") @Field(() => String) originCep!: string;
  @Directive("@external") @Field(() => String) destinationCep!: string;
  @Directive("@external") @Field(() => Int) totalWeightGrams!: number;
  @Directive("@external") @Field(() => Int) packageLengthCm!: number;
  @Directive("@external") @Field(() => Int) packageWidthCm!: number;
  @Directive("@external") @Field(() => Int) packageHeightCm!: number;
}

/** The representation is the order as far as this subgraph knows it; it holds no data of its own to keep or expire. */
export function resolveOrderReference(ref: Record<string, unknown>, ctx: Context, info: GraphQLResolveInfo): Record<string, unknown> {
  ctx.cacheHints.add(Number.POSITIVE_INFINITY, "PUBLIC", info);
  return ref;
}

@Resolver(() => Order)
@UseMiddleware(MapErrors)
export class OrderResolver {
  @Directive(`@requires(fields: "${ORDER_QUOTE_FIELDS}")`)
  @FieldResolver(() => [Quote], {
    description:
      "Price and delivery time of the default services for this order's parcel (a box), from its origin to its destination. " +
      "The orders of one request are quoted together: one price call and one deadline call.",
  })
  async shippingQuotes(@Root() o: Order, @Ctx() ctx: Context): Promise<Quote[]> {
    const request = ctx.services.quotes.validate({
      originCep: o.originCep,
      destinationCep: o.destinationCep,
      package: { format: "BOX", weightGrams: o.totalWeightGrams, lengthCm: o.packageLengthCm, widthCm: o.packageWidthCm, heightCm: o.packageHeightCm },
    });
    return hintQuotes(ctx, await ctx.loaders.quote.load(request)).map(toQuote);
  }
}
