// Added latency: at a moderate load every request asks for a code never asked before, so each one waits for one
// simulated Correios round trip; what the subgraph adds is its latency minus the simulator's. Two load shapes:
// - open loop: requests arrive at random times at a mean rate (independent shoppers), at a fifth of the moderate
//   rate and at the moderate rate (50 req/s by default, the target's measure);
// - closed loop: autocannon's connections, each sending its next request when answered. They fall in step behind the
//   same round trip and arrive in bursts, which merge into few calls and hide queueing.
// Each with the default merge window (TRACKING_WINDOW_MS=2) and without one (0: the batch leaves on the next tick).
import { print } from "graphql";
import { buildTrackingCode } from "../../src/correios/domain/formats.js";
import { BenchShipmentStatusDocument } from "../../test/generated/graphql.js";
import type { BenchContext } from "../lib/context.js";
import { failures, graphqlBody, load, openLoad, round, type LoadResult } from "../lib/load.js";
import { ms, type ScenarioResult } from "../lib/report.js";
import { quiesce, startStack } from "../lib/stack.js";

export interface LatencyRow extends LoadResult {
  windowMs: number;
  shape: "open" | "closed";
  /** "50 req/s" or "10 connections". */
  load: string;
  addedP50: number;
  addedP99: number;
  trackingCalls: number;
  /** Codes per tracking call: concurrent misses merged into one call. */
  codesPerCall: number;
}

export interface LatencyData {
  simulatorLatencyMs: number;
  rows: LatencyRow[];
}

/** Added p99 allowed at moderate load, in ms. */
export const ADDED_P99_TARGET_MS = 5;

export async function run(ctx: BenchContext): Promise<ScenarioResult<LatencyData>> {
  const s = ctx.settings;
  const rows: LatencyRow[] = [];
  const query = print(BenchShipmentStatusDocument);
  for (const [i, windowMs] of (s.smoke ? [2] : [2, 0]).entries()) {
    const stack = await startStack({ latencyMs: s.latencyMs, env: { TRACKING_WINDOW_MS: String(windowMs) } });
    try {
      let serial = 20_000_000 + i * 1_000_000;
      const nextBody = () => graphqlBody(query, { code: buildTrackingCode("AB", serial++) });
      // One miss first (the registration already cached the token).
      await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json" }, body: nextBody() });
      if (s.warmup > 0) await load({ url: stack.url, connections: s.moderateConnections, duration: s.warmup, nextBody });

      const measure = async (shape: LatencyRow["shape"], rate = s.moderateRate) => {
        await quiesce(stack.sim, s.latencyMs);
        stack.sim.reset();
        const label = shape === "open" ? `${rate} req/s` : `${s.moderateConnections} connections`;
        ctx.log(`latency: window ${windowMs} ms, ${shape} loop at ${label}, every request a cache miss, ${s.duration} s`);
        const r =
          shape === "open"
            ? await openLoad({ url: stack.url, rate, duration: s.duration, nextBody })
            : await load({ url: stack.url, connections: s.moderateConnections, duration: s.duration, nextBody });
        const trackingCalls = stack.sim.counts().tracking;
        rows.push({
          ...r,
          windowMs,
          shape,
          load: label,
          addedP50: round(r.p50 - s.latencyMs, 2),
          addedP99: round(r.p99 - s.latencyMs, 2),
          trackingCalls,
          codesPerCall: round(r.requests / Math.max(1, trackingCalls), 2),
        });
      };
      if (!s.smoke) await measure("open", Math.max(1, Math.round(s.moderateRate / 5)));
      await measure("open");
      await measure("closed");
    } finally {
      await stack.close();
    }
  }
  const target = rows.find((r) => r.windowMs === 2 && r.shape === "open" && r.load === `${s.moderateRate} req/s`)!;
  return {
    scenario: "latency",
    title: `Added latency: every request a cache miss, simulator latency ${s.latencyMs} ms, ${s.duration} s each`,
    settings: s,
    data: { simulatorLatencyMs: s.latencyMs, rows },
    tables: [
      {
        title: "shipment(code) on a code never asked before",
        columns: ["merge window", "load", "answered/s", "p50 ms", "p99 ms", "added p50 ms", "added p99 ms", "tracking calls", "codes per call", "errors"],
        rows: rows.map((r) => [
          `${r.windowMs} ms${r.windowMs === 2 ? " (default)" : ""}`,
          `${r.shape} loop, ${r.load}`,
          r.reqPerSec,
          ms(r.p50),
          ms(r.p99),
          r.addedP50.toFixed(1),
          r.addedP99.toFixed(1),
          r.trackingCalls,
          r.codesPerCall,
          failures(r),
        ]),
      },
    ],
    checks: [
      {
        target: `p99 added over the simulator's latency ≤ ${ADDED_P99_TARGET_MS} ms at moderate load`,
        value: `${target.addedP99.toFixed(1)} ms (p99 ${ms(target.p99)} ms − ${s.latencyMs} ms, open loop ${s.moderateRate} req/s)`,
        met: target.addedP99 <= ADDED_P99_TARGET_MS,
      },
    ],
    notes: [
      "Added latency includes two loopback HTTP hops (client → subgraph → simulator), GraphQL parsing and execution, the store write of the answer and the merge window.",
      "Tracking calls go 4 at a time (TRACKING_CONCURRENCY=4): with one simulated round trip per call, at most 4 / latency calls per second leave; codes arriving while every slot is busy wait and leave together in the next free call (codes per call > 1), which spares Correios calls at the price of that wait.",
    ],
  };
}
