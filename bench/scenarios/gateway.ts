// The order list through the gateway: 120 orders from the orders example, each with its parcel's status from this
// subgraph (one `_entities` request of 120 codes). Cold: ⌈120/50⌉ = 3 tracking calls and one round trip of them;
// warm: none. The gateway and the orders subgraph run in their own process (bench/gateway-process.ts), this subgraph
// in another, the load generator in this one.
import { randomBytes } from "node:crypto";
import { print } from "graphql";
import { BenchOrderListDocument, BenchOrderListOnlyDocument } from "../../test/generated/graphql.js";
import type { BenchContext } from "../lib/context.js";
import { failures, graphqlBody, round, saturate, type LoadResult } from "../lib/load.js";
import { ms, ratio, type ScenarioResult } from "../lib/report.js";
import { CLIENT_ID, sampleRss, startScriptServer, startStack, TRACKING_BATCH } from "../lib/stack.js";

export const ORDER_COUNT = 120;

export interface GatewayData {
  baseline: { reqPerSec: number; p99: number };
  cold: { ms: number; trackingCalls: number; tokenCalls: number; orders: number; withStatus: number };
  warm: { ms: number; upstreamCalls: number };
  warmLoad: LoadResult & { upstreamCalls: number; subgraphRssMb: number };
  ordersOnlyLoad: LoadResult;
}

export async function run(ctx: BenchContext): Promise<ScenarioResult<GatewayData>> {
  const s = ctx.settings;
  const base = await ctx.baseline();
  const routerSecret = randomBytes(24).toString("base64url");
  const stack = await startStack({ latencyMs: s.latencyMs, routerSecret });
  let data: GatewayData;
  try {
    const gateway = await startScriptServer("bench/gateway-process.ts", {
      CORREIOS_SUBGRAPH_URL: stack.url,
      ROUTER_SECRET: routerSecret,
      CLIENT_ID,
      ORDER_COUNT: String(ORDER_COUNT),
    });
    try {
      const ask = async (doc: typeof BenchOrderListDocument) => {
        const t = performance.now();
        const res = await fetch(gateway.url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-client-id": CLIENT_ID },
          body: graphqlBody(print(doc), { first: ORDER_COUNT }),
        });
        const json = (await res.json()) as { data?: { orders: Array<{ shipment: { status: string } | null }> }; errors?: unknown[] };
        if (json.errors || !json.data) throw new Error(`order list failed: ${JSON.stringify(json.errors)}`);
        return { ms: round(performance.now() - t, 1), orders: json.data.orders };
      };
      stack.sim.reset();
      const first = await ask(BenchOrderListDocument);
      const c = stack.sim.counts();
      const cold = {
        ms: first.ms,
        trackingCalls: c.tracking,
        tokenCalls: c.token,
        orders: first.orders.length,
        withStatus: first.orders.filter((o) => o.shipment?.status).length,
      };
      stack.sim.reset();
      const again = await ask(BenchOrderListDocument);
      const warm = { ms: again.ms, upstreamCalls: stack.sim.counts().total };

      ctx.log(`gateway: warm order list of ${ORDER_COUNT}, ${s.connections} connections, ${s.duration} s`);
      const headers = { "x-client-id": CLIENT_ID };
      stack.sim.reset();
      const rss = sampleRss(stack.subgraph.child.pid!);
      const warmRun = await saturate(s, gateway.url, graphqlBody(print(BenchOrderListDocument), { first: ORDER_COUNT }), headers);
      const warmLoad = { ...warmRun, upstreamCalls: stack.sim.counts().total, subgraphRssMb: rss.stop() };
      ctx.log(`gateway: order list without shipments, ${s.connections} connections, ${s.duration} s`);
      const ordersOnlyLoad = await saturate(s, gateway.url, graphqlBody(print(BenchOrderListOnlyDocument), { first: ORDER_COUNT }), headers);
      data = { baseline: { reqPerSec: base.reqPerSec, p99: base.p99 }, cold, warm, warmLoad, ordersOnlyLoad };
    } finally {
      await gateway.close();
    }
  } finally {
    await stack.close();
  }
  const { cold, warm, warmLoad, ordersOnlyLoad } = data;
  const expected = Math.ceil(ORDER_COUNT / TRACKING_BATCH);
  return {
    scenario: "gateway",
    title: `Order list through the gateway: ${ORDER_COUNT} orders with shipment status, simulator latency ${s.latencyMs} ms`,
    settings: s,
    data,
    tables: [
      {
        title: "One request",
        columns: ["cache", "ms", "tracking calls", "token calls", "orders", "with status"],
        rows: [
          ["cold", ms(cold.ms), cold.trackingCalls, cold.tokenCalls, cold.orders, cold.withStatus],
          ["warm", ms(warm.ms), warm.upstreamCalls, 0, cold.orders, cold.withStatus],
        ],
      },
      {
        title: `Warm, under load (${s.connections} connections)`,
        columns: ["query", "req/s", "× baseline", "p50 ms", "p99 ms", "upstream calls", "subgraph RSS max MB", "errors"],
        rows: [
          ["baseline `{ __typename }` (no gateway)", base.reqPerSec, "1.00×", ms(base.p50), ms(base.p99), "-", "-", base.errors + base.non2xx],
          ["orders only (gateway + orders subgraph)", ordersOnlyLoad.reqPerSec, ratio(ordersOnlyLoad.reqPerSec, base.reqPerSec), ms(ordersOnlyLoad.p50), ms(ordersOnlyLoad.p99), "-", "-", failures(ordersOnlyLoad)],
          [
            "orders + shipment status",
            warmLoad.reqPerSec,
            ratio(warmLoad.reqPerSec, base.reqPerSec),
            ms(warmLoad.p50),
            ms(warmLoad.p99),
            warmLoad.upstreamCalls,
            warmLoad.subgraphRssMb,
            failures(warmLoad),
          ],
        ],
      },
    ],
    checks: [
      {
        target: `order list of ${ORDER_COUNT}: ⌈${ORDER_COUNT}/50⌉ = ${expected} tracking calls cold, 0 warm`,
        value: `${cold.trackingCalls} cold, ${warm.upstreamCalls + warmLoad.upstreamCalls} warm`,
        met: cold.trackingCalls === expected && warm.upstreamCalls === 0 && warmLoad.upstreamCalls === 0,
      },
    ],
    notes: [
      "The gateway is @apollo/gateway in @apollo/server (examples/gateway.ts), standing in for Apollo Router; it adds its own query planning and a second hop. The order list without shipments isolates that cost.",
    ],
  };
}
