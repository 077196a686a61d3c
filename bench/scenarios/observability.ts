// What the observability costs on the warm path: shipments(50) from the cache at saturation with tracing off and no
// ftv1 asked (the default), with `apollo-federation-include-trace: ftv1` on every request, without it again once it
// was asked (Apollo then keeps every field wrapped for its per-field hook), and with tracing on, exporting OTLP to a
// collector stub in this process. Run with `npm run bench -- --scenario observability`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { print } from "graphql";
import { BenchShipmentStatusesDocument } from "../../test/generated/graphql.js";
import type { BenchContext } from "../lib/context.js";
import { failures, graphqlBody, saturate, type LoadResult } from "../lib/load.js";
import { ms, ratio, type ScenarioResult } from "../lib/report.js";
import { startStack, trackingCodes, type Stack } from "../lib/stack.js";

export interface ObservabilityRow extends LoadResult {
  mode: string;
  round: number;
}

const MODES = [
  "tracing off, no ftv1 asked (default)",
  "tracing on (OTLP, every request sampled)",
  "ftv1 asked on every request",
  "no ftv1 asked, on a subgraph that was asked for ftv1",
  "the same subgraph before it was asked for ftv1",
] as const;

export async function run(ctx: BenchContext): Promise<ScenarioResult<{ rows: ObservabilityRow[]; exports: number }>> {
  const s = ctx.settings;
  const codes = trackingCodes(50, 400_000);
  const body = graphqlBody(print(BenchShipmentStatusesDocument), { codes });
  const rows: ObservabilityRow[] = [];
  const warm = async (stack: Stack) => {
    const r = await stack.gql(BenchShipmentStatusesDocument, { codes });
    if (r.errors || r.data?.shipments.length !== codes.length) throw new Error(`warming failed: ${JSON.stringify(r.errors)}`);
  };

  // Spans leave in OTLP/JSON batches to a stub that reads and drops them, as a local collector would.
  let exports = 0;
  const collector = createServer((req, res) => {
    req.resume().on("end", () => {
      exports++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const stacks: Stack[] = [];
  try {
    const otlp = { OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` };
    // One subgraph per mode: once asked for ftv1, Apollo keeps every field wrapped for its per-field hook, so the
    // third and fourth modes share a subgraph of their own.
    for (const env of [{}, otlp, {}]) stacks.push(await startStack({ latencyMs: s.latencyMs, env }));
    const [plain, traced, ftv1] = stacks as [Stack, Stack, Stack];
    for (const stack of stacks) await warm(stack);
    const FTV1 = { "apollo-federation-include-trace": "ftv1" };
    const runs: Array<[Stack, Record<string, string> | undefined]> = [[plain, undefined], [traced, undefined], [ftv1, FTV1], [ftv1, undefined], [ftv1, undefined]];
    const measure = async (i: number, round: number) => {
      const [stack, headers] = runs[i]!;
      ctx.log(`observability: ${MODES[i]}, round ${round}, ${s.connections} connections, ${s.duration} s`);
      rows.push({ mode: MODES[i]!, round, ...(await saturate(s, stack.url, body, headers)) });
    };
    // Processes differ a little: the ftv1 subgraph is also measured once before ftv1, to compare it with itself.
    await measure(4, 1);
    // Rounds alternate the modes, the second in reverse (but ftv1 is asked before its subgraph's plain run), so other
    // work on the machine weighs on every mode alike.
    for (let round = 1; round <= (s.smoke ? 1 : 2); round++) {
      const order = round % 2 === 1 ? [0, 1, 2, 3] : [2, 3, 1, 0];
      for (const i of order) await measure(i, round);
    }
  } finally {
    for (const stack of stacks) await stack.close();
    await new Promise<void>((resolve) => collector.close(() => resolve()));
  }

  const base = (round: number) => rows.find((r) => r.round === round && r.mode === MODES[0])!;
  return {
    scenario: "observability",
    title: `Observability cost: warm shipments(50), ${s.connections} connections, ${s.duration} s each`,
    settings: s,
    data: { rows, exports },
    tables: [
      {
        title: "Warm shipments(50), each mode as a ratio to the default in the same round",
        columns: ["mode", "round", "req/s", "× default", "p50 ms", "p99 ms", "p99 × default", "errors"],
        rows: MODES.flatMap((mode) =>
          rows
            .filter((r) => r.mode === mode)
            .map((r) => [mode, r.round, r.reqPerSec, ratio(r.reqPerSec, base(r.round).reqPerSec), ms(r.p50), ms(r.p99), ratio(r.p99, base(r.round).p99), failures(r)]),
        ),
      },
    ],
    checks: [],
    notes: [`The collector stub received ${exports} OTLP export requests from the traced subgraph.`],
  };
}
