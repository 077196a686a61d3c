// How often something may start, over a sliding window: per process, or shared by every replica on Redis, so that N
// replicas together stay under a rate an upstream enforces (the CWS token API's 3 requests per second), not N times it.
import pThrottle from "p-throttle";
import type { Logger } from "pino";

/** Resolves when one more start fits in the window. */
export type RateGate = () => Promise<void>;

/** p-throttle in strict mode: a sliding window, like the upstream limits it mirrors. */
export function processRateGate(limit: number, intervalMs: number): RateGate {
  return pThrottle({ limit, interval: intervalMs, strict: true })(() => Promise.resolve());
}

interface RedisEval {
  eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

// The window is a sorted set of start times, timed by the Redis server's clock (replicas' clocks may differ). Admits
// and records a start when fewer than `limit` lie in the window; otherwise answers how long until the oldest leaves.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/** The key of a shared window, under the prefix of the stored data. */
export const rateKey = (name: string) => `correios-subgraph:rate:${name}`;

/**
 * The same window for every replica. When Redis cannot be asked, this process falls back to its own window rather than
 * failing the call: the upstream limit is then held per replica, as without Redis.
 */
export function redisRateGate(client: RedisEval, name: string, limit: number, intervalMs: number, logger?: Logger): RateGate {
  const local = processRateGate(limit, intervalMs);
  const key = rateKey(name);
  let n = 0;
  return async () => {
    for (;;) {
      let wait: number;
      try {
        const member = `${process.pid}.${n++}.${Math.random().toString(36).slice(2, 8)}`;
        wait = Number(await client.eval(TAKE, { keys: [key], arguments: [String(intervalMs), String(limit), member] }));
      } catch (e) {
        logger?.warn({ err: String(e), gate: name }, "shared rate window unreachable: limiting this process only");
        return local();
      }
      if (wait <= 0) return;
      // A little jitter, so replicas waiting for the same slot do not all ask again at the same instant.
      await new Promise((r) => setTimeout(r, wait + Math.random() * 10));
    }
  };
}
