// `npm run bench -- --scenario watch`: 100,000 watched codes (the issue's status mix) on the job engines, an hour of
// schedule compressed into BENCH_WATCH_HOUR_SECONDS (default 60). Engine level (watch-engine.ts): the watch-poll jobs
// with a stand-in tracker, on the embedded engine alone (memory store), on the embedded engine with its SQLite store,
// and on BullMQ when Redis answers (REDIS_URL, default redis://127.0.0.1:6379, database 13, own key prefix).
// BENCH_WATCH_CODES changes N; --smoke runs 2,000 codes in a 5 s hour.
import { connect } from "node:net";
import { Redis } from "ioredis";
import type { BenchContext } from "../lib/context.js";
import { round } from "../lib/load.js";
import type { Check, ScenarioResult } from "../lib/report.js";
import { pollsPerHour, runEngine, STATUS_MIX, TRACKING_BATCH, type EngineRunData, type EngineRunOptions } from "./watch-engine.js";
import { runStack, type StackRunData } from "./watch-stack.js";

export interface WatchData {
  engines: EngineRunData[];
  stacks: StackRunData[];
}

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const BENCH_DB_URL = Object.assign(new URL(REDIS_URL), { pathname: "/13" }).toString();
/** The slot a next poll is rounded up to in the "aligned" rows. */
const SLOT_SECONDS = 60;

async function flushDb(url: string): Promise<void> {
  const r = new Redis(url);
  try {
    await r.flushdb();
  } finally {
    r.disconnect();
  }
}

function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = connect({ host: u.hostname, port: Number(u.port || 6379) });
    s.setTimeout(1000);
    s.once("connect", () => (s.end(), resolve(true)));
    s.once("error", () => resolve(false));
    s.once("timeout", () => (s.destroy(), resolve(false)));
  });
}

export async function run(ctx: BenchContext): Promise<ScenarioResult<WatchData>> {
  const s = ctx.settings;
  const codes = s.smoke ? 2000 : Number(process.env.BENCH_WATCH_CODES ?? 100_000);
  const hourSeconds = s.smoke ? 5 : Number(process.env.BENCH_WATCH_HOUR_SECONDS ?? 60);
  // The SQLite store commits every job write on its own (fsync): a tenth of the codes, or adding alone takes minutes.
  const sqliteCodes = s.smoke ? 1000 : Math.round(codes / 10);
  const base = { hourSeconds, latencyMs: s.latencyMs, concurrency: 1000, redisUrl: BENCH_DB_URL, log: ctx.log };
  const plan: Array<Omit<EngineRunOptions, keyof typeof base>> = [
    { engine: "embedded-memory", codes, slotSeconds: 0 },
    { engine: "embedded-memory", codes, slotSeconds: SLOT_SECONDS },
    { engine: "embedded", codes: sqliteCodes, slotSeconds: SLOT_SECONDS },
  ];
  const redis = await reachable(REDIS_URL);
  if (redis) plan.push({ engine: "bullmq", codes, slotSeconds: 0 }, { engine: "bullmq", codes, slotSeconds: SLOT_SECONDS });
  else ctx.log(`watch: ${REDIS_URL} is not reachable, BullMQ rows skipped (start one: redis-server --port 6379)`);
  const engines: EngineRunData[] = [];
  for (const p of plan) {
    ctx.log(`watch: ${p.engine}, ${p.codes} codes, slot ${p.slotSeconds} s, an hour in ${hourSeconds} s`);
    engines.push(await runEngine({ ...base, ...p }));
  }
  // The whole path: fewer codes (the subgraph, the simulator and the receiver share this machine with the load).
  const stackCodes = s.smoke ? 200 : Number(process.env.BENCH_WATCH_STACK_CODES ?? 2000);
  const stacks: StackRunData[] = [];
  const stackFailures: string[] = [];
  const stackPlan: Array<string | undefined> = [undefined, ...(redis ? [Object.assign(new URL(REDIS_URL), { pathname: "/14" }).toString()] : [])];
  for (const storeUrl of stackPlan) {
    if (storeUrl) await flushDb(storeUrl);
    ctx.log(`watch: subgraph on ${storeUrl ?? "SQLite"}, ${stackCodes} codes, an hour in ${hourSeconds} s`);
    try {
      stacks.push(await runStack({ codes: stackCodes, hourSeconds, latencyMs: s.latencyMs, moving: 0.1, storeUrl, log: ctx.log }));
    } catch (e) {
      // One store's failure is a row of the result, not the end of the scenario.
      stackFailures.push(`subgraph on ${storeUrl ? "redis" : "sqlite"}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 400));
      ctx.log(stackFailures.at(-1)!);
    } finally {
      if (storeUrl) await flushDb(storeUrl);
    }
  }
  const checks: Check[] = engines.map((e) => ({
    target: `${e.engine}${e.slotSeconds ? `, ${e.slotSeconds} s slots` : ""}: every due poll started within the hour`,
    value: `${e.runs} run, ${e.notStarted} late`,
    met: e.notStarted === 0,
  }));
  for (const f of stackFailures) checks.push({ target: "the whole path ran", value: f, met: false });
  for (const x of stacks) {
    checks.push({ target: `subgraph on ${x.store}: every moved parcel delivered once`, value: `${x.delivered} of ${x.moved}`, met: x.delivered === x.moved });
  }
  const mix = STATUS_MIX.map((m) => `${Math.round(m.share * 100)} % ${m.status} (${m.seconds} s)`).join(", ");
  return {
    scenario: "watch",
    title: `Watched codes on the job engines: an hour of schedule in ${hourSeconds} s (×${round(3600 / hourSeconds)}), simulated Correios latency ${s.latencyMs} ms`,
    settings: s,
    data: { engines, stacks },
    tables: [
      {
        title: "The subgraph watching codes over one (compressed) hour",
        columns: ["store", "codes", "watchShipments ms", "baselines ms", "polls due (steady state)", "codes asked", "tracking calls", "floor Σ asked/50", "calls/floor", "CPU % (one core)", "peak RSS MB", "moved", "delivered", "deliveries/s", "detected → delivered p50 ms", "p99 ms", "max ms"],
        rows: stacks.map((x) => [x.store, x.codes, x.watchMs, x.baselineMs, x.expectedPolls, x.codesAsked, x.trackingCalls, x.floor, x.floor ? round(x.trackingCalls / x.floor, 2) : 0, x.cpuPercent, x.rssMb, x.moved, x.delivered, x.deliveriesPerSec, x.p50Ms, x.p99Ms, x.maxMs]),
      },
      {
        title: "Watch-poll jobs over one (compressed) hour",
        columns: [
          "engine",
          "codes",
          "next poll rounded to",
          "adds/s",
          "polls due (steady state)",
          "polls run",
          "late at the hour's end",
          "tracking calls",
          "floor Σ due/50",
          "calls/floor",
          "start lag p50 ms",
          "p99 ms",
          "max ms",
          "CPU % (one core)",
          "peak RSS MB",
          "Redis CPU %",
        ],
        rows: engines.map((e) => [
          e.engine,
          e.codes,
          e.slotSeconds ? `${e.slotSeconds} s` : "-",
          e.addPerSec,
          e.expectedPerHour,
          e.runs,
          e.notStarted,
          e.calls,
          e.floor,
          e.floor ? round(e.calls / e.floor, 2) : 0,
          e.lagP50Ms,
          e.lagP99Ms,
          e.lagMaxMs,
          e.cpuPercent,
          e.rssMb,
          e.redisCpuPercent ?? "-",
        ]),
      },
    ],
    checks,
    notes: [
      `The whole path: the subgraph (built, its own process) on its SQLite store, and on Redis (BullMQ, database 14) when it answers, watching ${stackCodes} simulator codes with the same mix; WATCH_INTERVALS, WATCH_BATCH_WAIT_MS (2000), WATCH_MAX_CALLS_PER_SECOND (10) and TRACKING_TTL_ACTIVE_SECONDS (300) divided by the compression; a webhook endpoint (SHIPMENT_UPDATED) on a receiver in the benchmark's process; one in ten of the parcels polled at least hourly (IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERY_FAILED) gets one new event during the first half hour (10 steps), so each is polled again within the hour. Measured from the end of the baselines (every code asked once) over one hour of schedule; "detected → delivered" is the receiver's arrival time minus the body's timestamp (the change's detection).`,
      `Status mix ${mix}; one watch-poll job per code, first runs spread over each code's interval (steady state): ${round(pollsPerHour(codes))} polls per hour for ${codes} codes, so the floor is about ${Math.ceil(pollsPerHour(codes) / TRACKING_BATCH)} tracking calls an hour.`,
      `Each run asks a stand-in tracker that, like TrackBatcher, puts the codes asked in the same macrotask into one call of up to ${TRACKING_BATCH}, answers after the simulated latency, and reschedules the job at its status's interval ±10 %. Worker concurrency ${base.concurrency}.`,
      `"Next poll rounded to" ${SLOT_SECONDS} s: the next run is rounded up to a multiple of ${SLOT_SECONDS} s of schedule (compressed like the intervals), so the codes due in the same slot come due together.`,
      `Start lag: when a run started minus when it was due. CPU and RSS are this process's (it runs the scheduler); Redis CPU is the server's own (INFO cpu) over the same hour.`,
    ],
  };
}
