// `shipments` with 1, 50 and 500 codes on a warm cache, at saturation: req/s, p50/p99 and the subgraph's RSS, each
// as a ratio to the bare baseline. The cache is warmed by one request per size; the load must make no upstream call.
import { print } from "graphql";
import { BenchShipmentStatusesDocument } from "../../test/generated/graphql.js";
import type { BenchContext } from "../lib/context.js";
import { failures, graphqlBody, saturate, type LoadResult } from "../lib/load.js";
import { ms, ratio, type ScenarioResult } from "../lib/report.js";
import { rssMb, sampleRss, startStack, trackingCodes } from "../lib/stack.js";

export const SIZES = [1, 50, 500] as const;

export interface ShipmentsRow extends LoadResult {
  codes: number;
  /** Tracking calls of the warming request. */
  warmingCalls: number;
  /** Upstream calls during the load: 0 when the cache serves everything. */
  upstreamCalls: number;
  rssMb: number;
}

export interface ShipmentsData {
  baseline: { reqPerSec: number; p99: number; rssMb: number };
  idleRssMb: number;
  rows: ShipmentsRow[];
}

export async function run(ctx: BenchContext, opts: { sizes?: readonly number[]; nodeArgs?: string[] } = {}): Promise<ScenarioResult<ShipmentsData>> {
  const s = ctx.settings;
  const base = await ctx.baseline();
  const stack = await startStack({ latencyMs: s.latencyMs, nodeArgs: opts.nodeArgs });
  const rows: ShipmentsRow[] = [];
  const idleRssMb = rssMb(stack.subgraph.child.pid!);
  try {
    for (const [i, n] of (opts.sizes ?? SIZES).entries()) {
      const codes = trackingCodes(n, 100_000 + i * 10_000);
      stack.sim.reset();
      const warm = await stack.gql(BenchShipmentStatusesDocument, { codes });
      if (warm.errors || warm.data?.shipments.length !== n) throw new Error(`warming ${n} codes failed: ${JSON.stringify(warm.errors)}`);
      const warmingCalls = stack.sim.counts().tracking;
      stack.sim.reset();
      ctx.log(`shipments: ${n} codes, warm, ${s.connections} connections, ${s.duration} s`);
      const rss = sampleRss(stack.subgraph.child.pid!);
      const r = await saturate(s, stack.url, graphqlBody(print(BenchShipmentStatusesDocument), { codes }));
      rows.push({ ...r, codes: n, warmingCalls, upstreamCalls: stack.sim.counts().total, rssMb: rss.stop() });
    }
  } finally {
    await stack.close();
  }

  const at50 = rows.find((r) => r.codes === 50);
  const maxRss = Math.max(...rows.map((r) => r.rssMb));
  return {
    scenario: "shipments",
    title: `shipments(codes) on a warm cache, ${s.connections} connections, ${s.duration} s`,
    settings: s,
    data: { baseline: { reqPerSec: base.reqPerSec, p99: base.p99, rssMb: base.rssMb }, idleRssMb, rows },
    tables: [
      {
        title: "Warm shipments",
        columns: ["codes", "req/s", "× baseline", "codes/s", "p50 ms", "p99 ms", "p99 × baseline", "RSS max MB", "upstream calls", "errors"],
        rows: [
          ["baseline `{ __typename }`", base.reqPerSec, "1.00×", "-", ms(base.p50), ms(base.p99), "1.00×", base.rssMb, "-", base.errors + base.non2xx],
          ...rows.map((r) => [
            r.codes,
            r.reqPerSec,
            ratio(r.reqPerSec, base.reqPerSec),
            Math.round(r.reqPerSec * r.codes),
            ms(r.p50),
            ms(r.p99),
            ratio(r.p99, base.p99),
            r.rssMb,
            r.upstreamCalls,
            failures(r),
          ]),
        ],
      },
    ],
    checks: [
      ...(at50
        ? [{ target: "warm shipments(50) ≥ 50% of the baseline's req/s", value: `${at50.reqPerSec} req/s = ${ratio(at50.reqPerSec, base.reqPerSec)}`, met: at50.reqPerSec >= base.reqPerSec / 2 }]
        : []),
      { target: "RSS ≤ 200 MB at saturation", value: `${maxRss} MB max (${idleRssMb} MB idle)`, met: maxRss <= 200 },
      { target: "no upstream call on a warm cache", value: `${rows.reduce((t, r) => t + r.upstreamCalls, 0)} calls`, met: rows.every((r) => r.upstreamCalls === 0) },
    ],
    notes: [`The subgraph runs compiled (\`npm run build && npm run start:prod\`); its idle RSS after start-up was ${idleRssMb} MB. Under tsx (\`npm start\`) add about 55 MB.`],
  };
}
