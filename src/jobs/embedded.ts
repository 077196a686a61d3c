// The embedded job engine: jobs are records in the embedded store (one keyv namespace, SQLite by default), written
// before `add` resolves, and run by this process from an in-memory heap ordered by due time. Loading every record at
// start-up is what lets a restarted process (kill -9 included) pick up where the last one stopped. One process per
// store file: two processes sharing a file would both run every job (replicas use Redis and BullMQ instead).
import type { Keyv } from "keyv";
import type { Logger } from "pino";
import TinyQueue from "tinyqueue";
import type { Job, JobEngine, JobHandler, JobQueue, WorkerOptions } from "./engine.js";

interface JobRecord<T> {
  queue: string;
  id: string;
  data: T;
  runAt: number;
  attempt: number;
}

interface HeapEntry {
  runAt: number;
  id: string;
  /** The record's version when pushed: a newer schedule makes older entries stale. */
  version: number;
}

/** The longest single wait a timer is given (setTimeout overflows past 2^31 − 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

const storeKey = (queue: string, id: string) => `${queue}/${id}`;

class EmbeddedQueue<T> implements JobQueue<T> {
  private readonly records = new Map<string, JobRecord<T> & { version: number }>();
  private readonly heap = new TinyQueue<HeapEntry>([], (a, b) => a.runAt - b.runAt);
  private readonly running = new Set<string>();
  /** Ids removed while running: their run must not reschedule them. */
  private readonly removedWhileRunning = new Set<string>();
  private handler?: JobHandler<T>;
  private concurrency = 1;
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private closed = false;
  private readonly runs = new Set<Promise<void>>();

  constructor(
    readonly name: string,
    private readonly kv: Keyv,
    private readonly logger: Logger | undefined,
  ) {}

  /** Records read from the store at start-up. */
  load(r: JobRecord<T>): void {
    this.records.set(r.id, { ...r, version: 0 });
    this.heap.push({ runAt: r.runAt, id: r.id, version: 0 });
  }

  async add(id: string, data: T, runAt = Date.now()): Promise<boolean> {
    if (this.records.has(id)) return false;
    const record = { queue: this.name, id, data, runAt, attempt: 1 };
    // Claimed in memory first so a second add of the same id in the same tick answers false.
    this.records.set(id, { ...record, version: 0 });
    try {
      await this.save(record);
    } catch (e) {
      this.records.delete(id);
      throw e;
    }
    this.heap.push({ runAt, id, version: 0 });
    this.wake(runAt);
    return true;
  }

  async remove(id: string): Promise<void> {
    if (!this.records.has(id)) return;
    await this.kv.delete(storeKey(this.name, id));
    this.records.delete(id);
    if (this.running.has(id)) this.removedWhileRunning.add(id);
  }

  async get(id: string): Promise<Omit<Job<T>, "id"> | undefined> {
    const r = this.records.get(id);
    return r && { data: r.data, attempt: r.attempt, runAt: r.runAt };
  }

  async size(): Promise<number> {
    return this.records.size;
  }

  work(handler: JobHandler<T>, options: WorkerOptions): void {
    if (this.handler) throw new Error(`Queue ${this.name} already has a worker`);
    this.handler = handler;
    this.concurrency = Math.max(1, options.concurrency);
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.runs]);
  }

  private async save(r: JobRecord<T>): Promise<void> {
    const ok = await this.kv.set(storeKey(this.name, r.id), r);
    if (!ok) throw new Error("The store refused to save the job");
  }

  /** Makes sure the pump runs by `at`. */
  private wake(at: number): void {
    if (!this.handler || this.closed || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.pump(), Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())));
    this.timer.unref();
  }

  /** Starts every due job it has room for, in due order (most overdue first), then sleeps until the next one. */
  private pump(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (!this.handler || this.closed) return;
    const now = Date.now();
    while (this.running.size < this.concurrency && this.heap.length) {
      const top = this.heap.peek()!;
      const r = this.records.get(top.id);
      if (!r || r.version !== top.version || this.running.has(top.id)) {
        this.heap.pop(); // stale: removed, rescheduled since, or running (it is pushed again when it ends)
        continue;
      }
      if (top.runAt > now) break;
      this.heap.pop();
      this.start(r);
    }
    const next = this.heap.peek();
    if (next && this.running.size < this.concurrency) this.wake(next.runAt);
  }

  private start(r: JobRecord<T> & { version: number }): void {
    this.running.add(r.id);
    const run = this.run(r).finally(() => {
      this.running.delete(r.id);
      this.removedWhileRunning.delete(r.id);
      this.runs.delete(run);
      this.pump();
    });
    this.runs.add(run);
  }

  private async run(r: JobRecord<T> & { version: number }): Promise<void> {
    let result: Awaited<ReturnType<JobHandler<T>>>;
    try {
      result = await this.handler!({ id: r.id, data: r.data, attempt: r.attempt, runAt: r.runAt });
    } catch (e) {
      this.logger?.warn({ queue: this.name, job: r.id, err: e instanceof Error ? e.message : String(e) }, "job failed");
      result = undefined;
    }
    if (this.removedWhileRunning.has(r.id) || this.records.get(r.id) !== r) return;
    try {
      if (result && typeof result.runAt === "number") {
        const next = { queue: this.name, id: r.id, data: result.data ?? r.data, runAt: result.runAt, attempt: r.attempt + 1 };
        await this.save(next);
        const version = r.version + 1;
        this.records.set(r.id, { ...next, version });
        this.heap.push({ runAt: next.runAt, id: r.id, version });
      } else {
        await this.kv.delete(storeKey(this.name, r.id));
        this.records.delete(r.id);
      }
    } catch (e) {
      // The store failed: the job stays as it was and runs again later (at least once), not lost.
      this.logger?.warn({ queue: this.name, job: r.id, err: e instanceof Error ? e.message : String(e) }, "job state not saved; it will run again");
      const version = r.version + 1;
      const retryAt = Date.now() + 5_000;
      this.records.set(r.id, { ...r, runAt: retryAt, version });
      this.heap.push({ runAt: retryAt, id: r.id, version });
    }
  }
}

export class EmbeddedJobEngine implements JobEngine {
  readonly kind = "embedded" as const;
  private readonly queues = new Map<string, EmbeddedQueue<unknown>>();

  private constructor(
    private readonly kv: Keyv,
    private readonly logger: Logger | undefined,
  ) {}

  /** Reads every stored job, so queues resume what an earlier process left scheduled. */
  static async open(kv: Keyv, logger?: Logger): Promise<EmbeddedJobEngine> {
    const engine = new EmbeddedJobEngine(kv, logger);
    if (!kv.iterator) throw new Error("The embedded job engine needs a store that can list its keys");
    for await (const [, value] of kv.iterator(kv.namespace)) {
      const r = value as JobRecord<unknown> | undefined;
      if (r && typeof r.queue === "string" && typeof r.id === "string") engine.queue(r.queue).load(r);
    }
    return engine;
  }

  queue<T>(name: string): EmbeddedQueue<T> {
    let q = this.queues.get(name);
    if (!q) {
      q = new EmbeddedQueue<unknown>(name, this.kv, this.logger);
      this.queues.set(name, q);
    }
    return q as EmbeddedQueue<T>;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
