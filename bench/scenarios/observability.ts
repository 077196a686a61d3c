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
}

export async function run(ctx: BenchContext): Promise<ScenarioResult<{ rows: ObservabilityRow[]; exports: number }>> {
  const s = ctx.settings;
  const codes = trackingCodes(50, 400_000);
  const body = graphqlBody(print(BenchShipmentStatusesDocument), { codes });
  const rows: ObservabilityRow[] = [];
  const measure = async (stack: Stack, mode: string, headers?: Record<string, string>) => {
    ctx.log(`observability: ${mode}, ${s.connections} connections, ${s.duration} s`);
    rows.push({ mode, ...(await saturate(s, stack.url, body, headers)) });
  };
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
    const plain = await startStack({ latencyMs: s.latencyMs });
    stacks.push(plain);
    const traced = await startStack({
      latencyMs: s.latencyMs,
      env: { OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` },
    });
    stacks.push(traced);
    await warm(plain);
    await warm(traced);
    // Alternated, so that other work on the machine weighs on both alike. ftv1 comes last: it cannot be undone.
    for (let round = 1; round <= (s.smoke ? 1 : 2); round++) {
      await measure(plain, `tracing off, no ftv1 asked (default), round ${round}`);
      await measure(traced, `tracing on (OTLP, every request sampled), round ${round}`);
    }
    await measure(plain, "ftv1 asked on every request");
    await measure(plain, "tracing off, no ftv1 asked, once ftv1 was asked");
  } finally {
    for (const stack of stacks) await stack.close();
    await new Promise<void>((resolve) => collector.close(() => resolve()));
  }

  const first = rows[0]!;
  return {
    scenario: "observability",
    title: `Observability cost: warm shipments(50), ${s.connections} connections, ${s.duration} s each`,
    settings: s,
    data: { rows, exports },
    tables: [
      {
        title: "Warm shipments(50)",
        columns: ["mode", "req/s", "× default", "p50 ms", "p99 ms", "p99 × default", "errors"],
        rows: rows.map((r) => [r.mode, r.reqPerSec, ratio(r.reqPerSec, first.reqPerSec), ms(r.p50), ms(r.p99), ratio(r.p99, first.p99), failures(r)]),
      },
    ],
    checks: [],
    notes: [`The collector stub received ${exports} OTLP export requests during the traced run.`],
  };
}
