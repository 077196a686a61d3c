// Cold start: a fresh subgraph whose credential has no token yet receives 1,000 requests at once, each for a code
// never asked before. Exactly one token request must reach Correios (which allows 3 a second), and the codes should
// leave in about ⌈1000/50⌉ tracking calls: those arriving while the token is fetched join one batch.
import { print } from "graphql";
import { BenchShipmentStatusDocument } from "../../test/generated/graphql.js";
import type { BenchContext } from "../lib/context.js";
import { graphqlBody, percentile, round } from "../lib/load.js";
import { ms, type ScenarioResult } from "../lib/report.js";
import { startStack, TRACKING_BATCH, trackingCodes } from "../lib/stack.js";

export interface ColdStartData {
  requests: number;
  ok: number;
  failed: number;
  tokenRequests: number;
  trackingRequests: number;
  /** ⌈requests / 50⌉: the fewest tracking calls possible. */
  fewestTrackingRequests: number;
  wallMs: number;
  p50: number;
  p99: number;
  max: number;
}

export async function run(ctx: BenchContext): Promise<ScenarioResult<ColdStartData>> {
  const s = ctx.settings;
  const n = s.smoke ? 200 : 1000;
  const stack = await startStack({ latencyMs: s.latencyMs, verify: false });
  let data: ColdStartData;
  try {
    const query = print(BenchShipmentStatusDocument);
    const bodies = trackingCodes(n, 30_000_000, "AC").map((code) => graphqlBody(query, { code }));
    stack.sim.reset();
    ctx.log(`cold-start: ${n} concurrent requests on a cold token and cache`);
    const started = performance.now();
    const outcomes = await Promise.all(
      bodies.map(async (body) => {
        const t = performance.now();
        try {
          const res = await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json" }, body });
          const json = (await res.json()) as { errors?: unknown[] };
          return { ok: res.ok && !json.errors, ms: performance.now() - t };
        } catch {
          return { ok: false, ms: performance.now() - t };
        }
      }),
    );
    const wallMs = performance.now() - started;
    const latencies = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    const counts = stack.sim.counts();
    const ok = outcomes.filter((o) => o.ok).length;
    data = {
      requests: n,
      ok,
      failed: n - ok,
      tokenRequests: counts.token,
      trackingRequests: counts.tracking,
      fewestTrackingRequests: Math.ceil(n / TRACKING_BATCH),
      wallMs: round(wallMs, 1),
      p50: round(percentile(latencies, 0.5), 1),
      p99: round(percentile(latencies, 0.99), 1),
      max: round(latencies.at(-1) ?? 0, 1),
    };
  } finally {
    await stack.close();
  }
  return {
    scenario: "cold-start",
    title: `Cold start: ${n} concurrent shipment(code) requests, no token, empty cache, simulator latency ${s.latencyMs} ms`,
    settings: s,
    data,
    tables: [
      {
        title: "Cold start",
        columns: ["requests", "answered", "token requests", "tracking requests", "fewest possible ⌈N/50⌉", "all answered after ms", "p50 ms", "p99 ms"],
        rows: [[data.requests, data.ok, data.tokenRequests, data.trackingRequests, data.fewestTrackingRequests, ms(data.wallMs), ms(data.p50), ms(data.p99)]],
      },
    ],
    checks: [
      { target: "cold start: exactly 1 token request", value: `${data.tokenRequests} token request(s)`, met: data.tokenRequests === 1 },
      { target: "cold start: every request answered", value: `${data.ok} / ${data.requests}`, met: data.failed === 0 },
    ],
    notes: [
      "The 1,000 requests open 1,000 connections at once from the same process; their arrival is spread by connection set-up, so codes arriving after the first batch left form later batches.",
    ],
  };
}
