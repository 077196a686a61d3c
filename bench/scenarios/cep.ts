// CEP lookups for 1,000 postings over 200 distinct CEPs, sent as pages of 50 aliased address fields (what a back
// office checking a page of postings asks): upstream CEP calls cold (one per distinct CEP: the loader and the shared
// cache dedupe the rest) and warm (none), the req/s of each pass, then the warm pages at saturation.
import { print } from "graphql";
import { generatedCep } from "../../simulator/index.js";
import { BenchAddressesDocument, type BenchAddressesQueryVariables } from "../../test/generated/graphql.js";
import type { BenchContext } from "../lib/context.js";
import { failures, graphqlBody, load, round, type LoadResult } from "../lib/load.js";
import { ms, type ScenarioResult } from "../lib/report.js";
import { quiesce, startStack } from "../lib/stack.js";

/** Aliases in BenchAddresses (bench/operations/cep.graphql). */
export const PER_REQUEST = 50;

export interface CepPass {
  requests: number;
  ms: number;
  reqPerSec: number;
  lookupsPerSec: number;
  calls: number;
}

export interface CepData {
  lookups: number;
  distinct: number;
  cold: CepPass;
  warm: CepPass;
  warmLoad: LoadResult & { upstreamCalls: number; lookupsPerSec: number };
}

/** The variables of one page: CEPs `from`…`from + 49` of the sequence, wrapping over `distinct` known CEPs. */
function page(from: number, distinct: number): BenchAddressesQueryVariables {
  return Object.fromEntries(Array.from({ length: PER_REQUEST }, (_, j) => [`c${j}`, generatedCep((from + j) % distinct)])) as BenchAddressesQueryVariables;
}

export async function run(ctx: BenchContext): Promise<ScenarioResult<CepData>> {
  const s = ctx.settings;
  const lookups = s.smoke ? 100 : 1000;
  const distinct = s.smoke ? 20 : 200;
  const pages = Array.from({ length: lookups / PER_REQUEST }, (_, i) => page(i * PER_REQUEST, distinct));
  const stack = await startStack({ latencyMs: s.latencyMs });
  try {
    // Every page at once: the cold pass is where the dedupe across concurrent requests shows.
    const pass = async (): Promise<CepPass> => {
      stack.sim.reset();
      const t = performance.now();
      const results = await Promise.all(pages.map((v) => stack.gql(BenchAddressesDocument, v)));
      const took = performance.now() - t;
      const failed = results.find((r) => r.errors || Object.values(r.data ?? {}).some((a) => !a?.city));
      if (failed) throw new Error(`cep: ${JSON.stringify(failed.errors?.[0] ?? failed.data)}`);
      return {
        requests: pages.length,
        ms: round(took, 1),
        reqPerSec: round((pages.length * 1000) / took, 1),
        lookupsPerSec: round((lookups * 1000) / took, 0),
        calls: stack.sim.counts().cep,
      };
    };
    ctx.log(`cep: ${lookups} lookups over ${distinct} CEPs in ${pages.length} requests, cold then warm`);
    const cold = await pass();
    const warm = await pass();

    ctx.log(`cep: warm pages at saturation, ${s.connections} connections, ${s.duration} s`);
    const query = print(BenchAddressesDocument);
    const bodies = pages.map((v) => graphqlBody(query, v));
    let next = 0;
    const nextBody = () => bodies[next++ % bodies.length]!;
    if (s.warmup > 0) await load({ url: stack.url, connections: s.connections, duration: s.warmup, nextBody });
    await quiesce(stack.sim, s.latencyMs);
    stack.sim.reset();
    const r = await load({ url: stack.url, connections: s.connections, duration: s.duration, nextBody });
    const warmLoad = { ...r, upstreamCalls: stack.sim.counts().cep, lookupsPerSec: Math.round(r.reqPerSec * PER_REQUEST) };

    return {
      scenario: "cep",
      title: `address(cep): ${lookups} lookups over ${distinct} distinct CEPs, ${PER_REQUEST} aliases a request, simulator latency ${s.latencyMs} ms`,
      settings: s,
      data: { lookups, distinct, cold, warm, warmLoad },
      tables: [
        {
          title: `All ${pages.length} requests at once`,
          columns: ["cache", "requests", "lookups", "upstream CEP calls", "ms", "req/s", "lookups/s"],
          rows: [
            ["cold", cold.requests, lookups, cold.calls, ms(cold.ms), cold.reqPerSec, cold.lookupsPerSec],
            ["warm", warm.requests, lookups, warm.calls, ms(warm.ms), warm.reqPerSec, warm.lookupsPerSec],
          ],
        },
        {
          title: "Warm pages at saturation",
          columns: ["connections", "req/s", "lookups/s", "p50 ms", "p99 ms", "upstream CEP calls", "errors"],
          rows: [[s.connections, warmLoad.reqPerSec, warmLoad.lookupsPerSec, ms(warmLoad.p50), ms(warmLoad.p99), warmLoad.upstreamCalls, failures(warmLoad)]],
        },
      ],
      checks: [
        { target: `cep cold: one upstream call per distinct CEP (${distinct})`, value: `${cold.calls} calls`, met: cold.calls === distinct },
        { target: "cep warm: no upstream call", value: `${warm.calls + warmLoad.upstreamCalls} calls`, met: warm.calls === 0 && warmLoad.upstreamCalls === 0 },
      ],
      notes: ["One call per CEP: Correios' batch form (?cep=A&cep=B) rests on one source, so the subgraph does not use it."],
    };
  } finally {
    await stack.close();
  }
}
