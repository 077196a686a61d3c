// keyv set-up: the adapter is chosen from STORE_URL. sqlite (embedded, persistent, no server) is the default;
// redis is for several replicas; memory is for throwaway runs. Every namespace, the locker, the rate gate and the
// readiness probe go through one StoreGuard (store-guard.ts), so no caller can hang on the store or miss a failure.
import { randomUUID } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { timeout, TimeoutStrategy } from "cockatiel";
import { Keyv } from "keyv";
import type { Logger } from "pino";
import { KeyvSqlite } from "@keyv/sqlite";
import KeyvRedis, { createClient } from "@keyv/redis";
import { type Locker, processLocker, redisLocker } from "./locker.js";
import { processRateGate, redisRateGate, type RateGate } from "./rate-gate.js";
import { guardKeyv, sameFiles, StoreOpenError, storeGuard, StoreUnavailableError, type StoreGuard } from "./store-guard.js";
import type { Metrics } from "../telemetry/metrics.js";

export type StoreKind = "sqlite" | "redis" | "memory";
export const NAMESPACES = ["credentials", "tokens", "tracking", "quotes", "proofs", "postings", "labels", "idempotency", "addresses", "agencies", "jobs", "watches", "webhooks", "deliveries"] as const;
export type Namespace = (typeof NAMESPACES)[number];

export interface Store {
  kind: StoreKind;
  ns(name: Namespace): Keyv;
  locker: Locker;
  /** A limit on how often something may start: shared by every replica on Redis, per process otherwise. */
  rateGate(name: string, limit: number, intervalMs: number): RateGate;
  /** Writes a value and reads it back (SQLite: into the file the process opened), for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  logger?: Logger;
  /** The bound on each Redis call (STORE_TIMEOUT_MS). */
  timeoutMs?: number;
  /** The variable that set the URL, named by start-up errors. */
  from?: "STORE_URL" | "DATA_DIR";
  /** Where each call's latency goes (store_operation_duration_seconds). */
  metrics?: Metrics;
}

const DEFAULT_TIMEOUT_MS = 500;
/** Start-up waits this long at least for Redis to answer before it gives up. */
const MIN_CONNECT_WAIT_MS = 5000;

export async function openStore(url: string, opts: StoreOptions = {}): Promise<Store> {
  if (url.startsWith("sqlite:")) return openSqlite(url, opts);
  if (url.startsWith("redis:") || url.startsWith("rediss:")) return openRedis(url, opts);
  if (url.startsWith("memory:")) return openMemory(opts);
  throw new Error(`Unsupported STORE_URL scheme: ${url.split(":")[0]}`);
}

function fromMaps(
  kind: StoreKind,
  raw: Record<Namespace, Keyv>,
  guard: StoreGuard,
  locker: Locker,
  close: () => Promise<void>,
  rateGate: Store["rateGate"] = (_name, limit, intervalMs) => processRateGate(limit, intervalMs),
): Store {
  const maps = {} as Record<Namespace, Keyv>;
  for (const name of NAMESPACES) maps[name] = guardKeyv(raw[name], name, guard);
  // One key per process, so replicas probing at the same moment do not read each other's value.
  const probeKey = `__ready__:${hostname()}:${process.pid}`;
  return {
    kind,
    ns: (name) => maps[name],
    locker,
    rateGate,
    ping: async () => {
      const nonce = randomUUID();
      await maps.tokens.set(probeKey, nonce, 60_000);
      if ((await maps.tokens.get(probeKey)) !== nonce) throw new StoreUnavailableError(kind, "a value written was not read back");
      await maps.tokens.delete(probeKey);
    },
    close,
  };
}

function storeOpenError(path: string, e: unknown, from: StoreOptions["from"] = "DATA_DIR"): StoreOpenError {
  const reason = e instanceof StoreUnavailableError ? e.reason : e instanceof Error ? e.message : String(e);
  const fix =
    from === "STORE_URL" ? "STORE_URL sets this path: point it at a file in a folder" : "DATA_DIR sets its folder: point DATA_DIR at a folder";
  return new StoreOpenError(`Cannot open the store ${path} (${reason}). ${fix} this process can create and write.`);
}

async function openSqlite(url: string, opts: StoreOptions): Promise<Store> {
  const path = url.replace(/^sqlite:\/\//, "");
  const adapters: KeyvSqlite[] = [];
  const raw = {} as Record<Namespace, Keyv>;
  const closeAll = async () => {
    await Promise.all(adapters.map((a) => a.disconnect()));
  };
  let opened: Array<{ path: string; ino: number; dev: number }>;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Created owner-only before SQLite opens it: SQLite gives the -wal and -shm files the database file's mode.
    closeSync(openSync(path, "a", 0o600));
    for (const name of NAMESPACES) {
      // One connection per namespace: keyv iterates by the adapter's namespace, so adapters are not shared.
      const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: "keyv", busyTimeout: 10_000, iterationLimit: 200 });
      adapters.push(adapter);
      // Errors reach the caller (through the guard): keyv's default turns a failed read into "not found".
      raw[name] = new Keyv({ store: adapter, namespace: name, throwOnErrors: true });
      // Each adapter runs CREATE TABLE as it connects; the first one also switches the file to WAL (readers go on while
      // a writer commits; a SIGKILL never loses a committed write either way). Connecting them one after the other keeps
      // those schema and journal-mode changes from racing: SQLite answers such a race with SQLITE_BUSY at once, without
      // waiting for the busy timeout.
      await adapter.query(adapters.length === 1 ? "PRAGMA journal_mode=WAL" : "SELECT 1");
    }
    // Files made by an earlier version may be world-readable; the -wal holds recent writes in clear.
    const files = [path, `${path}-wal`, `${path}-shm`].filter((f) => existsSync(f));
    for (const f of files) chmodSync(f, 0o600);
    opened = files.filter((f) => !f.endsWith("-shm")).map((f) => ({ path: f, ino: statSync(f).ino, dev: statSync(f).dev }));
  } catch (e) {
    await closeAll().catch(() => undefined);
    throw storeOpenError(path, e, opts.from);
  }
  const guard = storeGuard({ kind: "sqlite", logger: opts.logger, metrics: opts.metrics, afterWrite: () => sameFiles("sqlite", opened) });
  const store = fromMaps("sqlite", raw, guard, processLocker(), closeAll);
  try {
    await store.ping(); // SQLite opens a file it may not write read-only: this write finds that out now.
  } catch (e) {
    await closeAll().catch(() => undefined);
    throw storeOpenError(path, e, opts.from);
  }
  return store;
}

/** The URL without its password, for messages. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.split("@").pop() ?? "";
  }
}

async function openRedis(url: string, opts: StoreOptions): Promise<Store> {
  const { logger } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = createClient({
    url,
    // While the connection is down a call fails at once instead of waiting in a queue, and never runs late, after
    // its caller was told it failed. The client reconnects by itself (backing off up to 2 s).
    disableOfflineQueue: true,
    // Drops a command still waiting to be written; one already written is bounded by the guard.
    commandOptions: { timeout: timeoutMs },
  });
  let down = false;
  let started = false;
  let lastError = "";
  client.on("error", (e: unknown) => {
    lastError = e instanceof Error ? e.message : String(e);
    if (down || !started) return; // the client reports every reconnection attempt; one line per outage is enough
    down = true;
    logger?.warn({ store: "redis", err: lastError }, "redis connection lost: store calls fail with STORE_UNAVAILABLE until it is back");
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    logger?.info({ store: "redis" }, "redis connection back");
  });
  const connectWaitMs = Math.max(MIN_CONNECT_WAIT_MS, timeoutMs);
  try {
    await timeout(connectWaitMs, TimeoutStrategy.Aggressive).execute(() => client.connect());
    started = true;
  } catch (e) {
    if (client.isOpen) client.destroy();
    throw new StoreOpenError(
      `Cannot reach Redis at ${redactedUrl(url)} (STORE_URL) within ${connectWaitMs} ms: ${lastError || (e instanceof Error ? e.message : String(e))}.`,
    );
  }
  const guard = storeGuard({ kind: "redis", timeoutMs, logger, metrics: opts.metrics });
  const raw = {} as Record<Namespace, Keyv>;
  // Every namespace's adapter listens to the one shared client (error, connect, disconnect, reconnecting): 14 of each
  // is by design, not a leak, so Node's warning past 10 is raised to what they need (and ours, above).
  client.setMaxListeners(NAMESPACES.length + 5);
  for (const name of NAMESPACES) {
    // The adapter prefixes keys itself ("correios-subgraph:credentials::<key>"), so keyv must not prefix them again.
    // Errors reach the caller (through the guard): by default both keyv and the adapter answer a failure as "not found".
    raw[name] = new Keyv({
      store: new KeyvRedis(client as never, { throwOnErrors: true }),
      namespace: `correios-subgraph:${name}`,
      useKeyPrefix: false,
      throwOnErrors: true,
    });
  }
  const bounded = {
    set: (key: string, value: string, o: { NX: true; PX: number }) => guard.run("lock", () => client.set(key, value, o)),
    eval: (script: string, o: { keys: string[]; arguments: string[] }) => guard.run("eval", () => client.eval(script, o)),
  };
  return fromMaps(
    "redis",
    raw,
    guard,
    redisLocker(bounded),
    async () => {
      // QUIT waits for an answer; a server that is gone gets none.
      await timeout(timeoutMs, TimeoutStrategy.Aggressive)
        .execute(() => client.quit())
        .catch(() => {
          if (client.isOpen) client.destroy();
        });
    },
    (name, limit, intervalMs) => redisRateGate(bounded, name, limit, intervalMs, logger),
  );
}

function openMemory(opts: StoreOptions): Store {
  const raw = {} as Record<Namespace, Keyv>;
  for (const name of NAMESPACES) raw[name] = new Keyv({ namespace: name, throwOnErrors: true });
  return fromMaps("memory", raw, storeGuard({ kind: "memory", metrics: opts.metrics }), processLocker(), async () => undefined);
}
