// What a router in front of this subgraph relies on: Cache-Control from the resolved entities (for its entity cache),
// Order.shippingQuotes fed by @requires in one price and one deadline call, and the authorization directives
// (@authenticated / @requiresScopes) surviving composition while the subgraph keeps its own checks.
import { composeServices } from "@apollo/composition";
import { decodeJwt } from "jose";
import { parse, print, type DocumentNode, type ExecutionResult } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDERS_SDL } from "../examples/orders/server.js";
import { emitSubgraphSdl } from "../src/schema/sdl.js";
import { SCOPES } from "../src/schema/scopes.js";
import { codeForScenario } from "../simulator/index.js";
import {
  CreatePostingDocument,
  EntitiesOfTwoKindsDocument,
  ListCredentialsDocument,
  OrderQuoteEntitiesDocument,
  PostingDocument,
  QuotesDocument,
  RegisterCredentialDocument,
  ShipmentDeliveryProofDocument,
  ShipmentEntitiesDocument,
  ShipmentReturnDocument,
  ShipmentStatusesDocument,
  ShipmentWithCredentialDocument,
  TrackShipmentDocument,
  VerifyCredentialDocument,
} from "./generated/graphql.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";
import { postingInput } from "./helpers/postings.js";
import { startHarness, type Harness } from "./helpers/harness.js";

const ROUTER_SECRET = "router-secret-for-federation-features";
const CLIENT = "shop-features";
/** A storefront request as the router sends it: the router's secret and the shop it acts for, no bearer token. */
const STOREFRONT = { token: null, headers: { "router-authorization": ROUTER_SECRET, "x-client-id": CLIENT } };

let h: Harness;
let shopToken: string;

beforeAll(async () => {
  h = await startHarness({ env: { ROUTER_SECRET } });
  const reg = await send(RegisterCredentialDocument, { input: registerInput(CLIENT, DEMO) }, { token: h.operatorToken });
  expect(reg.body.data!.registerCredential.userErrors).toEqual([]);
  shopToken = await h.clientToken(CLIENT);
});
afterAll(() => h?.close());

/** One GraphQL request through HTTP; the answer with its Cache-Control header. */
async function send<R, V>(
  doc: TypedDocumentNode<R, V>,
  variables: V,
  o: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<{ body: ExecutionResult<R>; status: number; cacheControl: string | null }> {
  const token = o.token === undefined ? shopToken : o.token;
  const res = await fetch(h.server.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "router-authorization": ROUTER_SECRET,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...o.headers,
    },
    body: JSON.stringify({ query: print(doc as DocumentNode), variables }),
  });
  return { body: (await res.json()) as ExecutionResult<R>, status: res.status, cacheControl: res.headers.get("cache-control") };
}

/** max-age and scope of a cacheable header; fails the test on any other header. */
function cacheable(header: string | null): { maxAge: number; scope: "public" | "private" } {
  const m = /^max-age=(\d+), (public|private)$/.exec(header ?? "");
  expect(m, `a cacheable Cache-Control, got ${header}`).not.toBeNull();
  return { maxAge: Number(m![1]), scope: m![2] as "public" | "private" };
}

describe("Cache-Control from the resolved entities", () => {
  it("a delivered parcel is public for days, as long as the tracking cache keeps it; a repeat from the cache says what is left", async () => {
    const code = codeForScenario("DELIVERED", 8101);
    const first = await send(TrackShipmentDocument, { code }, STOREFRONT);
    expect(first.body.errors).toBeUndefined();
    const hint = cacheable(first.cacheControl);
    expect(hint.scope).toBe("public");
    expect(hint.maxAge).toBeGreaterThan(h.config.TRACKING_TTL_ACTIVE_SECONDS);
    expect(hint.maxAge).toBeLessThanOrEqual(h.config.TRACKING_TTL_FINAL_SECONDS);
    h.sim.reset();
    const again = await send(TrackShipmentDocument, { code }, STOREFRONT);
    expect(h.sim.counts().tracking).toBe(0);
    expect(cacheable(again.cacheControl).maxAge).toBeLessThanOrEqual(hint.maxAge);
  });

  it("a parcel on its way is public for minutes; a list is kept as long as its freshest-expiring item", async () => {
    const moving = codeForScenario("IN_TRANSIT", 8102);
    const one = await send(TrackShipmentDocument, { code: moving }, STOREFRONT);
    const hint = cacheable(one.cacheControl);
    expect(hint).toMatchObject({ scope: "public" });
    expect(hint.maxAge).toBeGreaterThan(0);
    expect(hint.maxAge).toBeLessThanOrEqual(h.config.TRACKING_TTL_ACTIVE_SECONDS);

    const list = await send(ShipmentStatusesDocument, { codes: [codeForScenario("DELIVERED", 8102), moving] }, STOREFRONT);
    expect(list.body.errors).toBeUndefined();
    const listHint = cacheable(list.cacheControl);
    expect(listHint.scope).toBe("public");
    expect(listHint.maxAge).toBeLessThanOrEqual(h.config.TRACKING_TTL_ACTIVE_SECONDS);
  });

  it("an answer with an error is never kept (no-store), even when the other items resolved", async () => {
    const res = await send(ShipmentStatusesDocument, { codes: [codeForScenario("DELIVERED", 8103), "AA123456789BR"] }, STOREFRONT);
    expect(res.body.data!.shipments[0]).not.toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.cacheControl).toBe("no-store");
  });

  it("a root field that gives no hint (a credential) makes the whole answer no-store", async () => {
    const res = await send(ShipmentWithCredentialDocument, { code: codeForScenario("DELIVERED", 8104), clientId: CLIENT });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.credential!.clientId).toBe(CLIENT);
    expect(res.cacheControl).toBe("no-store");
  });

  it("a mutation is no-store", async () => {
    const res = await send(VerifyCredentialDocument, { clientId: CLIENT });
    expect(res.body.errors).toBeUndefined();
    expect(res.cacheControl).toBe("no-store");
  });

  it("quotes are the client's contract prices: private", async () => {
    const input = { originCep: "01310-100", destinationCep: "13010-111", package: { format: "BOX" as const, weightGrams: 777, lengthCm: 20, widthCm: 15, heightCm: 10 } };
    const res = await send(QuotesDocument, { input }, STOREFRONT);
    expect(res.body.errors).toBeUndefined();
    const hint = cacheable(res.cacheControl);
    expect(hint.scope).toBe("private");
    expect(hint.maxAge).toBeLessThanOrEqual(h.config.QUOTE_TTL_SECONDS);
  });

  it("a posting is private for the rest of its refresh interval; so is a parcel asked with its return, or its proof", async () => {
    const created = await send(CreatePostingDocument, { input: postingInput() });
    expect(created.body.data!.createPosting.userErrors).toEqual([]);
    expect(created.cacheControl).toBe("no-store");
    const posting = created.body.data!.createPosting.posting!;

    const read = await send(PostingDocument, { id: posting.id });
    expect(read.body.data!.posting!.id).toBe(posting.id);
    const hint = cacheable(read.cacheControl);
    expect(hint.scope).toBe("private");
    expect(hint.maxAge).toBeGreaterThan(0);
    expect(hint.maxAge).toBeLessThanOrEqual(h.config.POSTING_REFRESH_SECONDS);

    const withReturn = await send(ShipmentReturnDocument, { code: codeForScenario("DELIVERED", 8105) }, STOREFRONT);
    expect(withReturn.body.errors).toBeUndefined();
    expect(cacheable(withReturn.cacheControl).scope).toBe("private");

    const withProof = await send(ShipmentDeliveryProofDocument, { code: codeForScenario("DELIVERED", 8105) }, STOREFRONT);
    expect(withProof.body.errors).toBeUndefined();
    expect(withProof.body.data!.shipment!.deliveryProof!.available).toBe(true);
    expect(cacheable(withProof.cacheControl).scope).toBe("private");
  });

  it("_entities as the router sends them: shipments alone are public, with a posting the answer is private", async () => {
    const delivered = { __typename: "Shipment", code: codeForScenario("DELIVERED", 8106) };
    const shipments = await send(ShipmentEntitiesDocument, { representations: [delivered, { __typename: "Shipment", code: codeForScenario("IN_TRANSIT", 8106) }] }, STOREFRONT);
    expect(shipments.body.errors).toBeUndefined();
    const hint = cacheable(shipments.cacheControl);
    expect(hint.scope).toBe("public");
    expect(hint.maxAge).toBeLessThanOrEqual(h.config.TRACKING_TTL_ACTIVE_SECONDS);

    const created = await send(CreatePostingDocument, { input: postingInput() });
    const id = created.body.data!.createPosting.posting!.id;
    const mixed = await send(EntitiesOfTwoKindsDocument, { representations: [delivered, { __typename: "Posting", id }] });
    expect(mixed.body.errors).toBeUndefined();
    expect(mixed.body.data!._entities).toHaveLength(2);
    expect(cacheable(mixed.cacheControl).scope).toBe("private");
  });
});

describe("Order.shippingQuotes (@requires)", () => {
  const order = (i: number) => ({
    __typename: "Order",
    id: `ord-${i}`,
    originCep: "01310-100",
    destinationCep: ["13010-111", "20040-020", "69005-010"][i % 3],
    totalWeightGrams: 400 + i * 10,
    packageLengthCm: 20,
    packageWidthCm: 15,
    packageHeightCm: 10,
  });

  it("every order of one _entities call is quoted in one price call and one deadline call; private, like quotes", async () => {
    h.sim.reset();
    const res = await send(OrderQuoteEntitiesDocument, { representations: [0, 1, 2, 3, 4, 5].map(order) }, STOREFRONT);
    expect(res.body.errors).toBeUndefined();
    const entities = res.body.data!._entities as Array<{ id: string; shippingQuotes: Array<{ serviceCode: string; price: { cents: number } | null; error: unknown }> }>;
    expect(entities.map((e) => e.id)).toEqual(["ord-0", "ord-1", "ord-2", "ord-3", "ord-4", "ord-5"]);
    for (const e of entities) {
      expect(e.shippingQuotes.map((q) => q.serviceCode)).toEqual([...h.services.quotes.defaultServices()]);
      for (const q of e.shippingQuotes) {
        expect(q.error).toBeNull();
        expect(q.price!.cents).toBeGreaterThan(0);
      }
    }
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });
    expect(cacheable(res.cacheControl).scope).toBe("private");
  });

  it("an order whose CEP is wrong fails alone with BAD_USER_INPUT; the others are quoted", async () => {
    const res = await send(OrderQuoteEntitiesDocument, { representations: [order(6), { ...order(7), destinationCep: "123" }] }, STOREFRONT);
    const entities = res.body.data!._entities as Array<{ id: string } | null>;
    expect(entities[0]!.id).toBe("ord-6");
    expect(entities[1]).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]).toMatchObject({ path: ["_entities", 1, "shippingQuotes"], extensions: { code: "BAD_USER_INPUT" } });
    expect(res.cacheControl).toBe("no-store");
  });
});

describe("router authorization directives", () => {
  it("survive composition with the orders subgraph into the supergraph, with the scopes named in scopes.ts", async () => {
    const result = composeServices([
      { name: "correios", url: "http://correios.invalid/graphql", typeDefs: parse(await emitSubgraphSdl()) },
      { name: "orders", url: "http://orders.invalid/graphql", typeDefs: parse(ORDERS_SDL) },
    ]);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    const sdl = result.supergraphSdl!;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    const roots = ["Query", "Mutation"].map((t) => new RegExp(`\ntype ${t}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(sdl)![1]!).join("\n");
    const field = (name: string) => roots.split("\n").find((l) => new RegExp(`^\\s+${name}[(:]`).test(l)) ?? "";
    expect(field("credentials")).toContain(`@authenticated @requiresScopes(scopes: [["${SCOPES.operator}"]])`);
    for (const name of ["credential", "registerCredential", "createPosting", "postings", "requestLabels", "createReturn", "webhookEndpoints", "createWebhookEndpoint"]) {
      expect(field(name), name).toContain(`@authenticated @requiresScopes(scopes: [["${SCOPES.operator}"], ["${SCOPES.client}"]])`);
    }
    // Storefront fields are asked with the router's x-client-id, not a token: no directive there.
    for (const name of ["shipment", "shipments", "quotes"]) expect(field(name), name).not.toContain("@authenticated");
    expect(sdl).toMatch(/shippingQuotes: \[Quote!\]! @join__field\(graph: CORREIOS, requires: "originCep destinationCep totalWeightGrams/);
  });

  it("tokens carry the scope a router checks, and the subgraph still refuses a client token an operator-only field", async () => {
    expect(decodeJwt(h.operatorToken).scope).toBe(SCOPES.operator);
    expect(decodeJwt(shopToken).scope).toBe(SCOPES.client);
    const res = await send(ListCredentialsDocument, {});
    expect(res.status).toBe(403);
    expect(res.body.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect(res.cacheControl).toBe("no-store");
  });
});
