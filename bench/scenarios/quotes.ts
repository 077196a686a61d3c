// quotes(input) for the 5 services of the seeded contract. Cold: one request (must be 1 price + 1 deadline call),
// then a moderate load where every request is a new route (each one cold). Warm: one input repeated at saturation,
// with no upstream call.
import { print } from "graphql";
import { BenchQuotesDocument, type QuoteInput } from "../../test/generated/graphql.js";
import type { BenchContext } from "../lib/context.js";
import { failures, graphqlBody, load, round, saturate, type LoadResult } from "../lib/load.js";
import { ms, ratio, type ScenarioResult } from "../lib/report.js";
import { quiesce, startStack } from "../lib/stack.js";

/** Every product the simulator's `loja-demo` contract may quote. */
export const SERVICES = ["03220", "03298", "03140", "03158", "04227"];

/** A 300 g box (inside Mini Envios' limit) from São Paulo to a destination CEP in the 13… range. */
function input(destinationSerial: number): QuoteInput {
  return {
    originCep: "01310-100",
    destinationCep: String(13_000_000 + (destinationSerial % 999_999) + 1),
    package: { format: "BOX", weightGrams: 300, lengthCm: 20, widthCm: 15, heightCm: 10 },
    services: SERVICES,
  };
}

export interface QuotesData {
  baseline: { reqPerSec: number; p99: number };
  single: { ms: number; priceCalls: number; deadlineCalls: number; quotes: number; refused: number };
  cold: LoadResult & { priceCalls: number; deadlineCalls: number };
  warm: LoadResult & { upstreamCalls: number };
  singleWarm: { ms: number; upstreamCalls: number };
}

export async function run(ctx: BenchContext): Promise<ScenarioResult<QuotesData>> {
  const s = ctx.settings;
  const base = await ctx.baseline();
  const stack = await startStack({ latencyMs: s.latencyMs });
  const query = print(BenchQuotesDocument);
  let data: QuotesData;
  try {
    // One cold request, then the same one warm.
    stack.sim.reset();
    let t = performance.now();
    const first = await stack.gql(BenchQuotesDocument, { input: input(0) });
    const singleMs = round(performance.now() - t, 1);
    if (first.errors || first.data?.quotes.length !== SERVICES.length) throw new Error(`quotes failed: ${JSON.stringify(first.errors ?? first.data)}`);
    const c = stack.sim.counts();
    const single = { ms: singleMs, priceCalls: c.price, deadlineCalls: c.deadline, quotes: first.data.quotes.length, refused: first.data.quotes.filter((q) => q.error).length };
    stack.sim.reset();
    t = performance.now();
    await stack.gql(BenchQuotesDocument, { input: input(0) });
    const singleWarm = { ms: round(performance.now() - t, 1), upstreamCalls: stack.sim.counts().total };

    ctx.log(`quotes: cold, every request a new route, ${s.moderateConnections} connections, ${s.duration} s`);
    let serial = 1;
    const nextBody = () => graphqlBody(query, { input: input(serial++) });
    if (s.warmup > 0) await load({ url: stack.url, connections: s.moderateConnections, duration: s.warmup, nextBody });
    await quiesce(stack.sim, s.latencyMs);
    stack.sim.reset();
    const coldLoad = await load({ url: stack.url, connections: s.moderateConnections, duration: s.duration, nextBody });
    await quiesce(stack.sim, s.latencyMs);
    const cold = { ...coldLoad, priceCalls: stack.sim.counts().price, deadlineCalls: stack.sim.counts().deadline };

    ctx.log(`quotes: warm, ${s.connections} connections, ${s.duration} s`);
    stack.sim.reset();
    const warmLoad = await saturate(s, stack.url, graphqlBody(query, { input: input(0) }));
    const warm = { ...warmLoad, upstreamCalls: stack.sim.counts().total };
    data = { baseline: { reqPerSec: base.reqPerSec, p99: base.p99 }, single, singleWarm, cold, warm };
  } finally {
    await stack.close();
  }
  const { single, singleWarm, cold, warm } = data;
  return {
    scenario: "quotes",
    title: `quotes(input) with ${SERVICES.length} services, simulator latency ${s.latencyMs} ms`,
    settings: s,
    data,
    tables: [
      {
        title: "One request",
        columns: ["cache", "ms", "price calls", "deadline calls", "quotes", "refused"],
        rows: [
          ["cold", ms(single.ms), single.priceCalls, single.deadlineCalls, single.quotes, single.refused],
          ["warm", ms(singleWarm.ms), singleWarm.upstreamCalls, "", single.quotes, ""],
        ],
      },
      {
        title: "Under load",
        columns: ["cache", "connections", "req/s", "× baseline", "p50 ms", "p99 ms", "price calls / request", "deadline calls / request", "errors"],
        rows: [
          ["baseline `{ __typename }`", s.connections, base.reqPerSec, "1.00×", ms(base.p50), ms(base.p99), "-", "-", base.errors + base.non2xx],
          [
            "cold (new route each)",
            s.moderateConnections,
            cold.reqPerSec,
            ratio(cold.reqPerSec, base.reqPerSec),
            ms(cold.p50),
            ms(cold.p99),
            round(cold.priceCalls / Math.max(1, cold.requests), 2),
            round(cold.deadlineCalls / Math.max(1, cold.requests), 2),
            failures(cold),
          ],
          [
            "warm (same input)",
            s.connections,
            warm.reqPerSec,
            ratio(warm.reqPerSec, base.reqPerSec),
            ms(warm.p50),
            ms(warm.p99),
            round(warm.upstreamCalls / Math.max(1, warm.requests), 2),
            "",
            failures(warm),
          ],
        ],
      },
    ],
    checks: [
      {
        target: "quotes cold: 1 price + 1 deadline call for 5 services; warm: none",
        value: `${single.priceCalls} + ${single.deadlineCalls} cold, ${singleWarm.upstreamCalls + warm.upstreamCalls} warm`,
        met: single.priceCalls === 1 && single.deadlineCalls === 1 && singleWarm.upstreamCalls === 0 && warm.upstreamCalls === 0,
      },
    ],
    notes: ["Price and deadline are asked in parallel, so a cold quote costs one round trip."],
  };
}
