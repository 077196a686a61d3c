// The BullMQ job engine: jobs live in Redis (the replicas' shared store), so every replica adds to the same queues and
// each due job runs on one worker of one replica. How the interface's semantics (engine.ts) map onto BullMQ:
// - A job is a BullMQ job with our id as its jobId. BullMQ ignores an add whose jobId exists; to answer false then, the
//   stored data carries a nonce and `add` reads it back (ours → added). Finished jobs are deleted at once
//   (removeOnComplete/removeOnFail), so an id can be scheduled again after its job ended.
// - Every job goes through the delayed set, scored by its runAt (BullMQ's score is timestamp + delay, so a job already
//   due is added with timestamp runAt − 1 and delay 1). BullMQ promotes delayed jobs in score order, which runs the
//   most overdue first.
// - The attempt number and runAt ride in the job's data ({ d, a, r, n }). A handler's `{ runAt, data }` updates the
//   data, moves the job back to the delayed set under its lock, and throws DelayedError (BullMQ's way of saying "not
//   finished"). Nothing returned, or a throw, completes it (a throw is logged, not retried: handlers own retries).
// - A worker that dies mid-run stops renewing its lock; another worker's stalled-job checker moves the job back to
//   waiting, within lockDuration + 2 × stalledInterval. maxStalledCount is high, so the job is never failed for
//   stalling (at least once).
// - `remove` of a running job (BullMQ refuses to remove a locked job) marks it cancelled in its hash; the worker
//   checks the mark before rescheduling (and ends the job instead), and again after, in case the mark came between.
// Job ids must not contain ':' (BullMQ refuses custom ids that do).
import { randomUUID } from "node:crypto";
import { DelayedError, Queue, Worker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Job, JobEngine, JobHandler, JobQueue, WorkerOptions } from "./engine.js";

/** The stored data: the caller's data, attempt, due time and the nonce of the add that created the job. */
interface Stored<T> {
  d: T;
  a: number;
  r: number;
  n: string;
}

export interface BullmqEngineOptions {
  /** Prefix of every key (default "correios-subgraph:jobs"); tests use their own. */
  prefix?: string;
  /** How long a worker's lock on a running job lasts without renewal (ms; default 30 s). */
  lockDurationMs?: number;
  /** How often workers look for jobs whose worker died (ms; default 30 s). */
  stalledIntervalMs?: number;
  /** How long close() waits for runs in progress before it stops waiting (ms; default 10 s). */
  closeTimeoutMs?: number;
}

export const DEFAULT_JOBS_PREFIX = "correios-subgraph:jobs";
/** Jobs whose worker died are retried, not failed: this only stops a job that kills every worker it runs on. */
const MAX_STALLED = 1000;

// Marks an existing job cancelled (never creates a hash: an add of the same id would then see a phantom job).
const CANCEL_SCRIPT = `if redis.call("EXISTS", KEYS[1]) == 1 then redis.call("HSET", KEYS[1], "cancelled", "1") return 1 end return 0`;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function bounded<T>(p: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
    timer.unref();
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

class BullmqQueue<T> implements JobQueue<T> {
  readonly queue: Queue<Stored<T>>;
  worker?: Worker<Stored<T>>;

  constructor(
    readonly name: string,
    private readonly conn: Redis,
    private readonly workerConn: Redis,
    private readonly prefix: string,
    private readonly o: Required<Omit<BullmqEngineOptions, "prefix">>,
    private readonly logger: Logger | undefined,
  ) {
    this.queue = new Queue<Stored<T>>(name, {
      connection: conn,
      prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
    });
    this.queue.on("error", (e) => this.logger?.warn({ queue: name, err: message(e) }, "job queue error"));
  }

  private jobKey(id: string): string {
    return this.queue.toKey(id);
  }

  async add(id: string, data: T, runAt = Date.now()): Promise<boolean> {
    if (id.includes(":")) throw new Error(`Job id ${id} contains ':' (BullMQ refuses it)`);
    const nonce = randomUUID();
    const now = Date.now();
    // Score = timestamp + delay = runAt; delay must be > 0 for the delayed set.
    const timestamp = Math.min(now, runAt - 1);
    await this.queue.add(this.name, { d: data, a: 1, r: runAt, n: nonce }, { jobId: id, timestamp, delay: runAt - timestamp });
    const raw = await this.conn.hget(this.jobKey(id), "data");
    // Gone already: ours ran and ended at once (or a job that held the id ended meanwhile); either way none is left.
    if (raw === null) return true;
    return (JSON.parse(raw) as Stored<T>).n === nonce;
  }

  async remove(id: string): Promise<void> {
    const removed = await this.queue.remove(id);
    if (removed === 1) return;
    // Locked: running now. Marked, so the run in progress does not reschedule it.
    await this.conn.eval(CANCEL_SCRIPT, 1, this.jobKey(id));
    // It may have been moved back to the delayed set between the two calls: then it is unlocked and removable.
    await this.queue.remove(id);
  }

  private async cancelled(id: string): Promise<boolean> {
    return (await this.conn.hget(this.jobKey(id), "cancelled")) === "1";
  }

  async get(id: string): Promise<Omit<Job<T>, "id"> | undefined> {
    const [raw, cancelled, finished] = await this.conn.hmget(this.jobKey(id), "data", "cancelled", "finishedOn");
    if (!raw || cancelled === "1" || finished) return undefined;
    const s = JSON.parse(raw) as Stored<T>;
    return { data: s.d, attempt: s.a, runAt: s.r };
  }

  async size(): Promise<number> {
    return this.queue.getJobCountByTypes("waiting", "delayed", "active", "prioritized");
  }

  work(handler: JobHandler<T>, options: WorkerOptions): void {
    if (this.worker) throw new Error(`Queue ${this.name} already has a worker`);
    this.worker = new Worker<Stored<T>>(this.name, (job, token) => this.run(job, token, handler), {
      connection: this.workerConn,
      prefix: this.prefix,
      concurrency: Math.max(1, options.concurrency),
      lockDuration: this.o.lockDurationMs,
      stalledInterval: this.o.stalledIntervalMs,
      maxStalledCount: MAX_STALLED,
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 0 },
    });
    this.worker.on("error", (e) => this.logger?.warn({ queue: this.name, err: message(e) }, "job worker error"));
    this.worker.on("stalled", (id) => this.logger?.warn({ queue: this.name, job: id }, "job's worker stopped mid-run; it runs again"));
  }

  private async run(job: BullJob<Stored<T>>, token: string | undefined, handler: JobHandler<T>): Promise<void> {
    const s = job.data;
    const id = job.id!;
    let result: Awaited<ReturnType<JobHandler<T>>>;
    try {
      result = await handler({ id, data: s.d, attempt: s.a, runAt: s.r });
    } catch (e) {
      this.logger?.warn({ queue: this.name, job: id, err: message(e) }, "job failed");
      return;
    }
    // Removed while it ran: ends here (completing deletes it).
    if (!result || typeof result.runAt !== "number" || (await this.cancelled(id))) return;
    const next: Stored<T> = { d: result.data ?? s.d, a: s.a + 1, r: result.runAt, n: s.n };
    await job.updateData(next);
    await job.moveToDelayed(result.runAt, token);
    // Removed during the move (the mark came after the check above): now that it is unlocked, it goes.
    if (await this.cancelled(id)) await this.queue.remove(id);
    throw new DelayedError();
  }

  async closeWorker(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    if ((await bounded(w.close(), this.o.closeTimeoutMs)) === "timeout") {
      this.logger?.warn({ queue: this.name }, "jobs still running at close; their runs will be retried by another worker");
      await bounded(w.close(true), 2_000);
    }
  }
}

class BullmqJobEngine implements JobEngine {
  readonly kind = "bullmq" as const;
  private readonly queues = new Map<string, BullmqQueue<unknown>>();

  constructor(
    private readonly conn: Redis,
    private readonly workerConn: Redis,
    private readonly prefix: string,
    private readonly o: Required<Omit<BullmqEngineOptions, "prefix">>,
    private readonly logger: Logger | undefined,
  ) {}

  queue<T>(name: string): JobQueue<T> {
    let q = this.queues.get(name);
    if (!q) {
      q = new BullmqQueue<unknown>(name, this.conn, this.workerConn, this.prefix, this.o, this.logger);
      this.queues.set(name, q);
    }
    return q as BullmqQueue<T>;
  }

  async close(): Promise<void> {
    const qs = [...this.queues.values()];
    await Promise.all(qs.map((q) => q.closeWorker()));
    await Promise.all(qs.map((q) => bounded(q.queue.close(), 2_000)));
    for (const c of [this.workerConn, this.conn]) {
      if ((await bounded(c.quit().catch(() => undefined), 2_000)) === "timeout") c.disconnect();
    }
  }
}

export async function openBullmqEngine(url: string, logger?: Logger, options: BullmqEngineOptions = {}): Promise<JobEngine> {
  const o = {
    lockDurationMs: options.lockDurationMs ?? 30_000,
    stalledIntervalMs: options.stalledIntervalMs ?? 30_000,
    closeTimeoutMs: options.closeTimeoutMs ?? 10_000,
  };
  // Calls made for requests (add, remove) fail after a few retries instead of waiting for Redis forever; workers' own
  // connection must wait (BullMQ requires maxRetriesPerRequest: null for it).
  const conn = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: true });
  const workerConn = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  for (const c of [conn, workerConn]) {
    c.on("error", (e) => logger?.warn({ err: message(e) }, "job engine's Redis connection failed"));
    // Every queue and worker sharing the connection listens to it (a few listeners each, a handful of queues).
    c.setMaxListeners(100);
  }
  try {
    await Promise.all([conn.connect(), workerConn.connect()]);
  } catch (e) {
    conn.disconnect();
    workerConn.disconnect();
    throw e;
  }
  return new BullmqJobEngine(conn, workerConn, options.prefix ?? DEFAULT_JOBS_PREFIX, o, logger);
}
