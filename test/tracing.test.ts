// OpenTelemetry through the gateway, with the SDK's in-memory exporter: one request that carries a traceparent gives
// one trace holding the router's parent span id, the GraphQL operation span, the upstream Correios calls (tracking and
// the token fetch, as many as the simulator saw, each with its API, path template, status and attempts) and the store
// calls; each call to Correios carried a traceparent naming its own span; no span holds a secret. Off (before the
// exporter is installed), nothing is sent on.
import { randomBytes } from "node:crypto";
import { print } from "graphql";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGateway, type RunningGateway } from "../examples/gateway.js";
import { startOrdersSubgraph, type RunningOrdersSubgraph } from "../examples/orders/server.js";
import { startTracing, type Tracing } from "../src/telemetry/tracing.js";
import { codeForScenario } from "../simulator/index.js";
import {
  CreateWebhookEndpointDocument,
  OrdersWithShipmentsDocument,
  RegisterCredentialDocument,
  SendTestWebhookDocument,
  ShipmentStatusesDocument,
} from "./generated/graphql.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";
import { startReceiver } from "./helpers/receiver.js";
import { startHarness, type Harness } from "./helpers/harness.js";

const ROUTER_SECRET = "router-secret-for-the-tracing-test";
const ROUTER = { "router-authorization": ROUTER_SECRET };
const CLIENT = "shop-traced";
const UNTRACED = "shop-untraced";
const ORDERS = 60;

let h: Harness;
let orders: RunningOrdersSubgraph;
let gateway: RunningGateway;
let tracing: Tracing | undefined;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  h = await startHarness({ env: { ROUTER_SECRET, WEBHOOK_ALLOW_PRIVATE_URLS: "true" } });
  // Not verified: the traced request fetches the CWS token itself.
  const reg = await h.gql(RegisterCredentialDocument, { input: registerInput(CLIENT, DEMO, { verify: false }) }, { headers: ROUTER });
  expect(reg.data!.registerCredential.credential!.status).toBe("UNVERIFIED");
  await h.gql(RegisterCredentialDocument, { input: registerInput(UNTRACED, DEMO, { verify: false }) }, { headers: ROUTER });
  orders = await startOrdersSubgraph({ port: 0, orderCount: ORDERS });
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
  await tracing?.shutdown();
  await gateway?.close();
  await orders?.close();
  await h?.close();
});

const newTraceparent = () => ({ traceId: randomBytes(16).toString("hex"), parentId: randomBytes(8).toString("hex") });

describe("tracing off (the default)", () => {
  it("sends no traceparent to Correios, even when the caller sent one", async () => {
    h.sim.reset();
    const { traceId, parentId } = newTraceparent();
    const res = await h.gql(
      ShipmentStatusesDocument,
      { codes: [codeForScenario("DELIVERED", 9000)] },
      { headers: { ...ROUTER, "x-client-id": UNTRACED, traceparent: `00-${traceId}-${parentId}-01` } },
    );
    expect(res.errors).toBeUndefined();
    const calls = h.sim.requests();
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(c.traceparent).toBeUndefined();
  });
});

describe("tracing on, one request through the gateway", () => {
  it("gives one trace: the router's parent, the operation span, its upstream and store calls", async () => {
    tracing = startTracing(h.config, { exporter });
    exporter.reset();
    h.sim.reset();
    const { traceId, parentId } = newTraceparent();
    const res = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-client-id": CLIENT, traceparent: `00-${traceId}-${parentId}-01` },
      body: JSON.stringify({ query: print(OrdersWithShipmentsDocument), variables: { first: ORDERS } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data?: { orders: Array<{ shipment: { status: string } | null }> }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.orders.every((o) => o.shipment?.status)).toBe(true);

    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

    // The operation span: the router's span is its parent.
    const operations = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(operations).toHaveLength(1);
    const operation = operations[0]!;
    expect(parentOf(operation)).toBe(parentId);
    expect(operation.name).toMatch(/^query /);
    expect(operation.attributes["graphql.operation.type"]).toBe("query");

    // Every other span of the trace hangs below the operation span.
    const underOperation = (s: ReadableSpan): boolean => {
      for (let p = parentOf(s); p !== undefined; p = byId.get(p) && parentOf(byId.get(p)!)) if (p === operation.spanContext().spanId) return true;
      return false;
    };
    for (const s of spans) if (s !== operation) expect(underOperation(s), s.name).toBe(true);

    // One client span per call the simulator saw, by API.
    const seen = h.sim.counts();
    expect(seen.tracking).toBe(Math.ceil(ORDERS / h.config.TRACKING_BATCH_SIZE));
    expect(seen.token).toBe(1);
    const upstream = spans.filter((s) => s.attributes["correios.api"] !== undefined);
    expect(upstream.filter((s) => s.attributes["correios.api"] === "tracking")).toHaveLength(seen.tracking);
    expect(upstream.filter((s) => s.attributes["correios.api"] === "token")).toHaveLength(seen.token);
    expect(upstream).toHaveLength(seen.total);
    for (const s of upstream) {
      expect(s.kind).toBe(SpanKind.CLIENT);
      expect(s.attributes["correios.attempts"]).toBe(1);
      expect(s.attributes["http.response.status_code"]).toBeGreaterThanOrEqual(200);
      expect(s.attributes["http.response.status_code"]).toBeLessThan(300);
    }
    const tracked = upstream.find((s) => s.attributes["correios.api"] === "tracking")!;
    expect(tracked.name).toBe("GET /srorastro/v1/objetos");
    expect(tracked.attributes["url.template"]).toBe("/srorastro/v1/objetos");

    // Each request Correios received named its own call's span as parent, in this trace.
    const requests = h.sim.requests();
    expect(requests.map((r) => r.traceparent).sort()).toEqual(upstream.map((s) => `00-${traceId}-${s.spanContext().spanId}-01`).sort());

    // Store calls are spans too (the tracking cache, the token's lock and cache).
    expect(spans.some((s) => s.name === "store tracking.getMany")).toBe(true);
    expect(spans.some((s) => s.name.startsWith("store tokens."))).toBe(true);

    // No secret in any span: attributes, names, events.
    const everything = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    for (const secret of [DEMO.accessCode, ROUTER_SECRET, "Bearer", "Basic "]) expect(everything).not.toContain(secret);
  });
});

describe("tracing on, a webhook delivery", () => {
  it("is a client span naming the endpoint by id, with the receiver's status, and no URL, secret or signature", async () => {
    tracing ??= startTracing(h.config, { exporter });
    const rx = await startReceiver();
    rx.fallback(202);
    try {
      const url = `${rx.url}?token=receiver-query-secret`;
      const created = await h.gql(CreateWebhookEndpointDocument, { input: { clientId: CLIENT, url, events: ["SHIPMENT_UPDATED"] } }, { headers: ROUTER });
      expect(created.errors).toBeUndefined();
      const { endpoint, secret } = created.data!.createWebhookEndpoint;
      exporter.reset();
      const sent = await h.gql(SendTestWebhookDocument, { endpointId: endpoint!.id }, { headers: ROUTER });
      expect(sent.errors).toBeUndefined();
      await rx.waitForRequests(1);
      const deliveries = await vi.waitFor(() => {
        const found = exporter.getFinishedSpans().filter((s) => s.name === "webhook delivery");
        expect(found).toHaveLength(1);
        return found;
      });
      const span = deliveries[0]!;
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes["webhook.endpoint_id"]).toBe(endpoint!.id);
      expect(span.attributes["webhook.attempt"]).toBe(1);
      expect(span.attributes["http.response.status_code"]).toBe(202);
      const everything = JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events });
      for (const hidden of [secret!, "receiver-query-secret", rx.url, rx.requests[0]!.headers["webhook-signature"] as string]) expect(everything).not.toContain(hidden);
    } finally {
      await rx.close();
    }
  });
});
