// Two real subgraph processes on one real Redis: one token fetch across replicas, shared caches, and a crashed
// lock holder that blocks nobody. Needs Redis: REDIS_URL (default redis://127.0.0.1:6379). Without it these tests
// are skipped locally (start one with `redis-server --port 6379`), and fail in CI (CI=true), which must run them.
import { connect } from "node:net";
import { print } from "graphql";
import { createClient } from "@keyv/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signJwt } from "../src/http/auth.js";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { tokenKey } from "../src/services/credentials.js";
import { lockKey, redisLocker } from "../src/store/locker.js";
import { startSimulator, type Simulator } from "../simulator/index.js";
import { RegisterCredentialDocument, ShipmentStatusesDocument, TrackShipmentDocument } from "./generated/graphql.js";
import { AUTH_SECRET, CREDENTIALS_KEY } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";
import { startSubgraphProcess, type SubgraphProcess } from "./helpers/process.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const TEST_DB_URL = Object.assign(new URL(REDIS_URL), { pathname: "/9" }).toString();
const truthy = (v: string | undefined) => !!v && !["0", "false", "no"].includes(v.toLowerCase());
const required = truthy(process.env.CI) || truthy(process.env.REQUIRE_REDIS);

function redisReachable(): Promise<boolean> {
  const u = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const s = connect({ host: u.hostname, port: Number(u.port || 6379) });
    s.setTimeout(1000);
    s.once("connect", () => (s.end(), resolve(true)));
    s.once("error", () => resolve(false));
    s.once("timeout", () => (s.destroy(), resolve(false)));
  });
}

const available = await redisReachable();
if (!available && required) {
  throw new Error(`Redis is required here (CI=true or REQUIRE_REDIS=1) but ${REDIS_URL} is not reachable. Start one: redis-server --port 6379`);
}
if (!available) console.warn(`Skipping the Redis replica tests: ${REDIS_URL} is not reachable. Run them with a Redis server (redis-server --port 6379) or set REDIS_URL.`);

describe.skipIf(!available)("two replicas on Redis", () => {
  let sim: Simulator;
  let a: SubgraphProcess;
  let b: SubgraphProcess;
  let redis: ReturnType<typeof createClient>;
  const gql = async (url: string, doc: Parameters<typeof print>[0], variables: unknown, token?: string) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: print(doc), variables }),
    });
    return (await res.json()) as { data?: Record<string, never>; errors?: Array<{ extensions: { code: string } }> };
  };

  beforeAll(async () => {
    redis = createClient({ url: TEST_DB_URL });
    await redis.connect();
    await redis.flushDb();
    sim = await startSimulator({ port: 0, tokenRatePerSecond: 0 });
    const env = { STORE_URL: TEST_DB_URL, AUTH_SECRET, CREDENTIALS_KEY, CORREIOS_BASE_URL: sim.url, NODE_ENV: "test", TRACKING_WINDOW_MS: "2" };
    [a, b] = await Promise.all([startSubgraphProcess(env), startSubgraphProcess(env)]);
    const operator = await signJwt({ role: "operator" }, AUTH_SECRET);
    for (const id of ["shop-r1", "shop-r2"]) {
      const r = await gql(a.url, RegisterCredentialDocument, { input: registerInput(id, undefined, { verify: false }) }, operator);
      expect(r.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await sim?.close();
    await redis?.flushDb();
    await redis?.quit();
  });

  it("a credential registered on one replica is used by the other, and the token is fetched once across both", async () => {
    sim.reset();
    const token = await signJwt({ role: "client", clientId: "shop-r1" }, AUTH_SECRET);
    const calls = Array.from({ length: 40 }, (_, i) =>
      gql(i % 2 ? a.url : b.url, TrackShipmentDocument, { code: buildTrackingCode("AA", 60_000 + i) }, token),
    );
    const results = await Promise.all(calls);
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(sim.counts().token).toBe(1);
  });

  it("a code cached by one replica is served by the other without calling Correios", async () => {
    const token = await signJwt({ role: "client", clientId: "shop-r1" }, AUTH_SECRET);
    const codes = Array.from({ length: 60 }, (_, i) => buildTrackingCode("AB", 61_000 + i));
    await gql(a.url, ShipmentStatusesDocument, { codes }, token);
    sim.reset();
    const res = await gql(b.url, ShipmentStatusesDocument, { codes }, token);
    expect((res.data as unknown as { shipments: unknown[] }).shipments).toHaveLength(60);
    expect(sim.counts().total).toBe(0);
  });

  it("the token API's 3 requests per second hold across both replicas, not per replica", async () => {
    sim.setConfig({ tokenRatePerSecond: 3 });
    sim.reset();
    try {
      const operator = await signJwt({ role: "operator" }, AUTH_SECRET);
      const accounts = Array.from({ length: 8 }, (_, i) => {
        const n = String(i).padStart(2, "0");
        const a = { login: `loja-replica-${n}`, accessCode: `Repl1caRat3Acc3ss${n}`.padEnd(40, "r"), card: `0063000${n}0`.slice(0, 10) };
        sim.addAccount(a);
        return a;
      });
      const results = await Promise.all(
        accounts.map((acc, i) =>
          gql(i % 2 ? a.url : b.url, RegisterCredentialDocument, { input: registerInput(`shop-rate-${i}`, acc as never) }, operator),
        ),
      );
      for (const r of results) expect((r.data as unknown as { registerCredential: { credential: { status: string } } }).registerCredential.credential.status).toBe("ACTIVE");
      const token = sim.requests().filter((r) => r.endpoint === "token");
      expect(token).toHaveLength(8);
      expect(token.map((r) => r.status)).not.toContain(429);
      const times = token.map((r) => Date.parse(r.at)).sort((x, y) => x - y);
      const busiest = Math.max(...times.map((t, i) => times.filter((u, j) => j >= i && u - t < 1000).length));
      expect(busiest).toBeLessThanOrEqual(3);
    } finally {
      sim.setConfig({ tokenRatePerSecond: 0 });
    }
  });

  it("a live holder keeps its lock past the lock's lifetime: a second replica waits instead of fetching too", async () => {
    const locker = redisLocker(redis as never);
    const order: string[] = [];
    const slow = locker.tryWithLock("test:slow", 150, 5_000, async () => {
      order.push("first:start");
      await new Promise((r) => setTimeout(r, 600)); // four lifetimes of the lock
      order.push("first:end");
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = locker.tryWithLock("test:slow", 150, 5_000, async () => void order.push("second"));
    await Promise.all([slow, second]);
    expect(order).toEqual(["first:start", "first:end", "second"]);
    expect(await redis.keys(lockKey("*"))).toEqual([]);
  });

  it("a lock left by a crashed holder expires and blocks nobody for long", async () => {
    // shop-r2's token was never fetched; pretend a replica took the lock and died.
    const lockKeys = await redis.keys(lockKey("*"));
    expect(lockKeys).toEqual([]);
    const stored = JSON.parse((await redis.get("correios-subgraph:credentials::CORREIOS_BR:shop-r2"))!) as { value: { clientId: string; revision: number; accessCodeSealed: string } };
    const lockedAt = Date.now();
    await redis.set(lockKey(`token:${tokenKey(stored.value)}`), "dead-replica", { PX: 400 });
    sim.reset();
    const token = await signJwt({ role: "client", clientId: "shop-r2" }, AUTH_SECRET);
    const res = await gql(b.url, TrackShipmentDocument, { code: buildTrackingCode("AC", 62_000) }, token);
    expect(res.errors).toBeUndefined();
    expect(sim.counts().token).toBe(1);
    // The token was asked for only once the dead holder's lock had expired.
    const tokenAt = Date.parse(sim.requests().find((r) => r.endpoint === "token")!.at);
    expect(tokenAt - lockedAt).toBeGreaterThanOrEqual(350);
  });
});
