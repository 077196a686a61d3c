// graphql-jit against graphql-js (issue 15): the ceiling server (bench/ceiling-server.mjs: our schema on @apollo/server,
// answers from memory) run once with graphql-js and once with graphql-jit behind Apollo's gateway interface, warm
// shipments(50), rounds interleaved. The ceiling is the most an executor can win for us: it changes only the
// execution step, and the subgraph's own work (cache, validation of codes, auth, HTTP) comes on top of the same
// step, so the subgraph's gain is smaller than the ceiling's. graphql-jit is kept only if it wins by ≥ 1.5×.
// Run on demand: `npm run bench -- --scenario jit` (not part of `all`).
import { print } from "graphql";
import { BenchShipmentStatusesDocument } from "../../test/generated/graphql.js";
import type { BenchContext } from "../lib/context.js";
import { interleavedRounds, pairedRatios, saturateMeasured, type Load, type Measured } from "../lib/cpu.js";
import { failures, graphqlBody } from "../lib/load.js";
import { ms, ratio, type ScenarioResult } from "../lib/report.js";
import { startScriptServer, trackingCodes, type ScriptServer } from "../lib/stack.js";

/** What graphql-jit must win to be worth a second executor (the bar). */
export const KEEP_IF = 1.5;

type Executor = "graphql-js" | "graphql-jit";
const EXECUTORS: readonly Executor[] = ["graphql-js", "graphql-jit"];

export interface JitData {
  rounds: Array<{ round: number } & Record<Executor, Measured>>;
  /** Median over rounds of jit's req/s over graphql-js's, and the same for CPU per request (js over jit). */
  speedup: number;
  cpuSpeedup?: number;
}

export async function run(ctx: BenchContext, opts: { rounds?: number } = {}): Promise<ScenarioResult<JitData>> {
  const s = ctx.settings;
  const body = graphqlBody(print(BenchShipmentStatusesDocument), { codes: trackingCodes(50, 700_000) });
  const servers: Partial<Record<Executor, ScriptServer>> = {};
  let rounds: JitData["rounds"];
  try {
    for (const e of EXECUTORS) servers[e] = await startScriptServer("bench/ceiling-server.mjs", { CEILING_EXECUTOR: e });
    // Both executors must give the same answer, byte for byte, or the comparison means nothing.
    const [js, jitted] = await Promise.all([answer(servers["graphql-js"]!.url, body), answer(servers["graphql-jit"]!.url, body)]);
    if (js !== jitted || !js.includes('"shipments":[{')) throw new Error(`graphql-jit answered differently: ${jitted.slice(0, 200)} / ${js.slice(0, 200)}`);
    const measure = (e: Executor, settings: Load) => saturateMeasured(settings, servers[e]!.url, servers[e]!.pid, body);
    rounds = await interleavedRounds(EXECUTORS, measure, { settings: s, rounds: opts.rounds ?? (s.smoke ? 1 : 3), firstWarmupSeconds: 5, log: ctx.log, label: "jit" });
  } finally {
    await Promise.all(Object.values(servers).map((x) => x.close()));
  }
  const paired = pairedRatios(rounds, "graphql-jit", "graphql-js");
  const data: JitData = { rounds, speedup: paired.reqPerSec, cpuSpeedup: paired.cpu };
  return {
    scenario: "jit",
    title: `graphql-jit against graphql-js on the ceiling server: warm shipments(50), ${s.connections} connections, ${s.duration} s, ${rounds.length} round(s)`,
    settings: s,
    data,
    tables: [
      {
        title: "Each round",
        columns: ["round", "executor", "req/s", "× graphql-js", "CPU µs/req", "p50 ms", "p99 ms", "errors"],
        rows: rounds.flatMap((r) =>
          EXECUTORS.map((e) => [r.round, e, r[e].reqPerSec, ratio(r[e].reqPerSec, r["graphql-js"].reqPerSec), r[e].cpuUsPerRequest ?? "-", ms(r[e].p50), ms(r[e].p99), failures(r[e])]),
        ),
      },
    ],
    checks: [
      { target: `graphql-jit ≥ ${KEEP_IF}× graphql-js's req/s (median of rounds), or it is not kept`, value: `${data.speedup.toFixed(2)}×`, met: data.speedup >= KEEP_IF },
      {
        target: "the same in CPU per request",
        value: data.cpuSpeedup === undefined ? "not measured (no /proc)" : `${data.cpuSpeedup.toFixed(2)}×`,
        met: data.cpuSpeedup !== undefined && data.cpuSpeedup >= KEEP_IF,
      },
    ],
    notes: ["Both servers are the ceiling (answers from memory, no services); graphql-jit compiles each document once, behind Apollo's gateway interface."],
  };
}

async function answer(url: string, body: string): Promise<string> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  return res.text();
}
