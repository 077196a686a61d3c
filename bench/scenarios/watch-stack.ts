// The whole path under the watch schedule: the subgraph (its own process, as production runs it) watching N codes of
// the simulator with the status mix, WATCH_INTERVALS (and the batch wait, rate limit and tracking cache TTL)
// divided by the time compression so an hour of schedule runs in `hourSeconds`, a webhook endpoint on a receiver in
// this process, and a share of the parcels moving during the hour. Measured over the hour that follows the baselines:
// tracking calls against the floor (Σ due / 50), the subgraph's CPU and peak RSS, deliveries per second, and the time
// from a change's detection (the body's timestamp) to its delivery.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateWebhookEndpointDocument, WatchShipmentsDocument } from "../../test/generated/graphql.js";
import { buildTrackingCode } from "../../src/correios/domain/formats.js";
import { percentile, round } from "../lib/load.js";
import { CLIENT_ID, sampleRss, startStack } from "../lib/stack.js";
import { pollsPerHour, STATUS_MIX, statusOf, TRACKING_BATCH } from "./watch-engine.js";

/** The simulator's scenario is the serial's last digit (simulator/tracking-histories.ts). */
const SCENARIO_DIGIT: Record<string, number> = { POSTED: 4, IN_TRANSIT: 3, OUT_FOR_DELIVERY: 5, AWAITING_PICKUP: 6, DELIVERY_FAILED: 7 };

export interface StackRunOptions {
  codes: number;
  hourSeconds: number;
  latencyMs: number;
  /** Share of the codes that move once during the hour. */
  moving: number;
  /** STORE_URL for the subgraph (default: its SQLite file). */
  storeUrl?: string;
  log(m: string): void;
}

export interface StackRunData {
  store: string;
  codes: number;
  hourSeconds: number;
  watchMs: number;
  baselineMs: number;
  trackingCalls: number;
  codesAsked: number;
  expectedPolls: number;
  floor: number;
  cpuPercent: number;
  rssMb: number;
  moved: number;
  delivered: number;
  deliveriesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** User + system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

export async function runStack(o: StackRunOptions): Promise<StackRunData> {
  const C = 3600 / o.hourSeconds;
  const intervals = STATUS_MIX.map((m) => `${m.status}=${round(m.seconds / C, 3)}`).join(",");
  // The receiver: arrival time and the change's detection time of each delivery.
  const latencies: number[] = [];
  const arrivals: number[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const now = Date.now();
      try {
        const t = Date.parse((JSON.parse(body) as { timestamp: string }).timestamp);
        if (Number.isFinite(t)) latencies.push(now - t);
      } catch {
        // not a change
      }
      arrivals.push(now);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const stack = await startStack({
    latencyMs: o.latencyMs,
    env: {
      ...(o.storeUrl ? { STORE_URL: o.storeUrl } : {}),
      WATCH_INTERVALS: intervals,
      WATCH_MIN_INTERVAL_SECONDS: "0",
      WATCH_BATCH_WAIT_MS: String(Math.round(2000 / C)),
      WATCH_MAX_CALLS_PER_SECOND: String(Math.min(1000, Math.round(10 * C))),
      TRACKING_TTL_ACTIVE_SECONDS: String(Math.round(300 / C)),
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    },
  });
  try {
    const ep = await stack.gql(CreateWebhookEndpointDocument, { input: { clientId: CLIENT_ID, url: receiverUrl, events: ["SHIPMENT_UPDATED"] } }, { operator: true });
    if (!ep.data?.createWebhookEndpoint.endpoint) throw new Error(`watch: endpoint not created ${JSON.stringify(ep.errors ?? ep.data?.createWebhookEndpoint.userErrors)}`);
    const codes = Array.from({ length: o.codes }, (_, i) => buildTrackingCode("AB", 30_000_000 + i * 10 + SCENARIO_DIGIT[statusOf(i, o.codes).status]!));
    stack.sim.reset();
    const t0 = Date.now();
    const BATCH = 1000;
    for (let i = 0; i < codes.length; i += BATCH * 4) {
      await Promise.all(
        [0, 1, 2, 3].map(async (k) => {
          const part = codes.slice(i + k * BATCH, i + (k + 1) * BATCH);
          if (!part.length) return;
          const r = await stack.gql(WatchShipmentsDocument, { input: { clientId: CLIENT_ID, codes: part, metadata: { bench: true } } }, { operator: true });
          if (r.errors || r.data?.watchShipments.userErrors.length) throw new Error(`watch: watchShipments failed ${JSON.stringify(r.errors ?? r.data?.watchShipments.userErrors)}`);
        }),
      );
    }
    const watchMs = Date.now() - t0;
    o.log(`watch stack: ${o.codes} codes watched in ${watchMs} ms`);
    // The baselines: every code asked once.
    const asked = () => {
      let n = 0;
      for (const r of stack.sim.requests()) {
        if (r.endpoint !== "tracking") continue;
        const q = r.query["codigosObjetos"];
        n += (Array.isArray(q) ? q : q ? [q] : []).flatMap((c) => c.split(",")).length;
      }
      return n;
    };
    const deadline = Date.now() + 600_000;
    while (asked() < o.codes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const baselineMs = Date.now() - t0;
    o.log(`watch stack: baselines after ${baselineMs} ms`);
    // The hour.
    stack.sim.reset();
    const pid = stack.subgraph.child.pid!;
    const cpu0 = cpuSeconds(pid);
    const rss = sampleRss(pid);
    const hourMs = o.hourSeconds * 1000;
    const start = Date.now();
    // Movers among the parcels polled at least hourly, moved during the first half hour: each is polled again, and
    // its change delivered, within the hour (plus jitter).
    const hourly = new Set(STATUS_MIX.filter((m) => m.seconds <= 3600).map((m) => m.status));
    const movers = codes.filter((_, i) => hourly.has(statusOf(i, o.codes).status) && i % Math.round(1 / o.moving) === 0);
    const TICKS = 20;
    for (let t = 0; t < TICKS; t++) {
      if (t < TICKS / 2) {
        const step = movers.slice((t * movers.length) / (TICKS / 2), ((t + 1) * movers.length) / (TICKS / 2));
        for (const code of step) stack.sim.addTrackingEvent(code, { codigo: "RO", tipo: "01" });
      }
      await new Promise((r) => setTimeout(r, Math.max(0, start + ((t + 1) * hourMs) / TICKS - Date.now())));
    }
    const cpu = cpuSeconds(pid) - cpu0;
    const rssMb = rss.stop();
    // Stragglers (a poll due just after the hour, jitter): waited for, at most a tenth of an hour more.
    const late = Date.now() + hourMs / 10;
    while (latencies.length < movers.length && Date.now() < late) await new Promise((r) => setTimeout(r, 50));
    const trackingCalls = stack.sim.counts().tracking;
    const codesAsked = asked();
    const expectedPolls = round(pollsPerHour(o.codes));
    const inHour = arrivals.filter((a) => a >= start && a <= start + hourMs).length;
    const sorted = latencies.sort((a, b) => a - b);
    return {
      store: o.storeUrl ? new URL(o.storeUrl).protocol.replace(":", "") : "sqlite",
      codes: o.codes,
      hourSeconds: o.hourSeconds,
      watchMs,
      baselineMs,
      trackingCalls,
      codesAsked,
      expectedPolls,
      floor: Math.ceil(codesAsked / TRACKING_BATCH),
      cpuPercent: round(((cpu * 1000) / hourMs) * 100, 1),
      rssMb,
      moved: movers.length,
      delivered: latencies.length,
      deliveriesPerSec: round(inHour / o.hourSeconds, 1),
      p50Ms: round(percentile(sorted, 0.5)),
      p99Ms: round(percentile(sorted, 0.99)),
      maxMs: round(sorted.at(-1) ?? 0),
    };
  } finally {
    await stack.close();
    await new Promise((r) => receiver.close(r));
  }
}
