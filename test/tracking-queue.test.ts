// The tracking call queue: codes that arrive while every call slot is busy leave together in the next free call;
// the cache keeps each answer as long as its status allows; a broken cache read or a refused call is never hidden.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTrackingCode } from "../src/correios/formats.js";
import { codeForScenario } from "../simulator/index.js";
import { invalidObjectCode } from "../simulator/tracking-histories.js";
import { RegisterCredentialDocument, ShipmentStatusesDocument, TrackShipmentDocument } from "./generated/graphql.js";
import { startHarness, trackingCallSizes, type Harness } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";

let h: Harness;
let serial = 400_000;
const fresh = () => buildTrackingCode("AA", serial++);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const callSizes = () => trackingCallSizes(h.sim);

beforeAll(async () => {
  h = await startHarness({
    env: {
      DEFAULT_CLIENT_ID: "queue-shop",
      // One call at a time makes the queue visible; moving parcels are never fresh, delivered ones for an hour.
      TRACKING_CONCURRENCY: "1",
      TRACKING_TTL_ACTIVE_SECONDS: "0",
      TRACKING_TTL_FINAL_SECONDS: "3600",
      BREAKER_FAILURES: "1000",
    },
  });
  await h.gql(RegisterCredentialDocument, { input: registerInput("queue-shop") });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.sim.clearFaults();
  h.sim.setLatency(0);
  h.services.tracking.clearMemory();
});

describe("the call queue", () => {
  it("codes arriving while the only call slot is busy go out together in the next call", async () => {
    h.sim.setLatency(300);
    const first = h.gql(TrackShipmentDocument, { code: fresh() }, { token: null });
    await sleep(60);
    // Six requests, 25 ms apart: each alone in its merge window, all while the first call is in flight.
    const later: Array<Promise<unknown>> = [];
    for (let i = 0; i < 6; i++) {
      later.push(h.gql(TrackShipmentDocument, { code: fresh() }, { token: null }));
      await sleep(25);
    }
    const results = (await Promise.all([first, ...later])) as Array<{ errors?: unknown }>;
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(callSizes()).toEqual([1, 6]);
  });

  it("a queue longer than the per-call limit leaves in full calls", async () => {
    h.sim.setLatency(200);
    const first = h.gql(TrackShipmentDocument, { code: fresh() }, { token: null });
    await sleep(50);
    const many = Array.from({ length: 120 }, () => h.gql(TrackShipmentDocument, { code: fresh() }, { token: null }));
    await Promise.all([first, ...many]);
    expect(callSizes()).toEqual([1, 50, 50, 20]);
  });
});

describe("cache lifetime by status", () => {
  it("a delivered parcel is served from the cache while a moving one is asked again", async () => {
    const delivered = codeForScenario("DELIVERED", 401);
    const moving = codeForScenario("IN_TRANSIT", 402);
    await h.gql(ShipmentStatusesDocument, { codes: [delivered, moving] }, { token: null });
    expect(callSizes()).toEqual([2]);
    h.sim.reset();
    h.services.tracking.clearMemory();
    const again = await h.gql(ShipmentStatusesDocument, { codes: [delivered, moving] }, { token: null });
    expect(again.data!.shipments.map((s) => s!.status)).toEqual(["DELIVERED", "IN_TRANSIT"]);
    expect(h.sim.requests().find((r) => r.endpoint === "tracking")!.query.codigosObjetos).toEqual(moving);
  });
});

describe("what is never hidden", () => {
  it("a refused call (403) is an error even when a last known answer exists", async () => {
    const moving = codeForScenario("IN_TRANSIT", 403);
    const first = await h.gql(TrackShipmentDocument, { code: moving }, { token: null });
    expect(first.data!.shipment!.stale).toBe(false);
    h.sim.addFault({ endpoint: "tracking", kind: "status", status: 403, body: { msgs: ["Acesso restrito."] } });
    const res = await h.gql(TrackShipmentDocument, { code: moving }, { token: null });
    expect(res.data!.shipment).toBeNull();
    expect(res.errors![0]!.extensions!.code).toBe("API_NOT_ENABLED");
  });

  it("a code Correios calls invalid (SRO-019) fails alone with BAD_USER_INPUT and is not cached", async () => {
    const bad = invalidObjectCode(7);
    const good = codeForScenario("DELIVERED", 404); // cached for an hour here
    const res = await h.gql(ShipmentStatusesDocument, { codes: [bad, good] }, { token: null });
    expect(res.data!.shipments[0]).toBeNull();
    expect(res.data!.shipments[1]!.code).toBe(good);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ["shipments", 0], extensions: { code: "BAD_USER_INPUT", trackingCode: bad } });
    expect(res.errors![0]!.message).toMatch(/SRO-019/);
    h.sim.reset();
    await h.gql(ShipmentStatusesDocument, { codes: [bad, good] }, { token: null });
    expect(h.sim.requests().filter((r) => r.endpoint === "tracking").map((r) => r.query.codigosObjetos)).toEqual([bad]);
  });

  it("an unreadable cache costs an upstream call, not the answers", async () => {
    const cache = h.services.store.ns("tracking");
    const original = cache.getMany.bind(cache);
    cache.getMany = (() => Promise.reject(new Error("disk I/O error"))) as typeof cache.getMany;
    try {
      const codes = [fresh(), fresh()];
      const res = await h.gql(ShipmentStatusesDocument, { codes }, { token: null });
      expect(res.errors).toBeUndefined();
      expect(res.data!.shipments.map((s) => s!.code)).toEqual(codes);
      expect(h.logs.some((l) => l.includes("tracking cache read failed"))).toBe(true);
    } finally {
      cache.getMany = original;
    }
  });
});
