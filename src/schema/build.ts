// Turns the type-graphql classes into a Federation 2 subgraph schema: print the SDL with its directives, add the
// @link header, and hand SDL + resolvers to @apollo/subgraph (which adds _service and _entities).
import "reflect-metadata";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse, type GraphQLSchema } from "graphql";
import { buildSchema, createResolversMap } from "type-graphql";
import { CredentialResolver } from "./credential.js";
import { resolveShipmentReference, ShipmentResolver, TRACKING_QUERY_RESOLVERS } from "./shipment.js";
import { QuoteResolver } from "./quote.js";
import { DeliveryProofResolver } from "./delivery-proof.js";
import { CorreosEsCredentialResolver } from "./correos-es-credential.js";
import { AddressResolver } from "./address.js";
import { AgencyResolver } from "./agency.js";
import { LabelJobResolver } from "./label-job.js";
import { PostingResolver, resolvePostingReference } from "./posting.js";
import { resolveReturnReference, ReturnAuthorizationResolver, ShipmentReturnResolver } from "./return-authorization.js";
import { WebhookResolver } from "./webhook.js";
import { WatchResolver } from "./watch.js";
import { Order, OrderResolver, resolveOrderReference } from "./order.js";

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", ' +
  'import: ["@key", "@shareable", "@external", "@requires", "@authenticated", "@requiresScopes"])';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const RESOLVERS: [Function, ...Function[]] = [
  CredentialResolver,
  ShipmentResolver,
  QuoteResolver,
  DeliveryProofResolver,
  CorreosEsCredentialResolver,
  AddressResolver,
  PostingResolver,
  LabelJobResolver,
  ReturnAuthorizationResolver,
  ShipmentReturnResolver,
  AgencyResolver,
  WebhookResolver,
  WatchResolver,
  OrderResolver,
];

/** Entity reference resolvers, keyed by type name; each entity file adds its own. */
const REFERENCE_RESOLVERS: Record<string, (ref: Record<string, unknown>, ctx: never, info: never) => unknown> = {
  Shipment: resolveShipmentReference,
  Posting: resolvePostingReference,
  ReturnAuthorization: resolveReturnReference,
  Order: resolveOrderReference,
};

export async function buildSubgraph(): Promise<GraphQLSchema> {
  // Order is reached only through _entities (no field here returns it), so type-graphql is told of it.
  const schema = await buildSchema({ resolvers: RESOLVERS, orphanedTypes: [Order], skipCheck: true, validate: false });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`;
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [type, ref] of Object.entries(REFERENCE_RESOLVERS)) {
    resolvers[type] = { ...resolvers[type], __resolveReference: ref };
  }
  // The hot storefront queries run without type-graphql's handler (shipment.ts says why); the SDL is unchanged.
  resolvers.Query = { ...resolvers.Query, ...TRACKING_QUERY_RESOLVERS };
  return buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as never });
}
