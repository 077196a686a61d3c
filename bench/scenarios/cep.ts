// CEP lookups for 1,000 postings over 200 distinct CEPs: upstream CEP calls cold (one per distinct CEP: the loader
// and the shared cache dedupe the rest) and warm (none), and the time of each pass.
import { parse } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { generatedCep } from "../../simulator/index.js";
import type { BenchContext } from "../lib/context.js";
import { round } from "../lib/load.js";
import { ms, type ScenarioResult } from "../lib/report.js";
import { startStack } from "../lib/stack.js";

const PER_REQUEST = 50;

export interface CepData {
  lookups: number;
  distinct: number;
  coldCalls: number;
  warmCalls: number;
  coldMs: number;
  warmMs: number;
}

export async function run(ctx: BenchContext): Promise<ScenarioResult<CepData>> {
  const s = ctx.settings;
  const lookups = s.smoke ? 100 : 1000;
  const distinct = s.smoke ? 20 : 200;
  const ceps = Array.from({ length: lookups }, (_, i) => generatedCep(i % distinct));
  // One document per page of 50 postings, each CEP an aliased address field (what an order list page asks).
  const docs: TypedDocumentNode<Record<string, { city: string } | null>, Record<string, never>>[] = [];
  for (let i = 0; i < lookups; i += PER_REQUEST) {
    const fields = ceps.slice(i, i + PER_REQUEST).map((c, j) => `a${j}: address(cep: "${c}") { cep city }`);
    docs.push(parse(`{ ${fields.join(" ")} }`) as never);
  }
  const stack = await startStack({ latencyMs: s.latencyMs });
  try {
    const pass = async () => {
      stack.sim.reset();
      const t = performance.now();
      const results = await Promise.all(docs.map((d) => stack.gql(d, {}, { operator: true })));
      const failed = results.find((r) => r.errors);
      if (failed) throw new Error(`cep: ${JSON.stringify(failed.errors?.[0])}`);
      return { ms: round(performance.now() - t, 1), calls: stack.sim.counts().cep };
    };
    ctx.log(`cep: ${lookups} lookups over ${distinct} CEPs`);
    const cold = await pass();
    const warm = await pass();
    return {
      scenario: "cep",
      title: `CEP lookups: ${lookups} over ${distinct} distinct CEPs in ${docs.length} concurrent requests, simulator latency ${s.latencyMs} ms`,
      settings: s,
      data: { lookups, distinct, coldCalls: cold.calls, warmCalls: warm.calls, coldMs: cold.ms, warmMs: warm.ms },
      tables: [
        {
          title: "Upstream CEP calls",
          columns: ["lookups", "distinct CEPs", "cold calls", "warm calls", "cold ms", "warm ms"],
          rows: [[lookups, distinct, cold.calls, warm.calls, ms(cold.ms), ms(warm.ms)]],
        },
      ],
      checks: [
        { target: "one upstream call per distinct CEP cold", value: `${cold.calls} for ${distinct}`, met: cold.calls === distinct },
        { target: "no upstream call warm", value: String(warm.calls), met: warm.calls === 0 },
      ],
      notes: ["One call per CEP: the batch form (?cep=A&cep=B) rests on one source, so it is not used."],
    };
  } finally {
    await stack.close();
  }
}
