// How close our path comes to what graphql-js and Apollo themselves cost: warm shipments(50) selecting
// `code status stale` on the subgraph, on the ceiling (bench/ceiling-server.mjs: the same schema and query on
// @apollo/server + buildSubgraphSchema, objects from memory) and bare `{ __typename }` (bench/baseline-server.mjs),
// interleaved in rounds (the second in the reverse order) so a burst of other work on the machine falls on all three.
import { print } from "graphql";
import { BenchShipmentStatusesDocument, BenchTypenameDocument } from "../../test/generated/graphql.js";
import type { BenchContext } from "../lib/context.js";
import { failures, graphqlBody } from "../lib/load.js";
import { ms, ratio, type ScenarioResult } from "../lib/report.js";
import { interleavedRounds, pairedRatios, saturateMeasured, type Load, type Measured } from "../lib/cpu.js";
import { startBaseline, startScriptServer, startStack, trackingCodes, type ScriptServer } from "../lib/stack.js";

export const CODES = 50;
/** The goal of issue 15: our warm shipments(50) at 0.8× of the ceiling's req/s or better. */
export const GOAL = 0.8;

type Server = "subgraph" | "ceiling" | "bare";
const SERVERS: readonly Server[] = ["subgraph", "ceiling", "bare"];

export interface CeilingRound {
  round: number;
  subgraph: Measured;
  ceiling: Measured;
  bare: Measured;
}

export interface CeilingData {
  rounds: CeilingRound[];
  /** Upstream calls during the loads: 0 when the subgraph's cache serves everything. */
  upstreamCalls: number;
  /** Best round of each server, and the ratios of those. */
  best: Record<Server, number>;
  toCeiling: number;
  toBare: number;
  ceilingToBare: number;
  /** Median over rounds of our req/s over the ceiling's in the same round: less moved by one slow round than `toCeiling`. */
  pairedToCeiling: number;
  /** Median over rounds of the ceiling's CPU per request divided by ours (1 = the same cost); undefined without /proc. */
  cpuToCeiling?: number;
}

export const startCeiling = (): Promise<ScriptServer> => startScriptServer("bench/ceiling-server.mjs");

/** Seconds of load on each server before the first round, beyond each measurement's own warm-up: the subgraph has far more code for V8 to optimise than the two small servers, and its first round was consistently the lowest. */
const FIRST_WARMUP_SECONDS = 5;

export async function run(ctx: BenchContext, opts: { rounds?: number } = {}): Promise<ScenarioResult<CeilingData>> {
  const s = ctx.settings;
  const codes = trackingCodes(CODES, 700_000);
  const body = graphqlBody(print(BenchShipmentStatusesDocument), { codes });
  const bareBody = graphqlBody(print(BenchTypenameDocument));
  const stack = await startStack({ latencyMs: s.latencyMs });
  const servers: ScriptServer[] = [];
  let rounds: CeilingRound[];
  let upstreamCalls: number;
  try {
    const ceiling = await startCeiling();
    servers.push(ceiling);
    const bare = await startBaseline();
    servers.push(bare);
    const warm = await stack.gql(BenchShipmentStatusesDocument, { codes });
    if (warm.errors || warm.data?.shipments.length !== CODES) throw new Error(`warming ${CODES} codes failed: ${JSON.stringify(warm.errors)}`);
    await sameShape(ceiling.url, body, warm.data.shipments.length);
    stack.sim.reset();
    const target: Record<Server, { url: string; pid: number; body: string }> = {
      subgraph: { url: stack.url, pid: stack.subgraph.child.pid!, body },
      ceiling: { url: ceiling.url, pid: ceiling.pid, body },
      bare: { url: bare.url, pid: bare.pid, body: bareBody },
    };
    const measure = (server: Server, settings: Load): Promise<Measured> => saturateMeasured(settings, target[server].url, target[server].pid, target[server].body);
    rounds = await interleavedRounds(SERVERS, measure, {
      settings: s,
      rounds: opts.rounds ?? (s.smoke ? 1 : 3),
      firstWarmupSeconds: FIRST_WARMUP_SECONDS,
      log: ctx.log,
      label: "ceiling",
    });
    upstreamCalls = stack.sim.counts().total;
  } finally {
    await Promise.all(servers.map((x) => x.close()));
    await stack.close();
  }

  const bestOf = (server: Server) => Math.max(...rounds.map((r) => r[server].reqPerSec));
  const best = { subgraph: bestOf("subgraph"), ceiling: bestOf("ceiling"), bare: bestOf("bare") };
  const paired = pairedRatios(rounds, "subgraph", "ceiling");
  const data: CeilingData = {
    rounds,
    upstreamCalls,
    best,
    toCeiling: best.subgraph / best.ceiling,
    toBare: best.subgraph / best.bare,
    ceilingToBare: best.ceiling / best.bare,
    pairedToCeiling: paired.reqPerSec,
    cpuToCeiling: paired.cpu,
  };
  const label: Record<Server, string> = {
    subgraph: `this subgraph, shipments(${CODES}) warm`,
    ceiling: `ceiling, shipments(${CODES}) from memory`,
    bare: "bare `{ __typename }`",
  };
  return {
    scenario: "ceiling",
    title: `Warm shipments(${CODES}) against its ceiling, ${s.connections} connections, ${s.duration} s, ${rounds.length} round(s)`,
    settings: s,
    data,
    tables: [
      {
        title: "Each round",
        columns: ["round", "server", "req/s", "× ceiling", "× bare", "CPU µs/req", "× ceiling (CPU)", "p50 ms", "p99 ms", "errors"],
        rows: rounds.flatMap((r) =>
          SERVERS.map((server) => [
            r.round,
            label[server],
            r[server].reqPerSec,
            ratio(r[server].reqPerSec, r.ceiling.reqPerSec),
            ratio(r[server].reqPerSec, r.bare.reqPerSec),
            r[server].cpuUsPerRequest ?? "-",
            r[server].cpuUsPerRequest && r.ceiling.cpuUsPerRequest ? ratio(r.ceiling.cpuUsPerRequest, r[server].cpuUsPerRequest) : "-",
            ms(r[server].p50),
            ms(r[server].p99),
            failures(r[server]),
          ]),
        ),
      },
    ],
    checks: [
      {
        target: `warm shipments(${CODES}) ≥ ${GOAL}× of the ceiling's req/s (best rounds)`,
        value: `${best.subgraph} of ${best.ceiling} req/s = ${ratio(best.subgraph, best.ceiling)} (bare ${best.bare}: ${ratio(best.subgraph, best.bare)}; ceiling ${ratio(best.ceiling, best.bare)})`,
        met: data.toCeiling >= GOAL,
      },
      {
        target: `the same, round by round (median of rounds) ≥ ${GOAL}×`,
        value: `${data.pairedToCeiling.toFixed(2)}× (rounds: ${rounds.map((r) => ratio(r.subgraph.reqPerSec, r.ceiling.reqPerSec)).join(", ")})`,
        met: data.pairedToCeiling >= GOAL,
      },
      {
        target: `the same, as CPU per request (the ceiling's over ours, median of rounds) ≥ ${GOAL}×`,
        value: data.cpuToCeiling === undefined ? "not measured (no /proc)" : `${data.cpuToCeiling.toFixed(2)}×`,
        met: data.cpuToCeiling !== undefined && data.cpuToCeiling >= GOAL,
      },
      { target: "no upstream call on a warm cache", value: `${upstreamCalls} calls`, met: upstreamCalls === 0 },
    ],
    notes: [
      "Best round of each server; the ceiling runs without the cache-control plugin (as the subgraph does), the subgraph runs compiled (`node dist/index.js`).",
      `Each server first gets ${FIRST_WARMUP_SECONDS} s of unmeasured load, then every measurement its own ${s.warmup} s; rounds alternate the order.`,
      "CPU µs/req: the server process's user + system CPU time during the measured seconds over the requests it answered. The load generator shares the two cores, so req/s moves with its share; CPU per request is the server's own cost.",
    ],
  };
}

/** The ceiling must answer the same query with the same shape, or the comparison means nothing. */
async function sameShape(url: string, body: string, expected: number): Promise<void> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  const json = (await res.json()) as { data?: { shipments?: Array<Record<string, unknown>> }; errors?: unknown };
  const first = json.data?.shipments?.[0];
  if (json.errors || json.data?.shipments?.length !== expected || !first || Object.keys(first).join() !== "code,status,stale") {
    throw new Error(`the ceiling answered differently: ${JSON.stringify(json).slice(0, 300)}`);
  }
}
