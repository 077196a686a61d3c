// The job engines under the watch schedule, without the rest of the subgraph: N watch-poll jobs (one per watched code,
// as the poller keeps them) with the issue's status mix and WATCH_INTERVALS' defaults, time compressed so an hour of
// schedule runs in `hourSeconds`. Each run asks a stand-in tracker that gathers the codes started in the same macrotask
// into calls of 50 (as TrackBatcher does) and answers after the simulated Correios latency, then reschedules at its
// status's interval ±10 %. Measured over the hour: runs vs due, calls vs the floor (Σ due / 50), how late runs start,
// and the CPU and peak RSS of the process running the scheduler (this one), plus Redis's own CPU for BullMQ.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { openBullmqEngine } from "../../src/jobs/bullmq.js";
import { EmbeddedJobEngine } from "../../src/jobs/embedded.js";
import type { JobEngine } from "../../src/jobs/engine.js";
import { openStore, type Store } from "../../src/store/open-store.js";
import { percentile, round } from "../lib/load.js";

/** The issue's status mix, with WATCH_INTERVALS' default seconds. */
export const STATUS_MIX = [
  { status: "POSTED", share: 0.25, seconds: 7200 },
  { status: "IN_TRANSIT", share: 0.5, seconds: 3600 },
  { status: "OUT_FOR_DELIVERY", share: 0.1, seconds: 1200 },
  { status: "AWAITING_PICKUP", share: 0.1, seconds: 21_600 },
  { status: "DELIVERY_FAILED", share: 0.05, seconds: 3600 },
] as const;

export const TRACKING_BATCH = 50;
const JITTER = 0.1;

/** The status of the i-th of n codes, so that the shares hold exactly for n a multiple of 20. */
export function statusOf(i: number, n: number): (typeof STATUS_MIX)[number] {
  let edge = 0;
  for (const s of STATUS_MIX) {
    edge += s.share * n;
    if (i < edge) return s;
  }
  return STATUS_MIX[STATUS_MIX.length - 1]!;
}

/** Polls an hour of schedule asks for in steady state: Σ codes × 3600 / interval. */
export function pollsPerHour(n: number): number {
  return STATUS_MIX.reduce((t, s) => t + (s.share * n * 3600) / s.seconds, 0);
}

export interface EngineRunOptions {
  /** embedded on SQLite (the default store), embedded on the memory store (the engine alone), or BullMQ on Redis. */
  engine: "embedded" | "embedded-memory" | "bullmq";
  /**
   * Schedule seconds each next run is rounded up to (0: none). Codes come due one by one otherwise, each in a call of
   * its own; rounded, the codes due in the same slot leave together, in calls of 50.
   */
  slotSeconds: number;
  codes: number;
  /** Wall seconds one hour of schedule takes. */
  hourSeconds: number;
  latencyMs: number;
  concurrency: number;
  redisUrl?: string;
  log(m: string): void;
}

export interface EngineRunData {
  engine: string;
  slotSeconds: number;
  codes: number;
  hourSeconds: number;
  concurrency: number;
  addPerSec: number;
  /** Runs due in the hour (runAt inside it) that started in it. */
  runs: number;
  /** Due in the hour but not started by its end (the backlog). */
  notStarted: number;
  expectedPerHour: number;
  calls: number;
  floor: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  cpuPercent: number;
  rssMb: number;
  redisCpuPercent?: number;
}

interface Poll {
  status: (typeof STATUS_MIX)[number]["status"];
  seconds: number;
}

/** The stand-in for TrackBatcher + Correios: codes asked in the same macrotask share a call of up to 50. */
class StandInTracker {
  calls = 0;
  private pending: Array<() => void> = [];
  private timer?: NodeJS.Immediate;
  constructor(private readonly latencyMs: number) {}

  track(): Promise<void> {
    return new Promise((resolve) => {
      this.pending.push(resolve);
      if (this.pending.length >= TRACKING_BATCH) this.flush();
      else this.timer ??= setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    this.calls++;
    setTimeout(() => batch.forEach((r) => r()), this.latencyMs);
  }
}

async function redisCpuSeconds(r: Redis): Promise<number> {
  const info = await r.info("cpu");
  const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
  return user + sys;
}

async function deleteKeys(r: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 5000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== "0");
}

export async function runEngine(o: EngineRunOptions): Promise<EngineRunData> {
  const C = 3600 / o.hourSeconds; // time compression
  const dir = mkdtempSync(join(tmpdir(), "watch-bench-"));
  let store: Store | undefined;
  let redis: Redis | undefined;
  const prefix = `bench-watch-${process.pid}-${Date.now()}`;
  let engine: JobEngine;
  if (o.engine !== "bullmq") {
    store = await openStore(o.engine === "embedded" ? `sqlite://${join(dir, "store.sqlite")}` : "memory://");
    engine = await EmbeddedJobEngine.open(store.ns("jobs"));
  } else {
    if (!o.redisUrl) throw new Error("bullmq needs a Redis URL");
    redis = new Redis(o.redisUrl);
    engine = await openBullmqEngine(o.redisUrl, undefined, { prefix });
  }
  try {
    const q = engine.queue<Poll>("watch-poll");
    // Adding: timed on the first 2 %, so the schedule can start where adding will have ended.
    const addStart = Date.now();
    const sample = Math.max(100, Math.round(o.codes * 0.02));
    const phase = (i: number) => {
      const s = statusOf(i, o.codes);
      // Steady state: each code's next poll anywhere in its (compressed) interval.
      return Math.floor((((i * 7919) % o.codes) / o.codes) * ((s.seconds * 1000) / C));
    };
    const slotMs = (o.slotSeconds * 1000) / C;
    const aligned = (t: number) => (slotMs > 0 ? Math.ceil(t / slotMs) * slotMs : t);
    const addRange = async (from: number, to: number, at: (i: number) => number) => {
      const CHUNK = 500;
      for (let i = from; i < to; i += CHUNK) {
        await Promise.all(
          Array.from({ length: Math.min(CHUNK, to - i) }, (_, k) => {
            const j = i + k;
            const s = statusOf(j, o.codes);
            return q.add(`c${j}`, { status: s.status, seconds: s.seconds }, at(j));
          }),
        );
      }
    };
    // The sample is added first (due far away), timed, then moved: removed and added again on the real schedule.
    const FAR = Date.now() + 86_400_000;
    await addRange(0, sample, () => FAR);
    const perJobMs = (Date.now() - addStart) / sample;
    const base = Date.now() + Math.ceil(perJobMs * (o.codes - sample) * 1.3) + 500;
    await addRange(sample, o.codes, (i) => aligned(base + phase(i)));
    for (let i = 0; i < sample; i++) await q.remove(`c${i}`);
    await addRange(0, sample, (i) => aligned(base + phase(i)));
    const addMs = Date.now() - addStart;
    const addPerSec = round(((o.codes + sample) / addMs) * 1000);
    o.log(`watch engine ${o.engine}: ${o.codes} jobs added in ${addMs} ms; the hour starts in ${Math.max(0, base - Date.now())} ms`);

    const tracker = new StandInTracker(o.latencyMs);
    const windowStart = Math.max(base, Date.now());
    const windowEnd = windowStart + o.hourSeconds * 1000;
    const lags: number[] = [];
    let runs = 0;
    /** Each code's scheduled run, and the codes running now, to count the backlog at the hour's end. */
    const next = Float64Array.from({ length: o.codes }, (_, i) => aligned(base + phase(i)));
    const running = new Set<number>();
    q.work(
      async (job) => {
        const started = Date.now();
        if (started <= windowEnd && job.runAt <= windowEnd) {
          runs++;
          lags.push(started - job.runAt);
        }
        const i = Number(job.id.slice(1));
        running.add(i);
        await tracker.track();
        const jitter = 1 - JITTER + 2 * JITTER * Math.random();
        const runAt = aligned(Date.now() + Math.round(((job.data.seconds * 1000) / C) * jitter));
        next[i] = runAt;
        running.delete(i);
        return { runAt };
      },
      { concurrency: o.concurrency },
    );
    // CPU and RSS of this process over the hour (the scheduler runs here).
    await new Promise((r) => setTimeout(r, Math.max(0, windowStart - Date.now())));
    const cpu0 = process.cpuUsage();
    const redisCpu0 = redis ? await redisCpuSeconds(redis) : 0;
    const calls0 = tracker.calls;
    let rss = process.memoryUsage().rss;
    const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 250);
    await new Promise((r) => setTimeout(r, windowEnd - Date.now()));
    clearInterval(sampler);
    const calls = tracker.calls - calls0;
    const cpu = process.cpuUsage(cpu0);
    const redisCpu = redis ? (await redisCpuSeconds(redis)) - redisCpu0 : 0;
    // Due in the hour but not started by its end: scheduled at or before it, and not running.
    let notStarted = 0;
    for (let i = 0; i < o.codes; i++) if (next[i]! <= windowEnd && !running.has(i)) notStarted++;
    const expectedPerHour = round(pollsPerHour(o.codes));
    const sorted = lags.sort((a, b) => a - b);
    const wallMs = o.hourSeconds * 1000;
    return {
      engine: o.engine,
      slotSeconds: o.slotSeconds,
      codes: o.codes,
      hourSeconds: o.hourSeconds,
      concurrency: o.concurrency,
      addPerSec,
      runs,
      notStarted,
      expectedPerHour,
      calls,
      floor: Math.ceil(runs / TRACKING_BATCH),
      lagP50Ms: round(percentile(sorted, 0.5)),
      lagP99Ms: round(percentile(sorted, 0.99)),
      lagMaxMs: round(sorted.at(-1) ?? 0),
      cpuPercent: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100, 1),
      rssMb: Math.round(rss / 2 ** 20),
      ...(redis ? { redisCpuPercent: round(((redisCpu * 1000) / wallMs) * 100, 1) } : {}),
    };
  } finally {
    await engine.close();
    await store?.close();
    if (redis) {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
