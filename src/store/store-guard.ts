// Every call into the store passes through one guard: bounded in time, logged at warn when it fails, and turned into
// StoreUnavailableError. So no caller hangs on a store that went away, and none mistakes a failed read for "not
// found" or a failed write for a saved one. SQLite writes are also checked against the file the process opened: a
// write into a file deleted under the running process is lost at the next restart, so it is not acknowledged.
// Each call's time goes to the store latency histogram and, while tracing is on, into a span of its own.
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { TaskCancelledError, timeout, TimeoutStrategy } from "cockatiel";
import { SpanKind } from "@opentelemetry/api";
import type { Keyv } from "keyv";
import type { Logger } from "pino";
import type { Metrics } from "../telemetry/metrics.js";
import { tracingOn, withSpan } from "../telemetry/tracing.js";

/** The store did not answer, refused, or can no longer keep what it is given. Maps to STORE_UNAVAILABLE. */
export class StoreUnavailableError extends Error {
  constructor(
    readonly store: string,
    /** Safe to show a caller: no path, no URL. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`The store (${store}) is unavailable: ${reason}.`, options);
    this.name = "StoreUnavailableError";
  }
}

/** Start-up could not open, create or write the store; the message names the path and the variable that set it. */
export class StoreOpenError extends Error {
  override name = "StoreOpenError";
}

export interface StoreGuard {
  run<T>(operation: string, fn: () => Promise<T>, opts?: { write?: boolean }): Promise<T>;
}

export interface StoreGuardOptions {
  kind: string;
  /** A bound on every call (Redis). SQLite answers from a local file and waits on its own busy timeout instead. */
  timeoutMs?: number;
  /** Runs after each write, before it is acknowledged: throws when the write cannot be trusted to last. */
  afterWrite?: () => Promise<void>;
  logger?: Logger;
  metrics?: Metrics;
}

export function storeGuard(o: StoreGuardOptions): StoreGuard {
  const bound = o.timeoutMs ? timeout(o.timeoutMs, TimeoutStrategy.Aggressive) : undefined;
  const guarded = async <T>(operation: string, fn: () => Promise<T>, write: boolean): Promise<T> => {
    const call = async () => {
      const value = await fn();
      if (write) await o.afterWrite?.();
      return value;
    };
    try {
      return bound ? await bound.execute(call) : await call();
    } catch (e) {
      const err = e instanceof StoreUnavailableError ? e : new StoreUnavailableError(o.kind, reasonOf(e, o.timeoutMs), { cause: e });
      o.logger?.warn({ store: o.kind, operation, reason: err.reason, err: e instanceof Error ? e.message : String(e) }, "store call failed");
      throw err;
    }
  };
  const { metrics } = o;
  return {
    async run(operation, fn, { write = false } = {}) {
      if (!metrics && !tracingOn()) return guarded(operation, fn, write);
      const started = performance.now();
      let ok = false;
      try {
        const value = tracingOn()
          ? await withSpan(`store ${operation}`, { "db.system.name": o.kind, "db.operation.name": operation }, () => guarded(operation, fn, write), SpanKind.CLIENT)
          : await guarded(operation, fn, write);
        ok = true;
        return value;
      } finally {
        metrics?.storeCall(o.kind, operation, ok, (performance.now() - started) / 1000);
      }
    },
  };
}

function reasonOf(e: unknown, timeoutMs: number | undefined): string {
  if (e instanceof TaskCancelledError) return `no answer within ${timeoutMs} ms`;
  const err = e as { name?: string; code?: string } | undefined;
  const code = typeof err?.code === "string" ? err.code : "";
  // node-redis' error classes do not set `name`; their constructors are named.
  const type = e instanceof Error ? e.constructor.name : "";
  if (code === "SQLITE_READONLY") return "the database is read-only";
  if (code === "SQLITE_FULL") return "the disk is full";
  if (code.startsWith("SQLITE_")) return `SQLite error ${code}`;
  if (/^(ClientOfflineError|ClientClosedError|SocketClosedUnexpectedlyError|ConnectionTimeoutError|SocketTimeoutError)$/.test(type) || /^E(CONN|PIPE|HOSTUNREACH|TIMEDOUT)/.test(code)) {
    return "not connected";
  }
  return "the call failed";
}

const READS = new Set(["get", "getMany", "has", "hasMany"]);
const WRITES = new Set(["set", "setMany", "delete", "deleteMany", "clear"]);

/** The same Keyv, with every read, write and iteration passed through the guard. */
export function guardKeyv(kv: Keyv, name: string, guard: StoreGuard): Keyv {
  return new Proxy(kv, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof prop !== "string" || typeof value !== "function") return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (READS.has(prop) || WRITES.has(prop)) {
        return (...args: unknown[]) => guard.run(`${name}.${prop}`, async () => fn.apply(target, args), { write: WRITES.has(prop) });
      }
      if (prop === "iterator") {
        return (...args: unknown[]) => guardIterator(fn.apply(target, args) as AsyncIterator<unknown>, `${name}.iterator`, guard);
      }
      return fn.bind(target);
    },
  });
}

async function* guardIterator(it: AsyncIterator<unknown>, operation: string, guard: StoreGuard): AsyncGenerator<unknown> {
  for (;;) {
    const r = await guard.run(operation, () => it.next());
    if (r.done) return;
    yield r.value;
  }
}

/**
 * Throws when a file the store was opened on was deleted or replaced since: SQLite goes on writing into the open
 * (deleted) file, and everything written there is gone at the next start.
 */
export async function sameFiles(kind: string, files: Array<{ path: string; ino: number; dev: number }>): Promise<void> {
  for (const f of files) {
    const now = await stat(f.path).catch(() => undefined);
    if (!now || now.ino !== f.ino || now.dev !== f.dev) {
      throw new StoreUnavailableError(
        kind,
        `its file ${basename(f.path)} was ${now ? "replaced" : "deleted"} while the service ran, so nothing written now would survive a restart; restart the service`,
      );
    }
  }
}
