// The job engine: durable, delayed jobs with an id, for the work that must outlive a request and, with several
// replicas, be done by one of them only (watch polls, webhook deliveries). Two engines implement it: the embedded one
// (jobs in the embedded store, run in this process; no server) and BullMQ on Redis (shared by every replica).
// Semantics both keep:
// - `add` is durable once it resolves (a kill -9 afterwards loses nothing) and idempotent by id: adding an id that is
//   already scheduled changes nothing and resolves false.
// - A job runs at or after its `runAt`, most overdue first, on one worker of one replica at a time.
// - A handler that returns `{ runAt }` keeps the job and runs it again then (attempt + 1, data replaced when given);
//   one that returns nothing, or throws, ends it (a throw is logged: handlers decide their own retries).
// - At least once: a job whose worker died mid-run runs again, so handlers must be idempotent.

export interface Job<T> {
  id: string;
  data: T;
  /** 1 on the first run, then one more each time the handler asked to run again. */
  attempt: number;
  /** When it was due (ms since the epoch). */
  runAt: number;
}

export type JobResult<T> = void | { runAt: number; data?: T };
export type JobHandler<T> = (job: Job<T>) => Promise<JobResult<T>>;

export interface WorkerOptions {
  /** Jobs run at once by this process. */
  concurrency: number;
}

export interface JobQueue<T> {
  readonly name: string;
  /** Schedules a job (now when runAt is omitted). Resolves false when the id is already scheduled. */
  add(id: string, data: T, runAt?: number): Promise<boolean>;
  /** Removes a scheduled job (a run in progress finishes, and is not rescheduled). */
  remove(id: string): Promise<void>;
  get(id: string): Promise<Omit<Job<T>, "id"> | undefined>;
  /** Jobs scheduled, due or not. */
  size(): Promise<number>;
  /** Starts running due jobs in this process. */
  work(handler: JobHandler<T>, options: WorkerOptions): void;
}

export interface JobEngine {
  readonly kind: "embedded" | "bullmq";
  queue<T>(name: string): JobQueue<T>;
  /** Stops the workers (runs in progress finish) and closes connections. */
  close(): Promise<void>;
}
