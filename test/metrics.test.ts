// GET /metrics as Prometheus scrapes it: behind its own bearer secret, the text format, and values that move by
// exactly what the simulator saw (upstream requests by API, tracking codes asked vs sent, cache hits, token fetches,
// stale answers, store latency), the readiness counters read from the same numbers, process metrics beside them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { codeForScenario } from "../simulator/index.js";
import { RegisterCredentialDocument, ShipmentStatusesDocument } from "./generated/graphql.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";
import { startHarness, type Harness } from "./helpers/harness.js";

const METRICS_TOKEN = "metrics-secret-for-the-test-0001";
const P = "correios_subgraph_";
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    env: {
      METRICS_TOKEN,
      DEFAULT_CLIENT_ID: "shop-metrics",
      UPSTREAM_RETRIES: "0",
      // A moving parcel is asked again at once, so a fault can be answered with its last known state.
      TRACKING_TTL_ACTIVE_SECONDS: "0",
    },
  });
  // Not verified: the first tracking query fetches the token through the token manager.
  const reg = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-metrics", DEMO, { verify: false }) });
  expect(reg.data!.registerCredential.credential!.status).toBe("UNVERIFIED");
});
afterAll(() => h?.close());
beforeEach(() => {
  h.sim.clearFaults();
  h.sim.reset();
});

const metricsUrl = () => h.server.url.replace("/graphql", "/metrics");

/** One scrape, as name{labels} → value with the labels in the order written. */
async function scrape(): Promise<{ text: string; value(name: string, labels?: Record<string, string>): number }> {
  const res = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = [...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => `${k}=${v}`).sort().join(",");
    samples.set(`${m[1]}{${labels}}`, Number(m[3]));
  }
  return {
    text,
    value: (name, labels = {}) => {
      const key = `${P}${name}{${Object.entries(labels).map(([k, v]) => `${k}=${v}`).sort().join(",")}}`;
      return samples.get(key) ?? 0;
    },
  };
}

describe("GET /metrics", () => {
  it("needs METRICS_TOKEN as a bearer token when it is set", async () => {
    expect((await fetch(metricsUrl())).status).toBe(401);
    expect((await fetch(metricsUrl(), { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
    expect((await fetch(metricsUrl(), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
  });

  it("shows every family, process metrics included", async () => {
    const { text } = await scrape();
    for (const family of [
      "upstream_calls_total",
      "upstream_call_duration_seconds",
      "upstream_requests_total",
      "upstream_breaker_state",
      "tracking_codes_total",
      "tracking_calls_total",
      "cache_lookups_total",
      "stale_answers_total",
      "token_fetches_total",
      "store_operation_duration_seconds",
      "webhook_deliveries_total",
      "webhook_delivery_duration_seconds",
    ]) {
      expect(text).toContain(`# TYPE ${P}${family} `);
    }
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toContain(`${P}upstream_breaker_state{api="tracking"} 0`);
  });

  it("a tracking query moves the counters by exactly what reached Correios; the repeat is served from cache", async () => {
    const codes = Array.from({ length: 60 }, (_, i) => codeForScenario("DELIVERED", 7000 + i));
    const before = await scrape();
    const res = await h.gql(ShipmentStatusesDocument, { codes }, { token: null });
    expect(res.errors).toBeUndefined();
    const seen = h.sim.counts();
    expect(seen.tracking).toBe(2);
    expect(seen.token).toBe(1);
    const after = await scrape();
    const moved = (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);

    expect(moved("upstream_requests_total", { api: "tracking" })).toBe(seen.tracking);
    expect(moved("upstream_requests_total", { api: "token" })).toBe(seen.token);
    expect(moved("upstream_calls_total", { api: "tracking", outcome: "ok" })).toBe(seen.tracking);
    expect(moved("upstream_call_duration_seconds_count", { api: "tracking", outcome: "ok" })).toBe(seen.tracking);
    expect(moved("tracking_calls_total", { carrier: "correios" })).toBe(seen.tracking);
    expect(moved("tracking_codes_total", { carrier: "correios", stage: "requested" })).toBe(60);
    expect(moved("tracking_codes_total", { carrier: "correios", stage: "sent" })).toBe(60);
    expect(moved("cache_lookups_total", { cache: "tracking", result: "miss" })).toBe(60);
    expect(moved("token_fetches_total", { outcome: "ok" })).toBe(1);
    expect(moved("store_operation_duration_seconds_count", { store: "sqlite", operation: "tracking.getMany", outcome: "ok" })).toBeGreaterThan(0);

    h.sim.reset();
    const again = await h.gql(ShipmentStatusesDocument, { codes }, { token: null });
    expect(again.errors).toBeUndefined();
    expect(h.sim.counts().total).toBe(0);
    const warm = await scrape();
    expect(warm.value("cache_lookups_total", { cache: "tracking", result: "hit" }) - after.value("cache_lookups_total", { cache: "tracking", result: "hit" })).toBe(60);
    expect(warm.value("upstream_requests_total", { api: "tracking" })).toBe(after.value("upstream_requests_total", { api: "tracking" }));

    // The readiness probe's counters are the same numbers.
    const ready = (await (await fetch(h.server.url.replace("/graphql", "/health/ready"))).json()) as {
      counters: { tracking: { requested: number; sent: number }; upstreamCalls: Record<string, number> };
    };
    expect(ready.counters.tracking.requested).toBe(warm.value("tracking_codes_total", { carrier: "correios", stage: "requested" }));
    expect(ready.counters.upstreamCalls.tracking).toBe(warm.value("upstream_requests_total", { api: "tracking" }));
  });

  it("Correios failing: the failed call by outcome, and the stale answer served", async () => {
    const code = codeForScenario("IN_TRANSIT", 7100);
    expect((await h.gql(ShipmentStatusesDocument, { codes: [code] }, { token: null })).data!.shipments[0]!.stale).toBe(false);
    const before = await scrape();
    h.sim.addFault({ endpoint: "tracking", kind: "status", status: 500, times: 1 });
    const res = await h.gql(ShipmentStatusesDocument, { codes: [code] }, { token: null });
    expect(res.data!.shipments[0]!.stale).toBe(true);
    const after = await scrape();
    expect(after.value("upstream_calls_total", { api: "tracking", outcome: "unavailable" }) - before.value("upstream_calls_total", { api: "tracking", outcome: "unavailable" })).toBe(1);
    expect(after.value("stale_answers_total", { service: "tracking" }) - before.value("stale_answers_total", { service: "tracking" })).toBe(1);
  });

  it("names no client, no code and no secret", async () => {
    const { text } = await scrape();
    expect(text).not.toContain("shop-metrics");
    expect(text).not.toContain(DEMO.accessCode);
    expect(text).not.toMatch(/AA\d{9}BR/);
  });
});
