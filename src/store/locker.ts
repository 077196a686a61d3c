// Mutual exclusion across replicas for work that must happen once (a token fetch, an idempotent create). On Redis: SET NX PX, so a crashed
// holder's lock expires by itself; a live holder extends it while its work runs (a token fetch with retries can
// outlast any fixed lifetime), and the waiter polls and re-checks. In one process nothing is needed: callers already
// share an in-flight promise.

export interface Locker {
  /** Runs fn while holding the lock; returns undefined without running it when the lock stayed busy past waitMs. */
  tryWithLock<T>(key: string, ttlMs: number, waitMs: number, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

export function processLocker(): Locker {
  return {
    async tryWithLock(_key, _ttl, _wait, fn) {
      return { ran: true, value: await fn() };
    },
  };
}

interface RedisLike {
  set(key: string, value: string, opts: { NX: true; PX: number }): Promise<string | null>;
  eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** The Redis key of a lock: under the same prefix as the stored data, so deployments sharing a database stay apart. */
export const lockKey = (key: string) => `correios-subgraph:lock:${key}`;

// Both act only while the lock is still this owner's: an expired lock taken by another replica is left alone.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

export function redisLocker(client: RedisLike): Locker {
  return {
    async tryWithLock(key, ttlMs, waitMs, fn) {
      const owner = `${process.pid}:${Math.random().toString(36).slice(2)}`;
      const k = lockKey(key);
      const deadline = Date.now() + waitMs;
      for (;;) {
        if ((await client.set(k, owner, { NX: true, PX: ttlMs })) === "OK") break;
        if (Date.now() >= deadline) return { ran: false };
        await new Promise((r) => setTimeout(r, 25));
      }
      const keepAlive = setInterval(() => {
        client.eval(EXTEND, { keys: [k], arguments: [owner, String(ttlMs)] }).catch(() => undefined);
      }, Math.max(50, Math.floor(ttlMs / 3)));
      keepAlive.unref();
      try {
        return { ran: true, value: await fn() };
      } finally {
        clearInterval(keepAlive);
        await client.eval(RELEASE, { keys: [k], arguments: [owner] }).catch(() => undefined);
      }
    },
  };
}
