// The reference of the run: a bare @apollo/server answering `{ __typename }` on this machine, with the same
// autocannon settings as the saturation measurements. Every throughput figure of the other scenarios is a ratio to it.
import type { BaselineFigures, BenchContext } from "../lib/context.js";
import { ms, type ScenarioResult } from "../lib/report.js";
import { failures } from "../lib/load.js";

export async function run(ctx: BenchContext): Promise<ScenarioResult<BaselineFigures>> {
  const s = ctx.settings;
  const b = await ctx.baseline();
  return {
    scenario: "baseline",
    title: `Baseline: bare @apollo/server answering { __typename }, ${s.connections} connections, ${s.duration} s`,
    settings: s,
    data: b,
    tables: [
      {
        title: "Baseline",
        columns: ["server", "req/s", "p50 ms", "p99 ms", "max ms", "RSS max MB", "errors"],
        rows: [["@apollo/server 5, standalone", b.reqPerSec, ms(b.p50), ms(b.p99), ms(b.max), b.rssMb, failures(b)]],
      },
    ],
    checks: [],
    notes: [],
  };
}
