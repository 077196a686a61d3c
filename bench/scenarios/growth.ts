// Growth: one shipments(codes) request of N codes never asked before, for N = 1 … 10,000. Upstream calls must be
// exactly ⌈N/L⌉ (L = 50, Correios' per-call limit); latency should follow ⌈⌈N/L⌉/C⌉ round trips (C = 4 calls at a
// time, TRACKING_CONCURRENCY). The repeat of the same request is served from the cache.
import { BenchShipmentStatusesDocument } from "../../test/generated/graphql.js";
import type { BenchContext } from "../lib/context.js";
import { round } from "../lib/load.js";
import { ms, type ScenarioResult } from "../lib/report.js";
import { startStack, TRACKING_BATCH, trackingCodes } from "../lib/stack.js";

export const GROWTH_SIZES = [1, 10, 100, 1000, 10_000] as const;
export const SMOKE_GROWTH_SIZES = [1, 10, 100, 1000] as const;
const CONCURRENCY = 4;

export interface GrowthRow {
  codes: number;
  /** ⌈N/L⌉ */
  expectedCalls: number;
  /** Tracking calls of each repetition. */
  calls: number[];
  extraCalls: number;
  tokenCalls: number;
  /** Cold latency of each repetition, ms. */
  coldMs: number[];
  coldMedianMs: number;
  /** ⌈⌈N/L⌉/C⌉ × simulator latency: the round trips that cannot be avoided. */
  floorMs: number;
  warmMs: number;
  warmCalls: number;
}

export interface GrowthData {
  rows: GrowthRow[];
}

export async function run(ctx: BenchContext): Promise<ScenarioResult<GrowthData>> {
  const s = ctx.settings;
  const sizes = s.smoke ? SMOKE_GROWTH_SIZES : GROWTH_SIZES;
  const reps = s.smoke ? 1 : 3;
  const stack = await startStack({ latencyMs: s.latencyMs });
  const rows: GrowthRow[] = [];
  try {
    let serial = 40_000_000;
    for (const n of sizes) {
      ctx.log(`growth: ${n} codes × ${reps}`);
      const calls: number[] = [];
      const coldMs: number[] = [];
      let tokenCalls = 0;
      let warmMs = 0;
      let warmCalls = 0;
      for (let rep = 0; rep < reps; rep++) {
        const codes = trackingCodes(n, serial, "AD");
        serial += n;
        stack.sim.reset();
        let t = performance.now();
        const cold = await stack.gql(BenchShipmentStatusesDocument, { codes });
        coldMs.push(round(performance.now() - t, 1));
        if (cold.errors || cold.data?.shipments.length !== n) throw new Error(`growth ${n}: ${JSON.stringify(cold.errors?.[0])}`);
        calls.push(stack.sim.counts().tracking);
        tokenCalls += stack.sim.counts().token;
        if (rep === 0) {
          stack.sim.reset();
          t = performance.now();
          await stack.gql(BenchShipmentStatusesDocument, { codes });
          warmMs = round(performance.now() - t, 1);
          warmCalls = stack.sim.counts().total;
        }
      }
      const expectedCalls = Math.ceil(n / TRACKING_BATCH);
      const sorted = [...coldMs].sort((a, b) => a - b);
      rows.push({
        codes: n,
        expectedCalls,
        calls,
        extraCalls: Math.max(...calls) - expectedCalls,
        tokenCalls,
        coldMs,
        coldMedianMs: sorted[Math.floor(sorted.length / 2)]!,
        floorMs: Math.ceil(expectedCalls / CONCURRENCY) * s.latencyMs,
        warmMs,
        warmCalls,
      });
    }
  } finally {
    await stack.close();
  }
  const extra = rows.reduce((t, r) => t + Math.max(0, r.extraCalls), 0);
  return {
    scenario: "growth",
    title: `Growth: one shipments(codes) request of N new codes, simulator latency ${s.latencyMs} ms, median of ${reps}`,
    settings: s,
    data: { rows },
    tables: [
      {
        title: "Upstream calls and latency by N",
        columns: ["N codes", "⌈N/50⌉", "tracking calls", "extra", "cold ms", "floor ⌈⌈N/50⌉/4⌉ × latency", "cold − floor ms", "warm ms", "warm calls"],
        rows: rows.map((r) => [
          r.codes.toLocaleString("en-US"),
          r.expectedCalls,
          [...new Set(r.calls)].join(", "),
          r.extraCalls,
          ms(r.coldMedianMs),
          r.floorMs,
          ms(r.coldMedianMs - r.floorMs),
          ms(r.warmMs),
          r.warmCalls,
        ]),
      },
    ],
    checks: [{ target: "zero extra upstream calls over ⌈N/L⌉", value: `${extra} extra over ${rows.map((r) => r.codes).join(", ")} codes`, met: extra === 0 }],
    notes: [`Tracking calls go ${CONCURRENCY} at a time (TRACKING_CONCURRENCY), so N codes need ⌈⌈N/50⌉/4⌉ sequential round trips.`],
  };
}
