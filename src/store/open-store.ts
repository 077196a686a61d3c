// keyv set-up: the adapter is chosen from STORE_URL. sqlite (embedded, persistent, no server) is the default;
// redis is for several replicas; memory is for throwaway runs.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Keyv } from "keyv";
import type { Logger } from "pino";
import { KeyvSqlite } from "@keyv/sqlite";
import KeyvRedis, { createClient } from "@keyv/redis";
import { type Locker, processLocker, redisLocker } from "./locker.js";
import { processRateGate, redisRateGate, type RateGate } from "./rate-gate.js";

export type StoreKind = "sqlite" | "redis" | "memory";
export const NAMESPACES = ["credentials", "tokens", "tracking", "quotes", "proofs"] as const;
export type Namespace = (typeof NAMESPACES)[number];

export interface Store {
  kind: StoreKind;
  ns(name: Namespace): Keyv;
  locker: Locker;
  /** A limit on how often something may start: shared by every replica on Redis, per process otherwise. */
  rateGate(name: string, limit: number, intervalMs: number): RateGate;
  /** A round trip to the backing store, for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(url: string, logger?: Logger): Promise<Store> {
  if (url.startsWith("sqlite:")) return openSqlite(url);
  if (url.startsWith("redis:") || url.startsWith("rediss:")) return openRedis(url, logger);
  if (url.startsWith("memory:")) return openMemory();
  throw new Error(`Unsupported STORE_URL scheme: ${url.split(":")[0]}`);
}

function fromMaps(
  kind: StoreKind,
  maps: Record<Namespace, Keyv>,
  locker: Locker,
  close: () => Promise<void>,
  rateGate: Store["rateGate"] = (_name, limit, intervalMs) => processRateGate(limit, intervalMs),
): Store {
  return {
    kind,
    ns: (name) => maps[name],
    locker,
    rateGate,
    ping: async () => {
      await maps.tokens.get("__ping__");
    },
    close,
  };
}

async function openSqlite(url: string): Promise<Store> {
  const path = url.replace(/^sqlite:\/\//, "");
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const adapters: KeyvSqlite[] = [];
  const maps = {} as Record<Namespace, Keyv>;
  for (const name of NAMESPACES) {
    // One connection per namespace: keyv iterates by the adapter's namespace, so adapters are not shared.
    const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: "keyv", busyTimeout: 10_000, iterationLimit: 200 });
    adapters.push(adapter);
    maps[name] = new Keyv({ store: adapter, namespace: name });
    // Each adapter runs CREATE TABLE as it connects; the first one also switches the file to WAL (readers go on while
    // a writer commits; a SIGKILL never loses a committed write either way). Connecting them one after the other keeps
    // those schema and journal-mode changes from racing: SQLite answers such a race with SQLITE_BUSY at once, without
    // waiting for the busy timeout.
    await adapter.query(adapters.length === 1 ? "PRAGMA journal_mode=WAL" : "SELECT 1");
  }
  return fromMaps("sqlite", maps, processLocker(), async () => {
    await Promise.all(adapters.map((a) => a.disconnect()));
  });
}

async function openRedis(url: string, logger?: Logger): Promise<Store> {
  const client = createClient({ url });
  await client.connect();
  const maps = {} as Record<Namespace, Keyv>;
  for (const name of NAMESPACES) {
    // The adapter prefixes keys itself ("correios-subgraph:credentials::<key>"), so keyv must not prefix them again.
    maps[name] = new Keyv({ store: new KeyvRedis(client as never), namespace: `correios-subgraph:${name}`, useKeyPrefix: false });
  }
  return fromMaps(
    "redis",
    maps,
    redisLocker(client as never),
    async () => {
      await client.quit().catch(() => undefined);
    },
    (name, limit, intervalMs) => redisRateGate(client as never, name, limit, intervalMs, logger),
  );
}

function openMemory(): Store {
  const maps = {} as Record<Namespace, Keyv>;
  for (const name of NAMESPACES) maps[name] = new Keyv({ namespace: name });
  return fromMaps("memory", maps, processLocker(), async () => undefined);
}
