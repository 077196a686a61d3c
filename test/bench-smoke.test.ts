// A tiny run of every benchmark scenario (bench/), checking what must hold whatever the machine: upstream call counts.
// Never times: those are the benchmark's business (`npm run bench`, BENCHMARKS.md).
import { describe, expect, it } from "vitest";
import { createContext } from "../bench/lib/context.js";
import { run as baseline } from "../bench/scenarios/baseline.js";
import { run as ceiling } from "../bench/scenarios/ceiling.js";
import { run as cep } from "../bench/scenarios/cep.js";
import { run as labels } from "../bench/scenarios/labels.js";
import { run as coldStart } from "../bench/scenarios/cold-start.js";
import { ORDER_COUNT, run as gateway } from "../bench/scenarios/gateway.js";
import { run as growth } from "../bench/scenarios/growth.js";
import { run as jit } from "../bench/scenarios/jit.js";
import { run as latency } from "../bench/scenarios/latency.js";
import { run as quotes } from "../bench/scenarios/quotes.js";
import { run as shipments } from "../bench/scenarios/shipments.js";

const ctx = createContext({ smoke: true }, () => undefined);

describe("benchmark scenarios, smoke run", () => {
  it("baseline answers", async () => {
    const r = await baseline(ctx);
    expect(r.data.requests).toBeGreaterThan(0);
    expect(r.data.errors + r.data.non2xx + r.data.graphqlErrors).toBe(0);
  });

  it("shipments: ⌈N/50⌉ calls to warm the cache, then none under load", async () => {
    const r = await shipments(ctx);
    expect(r.data.rows.map((x) => [x.codes, x.warmingCalls, x.upstreamCalls])).toEqual([
      [1, 1, 0],
      [50, 1, 0],
      [500, 10, 0],
    ]);
    for (const row of r.data.rows) expect(row.errors + row.non2xx + row.graphqlErrors).toBe(0);
  });

  it("ceiling: the same query answered by the subgraph (warm, no upstream call), the ceiling and the bare server", async () => {
    const r = await ceiling(ctx);
    expect(r.data.upstreamCalls).toBe(0);
    for (const server of ["subgraph", "ceiling", "bare"] as const) {
      expect(r.data.rounds[0]![server].requests).toBeGreaterThan(0);
      expect(r.data.rounds[0]![server].errors + r.data.rounds[0]![server].non2xx + r.data.rounds[0]![server].graphqlErrors).toBe(0);
      // The server's CPU time is read from /proc (Linux); elsewhere the column says "-".
      if (process.platform === "linux") expect(r.data.rounds[0]![server].cpuUsPerRequest).toBeGreaterThan(0);
    }
  }, 120_000); // three servers to start (and the build, when this test runs alone)

  it("jit: graphql-jit and graphql-js give the ceiling's answer byte for byte, and both are measured", async () => {
    const r = await jit(ctx);
    for (const e of ["graphql-js", "graphql-jit"] as const) {
      expect(r.data.rounds[0]![e].requests).toBeGreaterThan(0);
      expect(r.data.rounds[0]![e].errors + r.data.rounds[0]![e].non2xx + r.data.rounds[0]![e].graphqlErrors).toBe(0);
    }
  }, 60_000);

  it("added latency: at most one tracking call per cold request", async () => {
    const r = await latency(ctx);
    for (const row of r.data.rows) {
      expect(row.requests).toBeGreaterThan(0);
      expect(row.errors + row.non2xx + row.graphqlErrors).toBe(0);
      expect(row.trackingCalls).toBeGreaterThan(0);
      expect(row.trackingCalls).toBeLessThanOrEqual(row.requests);
    }
  });

  it("cold start: one token request for every concurrent request", async () => {
    const r = await coldStart(ctx);
    expect(r.data.failed).toBe(0);
    expect(r.data.tokenRequests).toBe(1);
    expect(r.data.trackingRequests).toBeGreaterThanOrEqual(r.data.fewestTrackingRequests);
    expect(r.data.trackingRequests).toBeLessThan(r.data.requests);
  });

  it("growth: exactly ⌈N/50⌉ tracking calls up to 1000 codes, none warm", async () => {
    const r = await growth(ctx);
    expect(r.data.rows.map((x) => [x.codes, ...x.calls, x.warmCalls])).toEqual([
      [1, 1, 0],
      [10, 1, 0],
      [100, 2, 0],
      [1000, 20, 0],
    ]);
    expect(r.data.rows.reduce((t, x) => t + x.tokenCalls, 0)).toBe(0);
  });

  it("quotes: 1 price + 1 deadline call for 5 services cold, none warm", async () => {
    const r = await quotes(ctx);
    expect(r.data.single).toMatchObject({ priceCalls: 1, deadlineCalls: 1, quotes: 5, refused: 0 });
    expect(r.data.singleWarm.upstreamCalls).toBe(0);
    // Each cold request is a new route: one price call each (plus those still in flight when the load stopped).
    expect(r.data.cold.priceCalls).toBeGreaterThanOrEqual(r.data.cold.requests);
    expect(r.data.cold.priceCalls).toBeLessThanOrEqual(r.data.cold.requests + ctx.settings.moderateConnections);
    expect(r.data.warm.upstreamCalls).toBe(0);
  });

  it(`gateway: ${ORDER_COUNT} orders cost 3 tracking calls cold, none warm`, async () => {
    const r = await gateway(ctx);
    expect(r.data.cold).toMatchObject({ trackingCalls: 3, orders: ORDER_COUNT, withStatus: ORDER_COUNT });
    expect(r.data.warm.upstreamCalls).toBe(0);
    expect(r.data.warmLoad.upstreamCalls).toBe(0);
    expect(r.data.warmLoad.errors + r.data.warmLoad.non2xx + r.data.warmLoad.graphqlErrors).toBe(0);
  });

  it("labels: one request and downloads until ready, at the API's floor", async () => {
    const r = await labels(ctx);
    expect(r.data).toMatchObject({ postings: 10, labelRequests: 1, downloads: 3, floor: 4 });
    expect(r.data.pdfBytes).toBeGreaterThan(0);
  });

  it("cep: one upstream call per distinct CEP cold, none warm", async () => {
    const r = await cep(ctx);
    expect(r.data).toMatchObject({ lookups: 100, distinct: 20, cold: { requests: 2, calls: 20 }, warm: { calls: 0 } });
    expect(r.data.warmLoad.requests).toBeGreaterThan(0);
    expect(r.data.warmLoad.upstreamCalls).toBe(0);
    expect(r.data.warmLoad.errors + r.data.warmLoad.non2xx + r.data.warmLoad.graphqlErrors).toBe(0);
  });
});
