// Watching parcels end to end: the subgraph over HTTP, the simulator's tracking API behind it, parcels made to move
// with the simulator's event route. Polls are made due by configuration (tiny WATCH_INTERVALS, floor 0), and the tests
// wait for outcomes (a poll seen by the simulator, a field that changed), never for a duration. Changes are read where
// the poller hands them over: the services' change sink (the webhook dispatcher), observed with a spy that lets every
// call through.
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import type { ShipmentChange } from "../src/services/notifications/change.js";
import { WATCH_QUEUE, watchJobId } from "../src/services/notifications/poller.js";
import { codeForScenario, scenarioOf } from "../simulator/index.js";
import {
  CancelPostingDocument,
  CreatePostingDocument,
  CreateReturnDocument,
  CreateWebhookEndpointDocument,
  RegisterCredentialDocument,
  ShipmentWatchDocument,
  ShipmentWatchesDocument,
  TrackShipmentDocument,
  UnwatchShipmentsDocument,
  WatchShipmentsDocument,
} from "./generated/graphql.js";
import { registerInput } from "./helpers/fixtures.js";
import { startHarness, trackingCallSizes, type Harness } from "./helpers/harness.js";
import { newKey, postingInput } from "./helpers/postings.js";
import { startReceiver } from "./helpers/receiver.js";

const EVERY_STATUS = ["POSTED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "AWAITING_PICKUP", "DELIVERY_FAILED", "RETURNING", "NOT_FOUND", "UNKNOWN"];
const WAIT = { timeout: 15_000, interval: 20 };

/** Tracking requests (after the `from`-th logged request) that asked for `code`. */
function pollsOf(h: Harness, code: string, from = 0): number {
  return h.sim
    .requests()
    .slice(from)
    .filter((r) => r.endpoint === "tracking" && [r.query.codigosObjetos ?? []].flat().includes(code)).length;
}

describe("watching a parcel", () => {
  let h: Harness;
  let shopA: string;
  let shopB: string;
  let publish: MockInstance<(c: ShipmentChange) => Promise<void>>;
  const published = (code: string) => publish.mock.calls.map(([c]) => c).filter((c) => c.code === code);

  async function watchOf(code: string, token = shopA) {
    const res = await h.gql(ShipmentWatchDocument, { code }, { token });
    expect(res.errors).toBeUndefined();
    return res.data!.shipment!.watch;
  }
  async function watch(code: string, metadata: unknown = null, token = shopA) {
    const res = await h.gql(WatchShipmentsDocument, { input: { codes: [code], metadata } }, { token });
    expect(res.errors).toBeUndefined();
    expect(res.data!.watchShipments).toEqual({ watched: [code], userErrors: [] });
  }
  /** Waits for the first poll to have taken the baseline. */
  async function baseline(code: string) {
    await vi.waitFor(async () => expect((await watchOf(code))?.lastCheckedAt).toBeTruthy(), WAIT);
  }

  beforeAll(async () => {
    h = await startHarness({
      env: {
        WATCH_INTERVALS: EVERY_STATUS.map((s) => `${s}=0.2`).join(","),
        WATCH_MIN_INTERVAL_SECONDS: "0",
        WATCH_BATCH_WAIT_MS: "0",
        // Every poll asks Correios: no answer stays fresh.
        TRACKING_TTL_ACTIVE_SECONDS: "0",
        TRACKING_TTL_NOT_FOUND_SECONDS: "0",
        BREAKER_HALF_OPEN_AFTER_MS: "100",
        WEBHOOK_ALLOW_PRIVATE_URLS: "true",
      },
    });
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-a") });
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-b") });
    shopA = await h.clientToken("shop-a");
    shopB = await h.clientToken("shop-b");
    publish = vi.spyOn(h.services.changes, "publish");
  });
  afterAll(() => h?.close());

  it("takes what the parcel shows at the first poll as its baseline, and publishes nothing while it does not move", async () => {
    const code = codeForScenario("IN_TRANSIT", 101);
    await watch(code, { orderId: "o-101" });
    await baseline(code);
    const from = h.sim.requests().length;
    await vi.waitFor(() => expect(pollsOf(h, code, from)).toBeGreaterThanOrEqual(3), WAIT);
    expect(published(code)).toEqual([]);
    const w = (await watchOf(code))!;
    expect(w.metadata).toEqual({ orderId: "o-101" });
    expect(Date.parse(w.since)).toBeLessThanOrEqual(Date.parse(w.lastCheckedAt!));
    expect(Date.parse(w.nextCheckAt!)).toBeGreaterThan(Date.parse(w.lastCheckedAt!));
    expect(Date.parse(w.expiresAt) - Date.parse(w.since)).toBe(60 * 86_400_000);
  });

  it("publishes one change when the parcel moves: the new event, both statuses and the watch's metadata", async () => {
    const code = codeForScenario("IN_TRANSIT", 102);
    await watch(code, { orderId: "o-102" });
    await baseline(code);
    h.sim.addTrackingEvent(code, { codigo: "OEC", tipo: "01" });
    await vi.waitFor(() => expect(published(code)).toHaveLength(1), WAIT);
    const from = h.sim.requests().length;
    await vi.waitFor(() => expect(pollsOf(h, code, from)).toBeGreaterThanOrEqual(3), WAIT);
    expect(published(code)).toHaveLength(1);
    const [change] = published(code);
    expect(change).toMatchObject({
      clientId: "shop-a",
      code,
      types: ["SHIPMENT_UPDATED", "SHIPMENT_STATUS_CHANGED"],
      status: "OUT_FOR_DELIVERY",
      previousStatus: "IN_TRANSIT",
      event: { code: "OEC", type: "01", description: "Objeto saiu para entrega ao destinatário" },
      metadata: { orderId: "o-102" },
    });
    expect(change!.id).toMatch(/^chg_[0-9a-f]{32}$/);
  });

  it("a move reaches the client's webhook endpoint as one signed delivery, and no other", async () => {
    const rx = await startReceiver();
    try {
      const ep = await h.gql(CreateWebhookEndpointDocument, { input: { url: rx.url, events: ["SHIPMENT_UPDATED"] } }, { token: shopB });
      const secret = ep.data!.createWebhookEndpoint.secret!;
      const code = codeForScenario("IN_TRANSIT", 109);
      await watch(code, { orderId: "o-109" }, shopB);
      await vi.waitFor(async () => expect((await watchOf(code, shopB))?.lastCheckedAt).toBeTruthy(), WAIT);
      h.sim.addTrackingEvent(code, { codigo: "OEC", tipo: "01" });
      const [got] = await rx.waitForRequests(1, 15_000);
      const from = h.sim.requests().length;
      await vi.waitFor(() => expect(pollsOf(h, code, from)).toBeGreaterThanOrEqual(3), WAIT);
      expect(rx.requests).toHaveLength(1);
      expect(new Webhook(secret).verify(got!.body, got!.headers)).toMatchObject({
        type: "shipment.updated",
        data: { code, status: "OUT_FOR_DELIVERY", previousStatus: "IN_TRANSIT", metadata: { orderId: "o-109" } },
      });
    } finally {
      await rx.close();
    }
  });

  it("a parcel reaching a final status publishes DELIVERED, and its watch ends", async () => {
    const code = codeForScenario("OUT_FOR_DELIVERY", 103);
    await watch(code);
    await baseline(code);
    h.sim.addTrackingEvent(code, { codigo: "BDE", tipo: "01" });
    await vi.waitFor(() => expect(published(code)).toHaveLength(1), WAIT);
    expect(published(code)[0]).toMatchObject({
      types: ["SHIPMENT_UPDATED", "SHIPMENT_STATUS_CHANGED", "SHIPMENT_DELIVERED"],
      status: "DELIVERED",
      previousStatus: "OUT_FOR_DELIVERY",
    });
    await vi.waitFor(async () => expect(await watchOf(code)).toBeNull(), WAIT);
    await vi.waitFor(async () => expect(await h.services.jobs.queue(WATCH_QUEUE).get(watchJobId("shop-a", code))).toBeUndefined(), WAIT);
  });

  it("unwatching stops the polls of that parcel", async () => {
    const gone = codeForScenario("IN_TRANSIT", 104);
    const kept = codeForScenario("IN_TRANSIT", 105);
    await watch(gone);
    await watch(kept);
    await baseline(gone);
    const res = await h.gql(UnwatchShipmentsDocument, { input: { codes: [gone.toLowerCase()] } }, { token: shopA });
    expect(res.data!.unwatchShipments).toEqual({ watched: [gone], userErrors: [] });
    // A poll already on its way when the unwatch came finishes (and is not rescheduled); after the next round of the
    // other parcel, the unwatched one is in none of the requests.
    const after = h.sim.requests().length;
    await vi.waitFor(() => expect(pollsOf(h, kept, after)).toBeGreaterThanOrEqual(1), WAIT);
    const from = h.sim.requests().length;
    await vi.waitFor(() => expect(pollsOf(h, kept, from)).toBeGreaterThanOrEqual(3), WAIT);
    expect(pollsOf(h, gone, from)).toBe(0);
    expect(await watchOf(gone)).toBeNull();
  });

  it("a move while Correios is down is published once it answers again, never from the stale answer", async () => {
    const code = codeForScenario("IN_TRANSIT", 106);
    await watch(code);
    await baseline(code);
    h.sim.addFault({ endpoint: "tracking", kind: "status", status: 503 });
    h.sim.addTrackingEvent(code, { codigo: "OEC", tipo: "01" });
    const from = h.sim.requests().length;
    // Polls go on during the outage and get the last known answer (stale): no change comes of it.
    await vi.waitFor(() => expect(pollsOf(h, code, from)).toBeGreaterThanOrEqual(3), WAIT);
    expect(published(code)).toEqual([]);
    h.sim.clearFaults();
    await vi.waitFor(() => expect(published(code)).toHaveLength(1), WAIT);
    expect(published(code)[0]).toMatchObject({ status: "OUT_FOR_DELIVERY", previousStatus: "IN_TRANSIT" });
  });

  it("refuses bad codes naming the field and index, before anything is watched or asked", async () => {
    const good = codeForScenario("IN_TRANSIT", 108);
    const wrongDigit = `${good.slice(0, 10)}${(Number(good[10]) + 1) % 10}${good.slice(11)}`;
    const spanish = buildTrackingCode("PQ", 12345678, "ES");
    const res = await h.gql(WatchShipmentsDocument, { input: { codes: ["AA123", good, wrongDigit, spanish] } }, { token: shopA });
    expect(res.errors).toBeUndefined();
    const p = res.data!.watchShipments;
    expect(p.watched).toEqual([]);
    expect(p.userErrors.map((e) => [e.field, e.code])).toEqual([
      ["input.codes[0]", "INVALID_TRACKING_CODE"],
      ["input.codes[2]", "INVALID_TRACKING_CODE"],
      ["input.codes[3]", "UNSUPPORTED_CARRIER"],
    ]);
    expect(p.userErrors[1]!.message).toMatch(/check digit/);
    const empty = await h.gql(WatchShipmentsDocument, { input: { codes: [] } }, { token: shopA });
    expect(empty.data!.watchShipments.userErrors).toEqual([expect.objectContaining({ field: "input.codes", code: "REQUIRED" })]);
    const big = await h.gql(WatchShipmentsDocument, { input: { codes: [good], metadata: { note: "x".repeat(5000) } } }, { token: shopA });
    expect(big.data!.watchShipments.userErrors).toEqual([expect.objectContaining({ field: "input.metadata", code: "METADATA_TOO_LARGE" })]);
    const unwatch = await h.gql(UnwatchShipmentsDocument, { input: { codes: [good, "nope"] } }, { token: shopA });
    expect(unwatch.data!.unwatchShipments.userErrors).toEqual([expect.objectContaining({ field: "input.codes[1]", code: "INVALID_TRACKING_CODE" })]);
    expect(await h.services.jobs.queue(WATCH_QUEUE).get(watchJobId("shop-a", good))).toBeUndefined();
    expect(pollsOf(h, good)).toBe(0);
  });

  it("one client never reads nor changes another client's watch", async () => {
    const code = codeForScenario("IN_TRANSIT", 107);
    await watch(code, { orderId: "secret-of-a" });
    expect(await watchOf(code, shopA)).toMatchObject({ metadata: { orderId: "secret-of-a" } });
    expect(await watchOf(code, shopB)).toBeNull();
    const forA = await h.gql(WatchShipmentsDocument, { input: { clientId: "shop-a", codes: [code] } }, { token: shopB });
    expect(forA.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const unwatchA = await h.gql(UnwatchShipmentsDocument, { input: { clientId: "shop-a", codes: [code] } }, { token: shopB });
    expect(unwatchA.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // B unwatching the same code unwatches B's watch (none), not A's.
    const own = await h.gql(UnwatchShipmentsDocument, { input: { codes: [code] } }, { token: shopB });
    expect(own.data!.unwatchShipments.watched).toEqual([code]);
    expect(await watchOf(code, shopA)).not.toBeNull();
    // An operator names the client it acts for.
    const op = await h.gql(WatchShipmentsDocument, { input: { codes: [code] } });
    expect(op.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const unregistered = await h.gql(WatchShipmentsDocument, { input: { clientId: "shop-none", codes: [code] } });
    expect(unregistered.data!.watchShipments.userErrors).toEqual([expect.objectContaining({ field: "input.clientId", code: "NOT_FOUND" })]);
  });
});

describe("polling at the floor", () => {
  let h: Harness;
  let shop: string;

  beforeAll(async () => {
    // Watches are made on an API-only process, so that the polls all come due together when a worker starts.
    h = await startHarness({ env: { MAX_CODES_PER_REQUEST: "1000", NOTIFICATIONS_WORKERS: "false" } });
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-a") });
    shop = await h.clientToken("shop-a");
  });
  afterAll(() => h?.close());

  async function watchAll(codes: string[]) {
    const res = await h.gql(WatchShipmentsDocument, { input: { codes, metadata: { batch: true } } }, { token: shop });
    expect(res.data!.watchShipments.watched).toHaveLength(codes.length);
  }
  async function allPolled(codes: string[]) {
    await vi.waitFor(async () => {
      const ws = await h.services.watches.getMany("shop-a", codes);
      // Polled: a baseline taken, or ended at once (a parcel already delivered or returned).
      expect(ws.filter((w) => w && !w.lastCheckedAt)).toHaveLength(0);
    }, { timeout: 60_000, interval: 100 });
  }

  it("1,000 watched codes due at once take ⌈1000/50⌉ = 20 tracking calls", async () => {
    const codes = Array.from({ length: 1000 }, (_, i) => buildTrackingCode("AA", 20_000 + i));
    await watchAll(codes);
    expect(h.sim.counts().tracking).toBe(0);
    await h.restart({ NOTIFICATIONS_WORKERS: "true" });
    await allPolled(codes);
    expect(trackingCallSizes(h.sim)).toEqual(Array(20).fill(50));
    // Every baseline is in the tracking cache: reading them all costs no call. Final parcels are no longer watched.
    const res = await h.gql(ShipmentWatchesDocument, { codes }, { token: shop });
    expect(res.errors).toBeUndefined();
    for (const s of res.data!.shipments) {
      const final = ["DELIVERED", "RETURNED"].includes(scenarioOf(s!.code)!);
      expect(s!.watch === null).toBe(final);
    }
    expect(h.sim.counts().tracking).toBe(20);
  });

  it("a parcel a storefront query has just fetched is not asked again for its baseline", async () => {
    const code = codeForScenario("IN_TRANSIT", 300);
    const asked = await h.gql(TrackShipmentDocument, { code }, { token: shop });
    const fetchedAt = asked.data!.shipment!.fetchedAt;
    await watchAll([code]);
    await allPolled([code]);
    const res = await h.gql(ShipmentWatchesDocument, { codes: [code] }, { token: shop });
    expect(res.data!.shipments[0]!.watch!.lastCheckedAt).toBe(fetchedAt);
    expect(pollsOf(h, code)).toBe(1);
  });

  it("postings and returns made through the subgraph are watched, with their id as metadata; a cancelled one no longer", async () => {
    const res = await h.gql(CreatePostingDocument, { input: postingInput() }, { token: shop });
    expect(res.data!.createPosting.userErrors).toEqual([]);
    const posting = res.data!.createPosting.posting!;
    expect(posting.trackingCode).toBeTruthy();
    const [w] = await h.services.watches.getMany("shop-a", [posting.trackingCode!]);
    expect(w).toMatchObject({ clientId: "shop-a", code: posting.trackingCode, metadata: { postingId: posting.id } });
    const cancelled = await h.gql(CancelPostingDocument, { id: posting.id }, { token: shop });
    expect(cancelled.data!.cancelPosting.posting!.status).toBe("CANCELLED");
    expect(await h.services.watches.getMany("shop-a", [posting.trackingCode!])).toEqual([undefined]);

    const p = postingInput();
    const ret = await h.gql(
      CreateReturnDocument,
      {
        input: {
          idempotencyKey: newKey("ret"),
          service: "03301",
          customer: p.recipient,
          recipient: p.sender,
          package: p.package,
          declaredContent: [{ description: "Camiseta de algodão (troca)", quantity: 1, unitValue: "49.90" }],
          mode: "DROP_OFF",
        },
      },
      { token: shop },
    );
    expect(ret.data!.createReturn.userErrors).toEqual([]);
    const r = ret.data!.createReturn.returnAuthorization!;
    const [rw] = await h.services.watches.getMany("shop-a", [r.trackingCode!]);
    expect(rw).toMatchObject({ code: r.trackingCode, metadata: { returnId: r.id } });
  });

  it("WATCH_MAX_CALLS_PER_SECOND holds: with 1, due batches go out a second apart", async () => {
    await h.restart({ NOTIFICATIONS_WORKERS: "false" });
    const codes = Array.from({ length: 300 }, (_, i) => buildTrackingCode("AB", 30_000 + i));
    await watchAll(codes);
    h.sim.reset();
    await h.restart({ NOTIFICATIONS_WORKERS: "true", WATCH_MAX_CALLS_PER_SECOND: "1" });
    await allPolled(codes);
    const calls = h.sim.requests().filter((r) => r.endpoint === "tracking");
    expect(calls.map((r) => [r.query.codigosObjetos ?? []].flat().length)).toEqual([50, 50, 50, 50, 50, 50]);
    // The gate admits one call per sliding second, so calls 2 to 6 span 4 s; a call may reach the simulator up to a
    // second late on a busy machine (the store work of the polls before it), hence 3 s. Without the limit they would
    // all arrive within a fraction of a second. The first call is left out: it leaves while the process is still
    // starting (building the schema), so it reaches the simulator late.
    const at = calls.map((r) => Date.parse(r.at));
    expect(at[5]! - at[1]!).toBeGreaterThanOrEqual(3000);
  });
});
