// Federation for real: this subgraph and the orders example compose into a supergraph, and a gateway on it answers
// a page of orders with their shipments in ⌈orders / TRACKING_BATCH_SIZE⌉ tracking calls, then from the cache.
import { composeServices } from "@apollo/composition";
import { parse, print, type DocumentNode, type ExecutionResult } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type RunningGateway } from "../examples/gateway.js";
import { ORDERS_SDL, startOrdersSubgraph, type RunningOrdersSubgraph } from "../examples/orders/server.js";
import { SHIPMENT_STATUSES } from "../src/correios/domain/tracking-status.js";
import { emitSubgraphSdl } from "../src/schema/sdl.js";
import { codeForScenario } from "../simulator/index.js";
import {
  CreateReturnDocument,
  OrdersWithReturnsDocument,
  OrdersWithShipmentsDocument,
  OrdersWithShippingOptionsDocument,
  OrderWithShippingOptionsDocument,
  RegisterCredentialDocument,
  ShipmentEntitiesDocument,
} from "./generated/graphql.js";
import { newKey, postingInput } from "./helpers/postings.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";
import { startHarness, type Harness } from "./helpers/harness.js";

const ROUTER_SECRET = "router-secret-for-the-supergraph-test";
const ROUTER = { "router-authorization": ROUTER_SECRET };
const CLIENT = "shop-federated";
const ORDER_COUNT = 120;

let h: Harness;
let orders: RunningOrdersSubgraph;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await startHarness({ env: { ROUTER_SECRET } });
  // Not verified, so no CWS token is fetched yet: the first query through the gateway shows the cold cost.
  const reg = await h.gql(RegisterCredentialDocument, { input: registerInput(CLIENT, DEMO, { verify: false }) }, { headers: ROUTER });
  expect(reg.data!.registerCredential.credential!.status).toBe("UNVERIFIED");
  orders = await startOrdersSubgraph({ port: 0, orderCount: ORDER_COUNT });
  gateway = await startGateway({
    subgraphs: [
      { name: "correios", url: h.server.url },
      { name: "orders", url: orders.url },
    ],
    port: 0,
    routerSecret: ROUTER_SECRET,
  });
});
afterAll(async () => {
  await gateway?.close();
  await orders?.close();
  await h?.close();
});

async function viaGateway<R, V>(doc: TypedDocumentNode<R, V>, variables: V, headers: Record<string, string> = {}): Promise<ExecutionResult<R>> {
  const res = await fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: print(doc as DocumentNode), variables }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ExecutionResult<R>;
}

describe("composition", () => {
  it("this subgraph and the orders example compose with no error", async () => {
    const result = composeServices([
      { name: "correios", url: "http://correios.invalid/graphql", typeDefs: parse(await emitSubgraphSdl()) },
      { name: "orders", url: "http://orders.invalid/graphql", typeDefs: parse(ORDERS_SDL) },
    ]);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    expect(result.supergraphSdl).toMatch(/type Shipment\b/);
    expect(result.supergraphSdl).toMatch(/join__type\(graph: CORREIOS, key: "code"\)/);
    expect(result.supergraphSdl).toMatch(/join__type\(graph: ORDERS, key: "code", resolvable: false\)/);
  });

  it("the gateway composed the SDL both running subgraphs serve", () => {
    expect(gateway.supergraphSdl).toMatch(/type Order\b/);
    expect(gateway.supergraphSdl).toMatch(/type Shipment\b/);
  });
});

describe("through the gateway", () => {
  it(`${ORDER_COUNT} orders with their shipments: ⌈${ORDER_COUNT}/batch⌉ tracking calls and one token cold, none on the repeat`, async () => {
    h.sim.reset();
    const cold = await viaGateway(OrdersWithShipmentsDocument, { first: ORDER_COUNT }, { "x-client-id": CLIENT });
    expect(cold.errors).toBeUndefined();
    const list = cold.data!.orders;
    expect(list).toHaveLength(ORDER_COUNT);
    for (const o of list) {
      expect(o.shipment?.code).toBe(o.trackingCode);
      expect(SHIPMENT_STATUSES).toContain(o.shipment!.status);
    }
    // The fixtures cycle through the simulator's scenarios, so the page shows them all.
    expect(new Set(list.map((o) => o.shipment!.status))).toEqual(
      new Set(["DELIVERED", "IN_TRANSIT", "POSTED", "OUT_FOR_DELIVERY", "AWAITING_PICKUP", "DELIVERY_FAILED", "RETURNED", "NOT_FOUND"]),
    );
    const counts = h.sim.counts();
    expect(counts.tracking).toBe(Math.ceil(ORDER_COUNT / h.config.TRACKING_BATCH_SIZE));
    expect(counts.token).toBe(1);

    const warm = await viaGateway(OrdersWithShipmentsDocument, { first: ORDER_COUNT }, { "x-client-id": CLIENT });
    expect(warm.errors).toBeUndefined();
    expect(warm.data).toEqual(cold.data);
    expect(h.sim.counts().total).toBe(counts.total);
  });

  it("without a client id the orders resolve and each shipment fails with UNAUTHENTICATED, with no upstream call", async () => {
    h.sim.reset();
    const res = await viaGateway(OrdersWithShipmentsDocument, { first: 2 });
    expect(res.data!.orders.map((o) => o.shipment)).toEqual([null, null]);
    expect(res.errors!.length).toBeGreaterThan(0);
    for (const e of res.errors!) expect(e.extensions!.code).toBe("UNAUTHENTICATED");
    expect(h.sim.counts().total).toBe(0);
  });
});

describe("straight to the subgraph", () => {
  const query = `{ shipment(code: "${codeForScenario("DELIVERED")}") { status } }`;

  it.each([
    ["no router secret", { "x-client-id": CLIENT }],
    ["a wrong router secret", { "x-client-id": CLIENT, "router-authorization": `${ROUTER_SECRET}x` }],
  ])("x-client-id with %s is not trusted (401 UNAUTHENTICATED)", async (_name, headers) => {
    h.sim.reset();
    const res = await h.gql(query, undefined, { token: null, headers });
    expect(res.status).toBe(401);
    expect(res.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    expect(res.data).toBeUndefined();
    expect(h.sim.counts().total).toBe(0);
  });

  it("_entities as the router sends it: a bad code is null with BAD_USER_INPUT, the others resolve", async () => {
    const delivered = codeForScenario("DELIVERED", 7001);
    const returned = codeForScenario("RETURNED", 7001);
    const res = await h.gql(
      ShipmentEntitiesDocument,
      {
        representations: [
          { __typename: "Shipment", code: delivered },
          { __typename: "Shipment", code: "AA123456789BR" },
          { __typename: "Shipment", code: returned },
        ],
      },
      { token: null, headers: { ...ROUTER, "x-client-id": CLIENT } },
    );
    expect(res.data!._entities).toEqual([
      { code: delivered, status: "DELIVERED", delivered: true, stale: false },
      null,
      { code: returned, status: "RETURNED", delivered: false, stale: false },
    ]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ["_entities", 1], extensions: { code: "BAD_USER_INPUT" } });
  });
});

describe("returns through the gateway", () => {
  it("an order page shows the return issued for an order's parcel (Shipment.returnAuthorization)", async () => {
    const page = await viaGateway(OrdersWithReturnsDocument, { first: 3 }, { "x-client-id": CLIENT });
    expect(page.errors).toBeUndefined();
    const [first, second] = page.data!.orders;
    expect(first!.shipment!.returnAuthorization).toBeNull();
    const p = postingInput();
    const created = await h.gql(
      CreateReturnDocument,
      {
        input: {
          idempotencyKey: newKey("gw"),
          service: "03301",
          customer: p.recipient,
          recipient: p.sender,
          package: p.package,
          declaredContent: [{ description: "Camiseta de algodão (troca)", quantity: 1, unitValue: "49.90" }],
          mode: "DROP_OFF",
          originalTrackingCode: first!.trackingCode,
        },
      },
      { token: await h.clientToken(CLIENT), headers: ROUTER },
    );
    expect(created.data!.createReturn.userErrors).toEqual([]);
    const ret = created.data!.createReturn.returnAuthorization!;
    const again = await viaGateway(OrdersWithReturnsDocument, { first: 3 }, { "x-client-id": CLIENT });
    expect(again.errors).toBeUndefined();
    expect(again.data!.orders[0]!.shipment!.returnAuthorization).toMatchObject({ id: ret.id, authorizationCode: ret.authorizationCode, status: "PRE_POSTED" });
    expect(again.data!.orders[1]!.shipment!.returnAuthorization).toBeNull();
    expect(second!.trackingCode).not.toBe(first!.trackingCode);
  });
});

describe("checkout quotes through the gateway (Order.shippingQuotes @requires)", () => {
  it("an order with its shipping options in one query: the gateway feeds the parcel from the orders subgraph", async () => {
    h.sim.reset();
    const res = await viaGateway(OrderWithShippingOptionsDocument, { id: "ord-0002" }, { "x-client-id": CLIENT });
    expect(res.errors).toBeUndefined();
    const order = res.data!.order!;
    expect(order).toMatchObject({ id: "ord-0002", number: "#1002", destinationCep: "20040-020" });
    expect(order.shippingQuotes.map((q) => q.serviceCode)).toEqual([...h.services.quotes.defaultServices()]);
    for (const q of order.shippingQuotes) {
      expect(q.error).toBeNull();
      expect(q.price!.cents).toBeGreaterThan(0);
      expect(q.deliveryDays).toBeGreaterThan(0);
    }
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });
  });

  it("a page of 40 orders is quoted in one price call and one deadline call, and from the cache on the repeat", async () => {
    h.sim.reset();
    const cold = await viaGateway(OrdersWithShippingOptionsDocument, { first: 40 }, { "x-client-id": CLIENT });
    expect(cold.errors).toBeUndefined();
    expect(cold.data!.orders).toHaveLength(40);
    for (const o of cold.data!.orders) expect(o.shippingQuotes.every((q) => q.price !== null)).toBe(true);
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });
    // The parcels differ in weight and size, so the orders were not quoted as one.
    expect(new Set(cold.data!.orders.map((o) => o.shippingQuotes[0]!.price!.cents)).size).toBeGreaterThan(1);
    h.sim.reset();
    const warm = await viaGateway(OrdersWithShippingOptionsDocument, { first: 40 }, { "x-client-id": CLIENT });
    expect(warm.data).toEqual(cold.data);
    expect(h.sim.counts().total).toBe(0);
  });
});
