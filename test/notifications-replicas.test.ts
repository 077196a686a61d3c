// Two subgraph replicas on one Redis share the watch polls and the webhook deliveries through the BullMQ job engine:
// each due code is asked about by one replica only (every poll round names each code once in the simulator's tracking
// log), and each change of a watched parcel reaches the receiver once (one webhook-id per change), whichever replica
// polled it and whichever delivered it. The simulator's tracking gate stays closed, so a round's polls are held where
// the test can count them; a code's next round cannot start before its last poll was answered, so rounds never mix.
// Needs Redis: REDIS_URL (default redis://127.0.0.1:6379; database 12, emptied before and after). Without it these
// tests are skipped locally (start one with `redis-server --port 6379`), and fail in CI (CI=true), which must run them.
import { connect } from "node:net";
import { print } from "graphql";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signJwt } from "../src/http/auth.js";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { startSimulator, type Simulator } from "../simulator/index.js";
import { CreateWebhookEndpointDocument, RegisterCredentialDocument, WatchShipmentsDocument, WebhookDeliveriesDocument } from "./generated/graphql.js";
import { AUTH_SECRET, CREDENTIALS_KEY } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";
import { startSubgraphProcess, type SubgraphProcess } from "./helpers/process.js";
import { startReceiver, type Receiver } from "./helpers/receiver.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const TEST_DB_URL = Object.assign(new URL(REDIS_URL), { pathname: "/12" }).toString();
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
if (!available) console.warn(`Skipping the notification replica tests: ${REDIS_URL} is not reachable. Run them with a Redis server (redis-server --port 6379) or set REDIS_URL.`);

const CLIENT = "shop-notify";
/** Serials ending in 3..7: parcels on the move (IN_TRANSIT, POSTED, OUT_FOR_DELIVERY, AWAITING_PICKUP, DELIVERY_FAILED). */
const CODES = Array.from({ length: 100 }, (_, i) => buildTrackingCode("AA", 71_000_000 + Math.floor(i / 5) * 10 + 3 + (i % 5)));
/** The parcels that move between the second and third rounds. */
const MOVED = CODES.filter((_, i) => i % 10 === 0);

describe.skipIf(!available)("notifications on two replicas (Redis, BullMQ)", () => {
  let sim: Simulator;
  let receiver: Receiver;
  let a: SubgraphProcess;
  let b: SubgraphProcess;
  let redis: Redis;
  let operator: string;
  let endpointId: string;

  const gql = async (url: string, doc: Parameters<typeof print>[0], variables: unknown) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${operator}` },
      body: JSON.stringify({ query: print(doc), variables }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the documents' own result types are checked by codegen
    return (await res.json()) as { data?: any; errors?: unknown[] };
  };

  /** Codes asked in the simulator's tracking log from entry `from` on, with how many times each was asked. */
  const askedSince = (from: number) => {
    const counts = new Map<string, number>();
    for (const r of sim.requests().slice(from)) {
      if (r.endpoint !== "tracking") continue;
      const q = r.query["codigosObjetos"];
      const codes = (Array.isArray(q) ? q : q ? [q] : []).flatMap((c) => c.split(","));
      for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    return counts;
  };

  /** Waits until every watched code was asked since `from` (its poll now held at the gate), and returns the counts. */
  const round = async (from: number) => {
    await vi.waitFor(() => expect(askedSince(from).size).toBe(CODES.length), { timeout: 30_000, interval: 50 });
    return askedSince(from);
  };

  beforeAll(async () => {
    redis = new Redis(TEST_DB_URL);
    await redis.flushdb();
    sim = await startSimulator({ port: 0, tokenRatePerSecond: 0 });
    receiver = await startReceiver();
    operator = await signJwt({ role: "operator" }, AUTH_SECRET);
    const env = {
      STORE_URL: TEST_DB_URL,
      AUTH_SECRET,
      CREDENTIALS_KEY,
      CORREIOS_BASE_URL: sim.url,
      NODE_ENV: "test",
      // Every status polled every second, never served from the tracking cache, and never given up on while held.
      WATCH_INTERVALS: "POSTED=1,IN_TRANSIT=1,OUT_FOR_DELIVERY=1,AWAITING_PICKUP=1,DELIVERY_FAILED=1",
      WATCH_MIN_INTERVAL_SECONDS: "0",
      WATCH_MAX_CALLS_PER_SECOND: "1000",
      TRACKING_TTL_ACTIVE_SECONDS: "0",
      TRACKING_CONCURRENCY: "64",
      TRACKING_UPSTREAM_BUDGET_MS: "120000",
      UPSTREAM_TIMEOUT_MS: "120000",
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    };
    // One after the other: two cold tsx start-ups at once on a busy machine can outlast the start-up wait.
    a = await startSubgraphProcess(env);
    b = await startSubgraphProcess(env);
    const reg = await gql(a.url, RegisterCredentialDocument, { input: registerInput(CLIENT, undefined, { verify: false }) });
    expect(reg.errors).toBeUndefined();
    const ep = await gql(b.url, CreateWebhookEndpointDocument, { input: { clientId: CLIENT, url: `${receiver.url}/hooks`, events: ["SHIPMENT_UPDATED"] } });
    expect(ep.errors).toBeUndefined();
    expect(ep.data?.createWebhookEndpoint?.userErrors).toEqual([]);
    endpointId = ep.data.createWebhookEndpoint.endpoint.id;
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await receiver?.close();
    await sim?.close();
    await redis?.flushdb();
    redis?.disconnect();
  });

  it("each due code is polled by one replica per round, and each change is delivered once", async () => {
    sim.closeGate("tracking");
    let from = sim.requests().length;
    // Half the codes watched through each replica; either may poll any of them.
    const half = CODES.length / 2;
    const watched = await Promise.all([
      gql(a.url, WatchShipmentsDocument, { input: { clientId: CLIENT, codes: CODES.slice(0, half), metadata: { order: "A" } } }),
      gql(b.url, WatchShipmentsDocument, { input: { clientId: CLIENT, codes: CODES.slice(half), metadata: { order: "B" } } }),
    ]);
    for (const w of watched) expect(w, JSON.stringify(w.errors)).toMatchObject({ data: { watchShipments: { userErrors: [] } } });

    // Round 1 (the baselines): every code asked once, by one replica.
    const first = await round(from);
    expect([...first.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    from = sim.requests().length;
    sim.releaseGate("tracking");

    // Round 2: asked again once each; while its polls are held, some parcels move.
    const second = await round(from);
    expect([...second.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    for (const code of MOVED) sim.addTrackingEvent(code, { codigo: "OEC", tipo: "01" });
    from = sim.requests().length;
    sim.releaseGate("tracking");

    // Each move reaches the receiver once, whichever replica detected it and whichever delivered it.
    const got = await receiver.waitForRequests(MOVED.length, 30_000);
    // Round 3 (no news): every code once more; held polls cannot deliver anything new.
    const third = await round(from);
    expect([...third.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(receiver.requests).toHaveLength(MOVED.length);
    const ids = new Set(receiver.requests.map((r) => r.headers["webhook-id"]));
    expect(ids.size).toBe(MOVED.length);
    const codes = got.map((r) => (JSON.parse(r.body) as { data: { code: string } }).data.code).sort();
    expect(codes).toEqual([...MOVED].sort());
    // And no second send is on its way: one delivery per change, delivered at its first attempt.
    const log = await gql(a.url, WebhookDeliveriesDocument, { endpointId, first: 100 });
    expect(log.errors).toBeUndefined();
    const deliveries = log.data.webhookDeliveries.edges.map((e: { node: { status: string; attempts: unknown[] } }) => [e.node.status, e.node.attempts.length]);
    expect(deliveries).toEqual(MOVED.map(() => ["DELIVERED", 1]));
    sim.openGate("tracking");
  }, 120_000);
});
