// `npm run bench -- --scenario watch`: 100,000 watched codes (the issue's status mix) on the job engines, an hour of
// schedule compressed into BENCH_WATCH_HOUR_SECONDS (default 60). Engine level (watch-engine.ts): the watch-poll jobs
// with a stand-in tracker, on the embedded engine alone (memory store), on the embedded engine with its SQLite store,
// and on BullMQ when Redis answers (REDIS_URL, default redis://127.0.0.1:6379, database 13, own key prefix).
// BENCH_WATCH_CODES changes N; --smoke runs 2,000 codes in a 5 s hour.
import { connect } from "node:net";
import type { BenchContext } from "../lib/context.js";
import { round } from "../lib/load.js";
import type { Check, ScenarioResult } from "../lib/report.js";
import { pollsPerHour, runEngine, STATUS_MIX, TRACKING_BATCH, type EngineRunData, type EngineRunOptions } from "./watch-engine.js";

export interface WatchData {
  engines: EngineRunData[];
}

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const BENCH_DB_URL = Object.assign(new URL(REDIS_URL), { pathname: "/13" }).toString();
/** The slot a next poll is rounded up to in the "aligned" rows. */
const SLOT_SECONDS = 60;

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
  const checks: Check[] = engines.map((e) => ({
    target: `${e.engine}${e.slotSeconds ? `, ${e.slotSeconds} s slots` : ""}: every due poll started within the hour`,
    value: `${e.runs} run, ${e.notStarted} late`,
    met: e.notStarted === 0,
  }));
  const mix = STATUS_MIX.map((m) => `${Math.round(m.share * 100)} % ${m.status} (${m.seconds} s)`).join(", ");
  return {
    scenario: "watch",
    title: `Watched codes on the job engines: an hour of schedule in ${hourSeconds} s (×${round(3600 / hourSeconds)}), simulated Correios latency ${s.latencyMs} ms`,
    settings: s,
    data: { engines },
    tables: [
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
      `Status mix ${mix}; one watch-poll job per code, first runs spread over each code's interval (steady state): ${round(pollsPerHour(codes))} polls per hour for ${codes} codes, so the floor is about ${Math.ceil(pollsPerHour(codes) / TRACKING_BATCH)} tracking calls an hour.`,
      `Each run asks a stand-in tracker that, like TrackBatcher, puts the codes asked in the same macrotask into one call of up to ${TRACKING_BATCH}, answers after the simulated latency, and reschedules the job at its status's interval ±10 %. Worker concurrency ${base.concurrency}.`,
      `"Next poll rounded to" ${SLOT_SECONDS} s: the next run is rounded up to a multiple of ${SLOT_SECONDS} s of schedule (compressed like the intervals), so the codes due in the same slot come due together.`,
      `Start lag: when a run started minus when it was due. CPU and RSS are this process's (it runs the scheduler); Redis CPU is the server's own (INFO cpu) over the same hour.`,
    ],
  };
}
