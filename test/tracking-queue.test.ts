// The tracking call queue: codes that arrive while every call slot is busy leave together in the next free call;
// the cache keeps each answer as long as its status allows; a broken cache read or a refused call is never hidden.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { codeForScenario } from "../simulator/index.js";
import { invalidObjectCode } from "../simulator/tracking-histories.js";
import { RegisterCredentialDocument, ShipmentStatusesDocument, TrackShipmentDocument } from "./generated/graphql.js";
import { startHarness, trackingCallSizes, type Harness } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";

let h: Harness;
let serial = 400_000;
const fresh = () => buildTrackingCode("AA", serial++);
const callSizes = () => trackingCallSizes(h.sim);
const track = (code: string) => h.gql(TrackShipmentDocument, { code }, { token: null });

/** Codes asked of the tracking service so far (readiness counters); a code is queued once it is counted. */
async function requested(): Promise<number> {
  const res = await fetch(h.server.url.replace("/graphql", "/health/ready"));
  return ((await res.json()) as { counters: { tracking: { requested: number } } }).counters.tracking.requested;
}

/** Waits until `n` more codes than `base` have reached the service (and so wait in its queue). */
const queued = (base: number, n: number) => vi.waitFor(async () => expect(await requested()).toBeGreaterThanOrEqual(base + n), { timeout: 10_000, interval: 10 });

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
  h.services.tracking.clearMemory();
});

describe("the call queue", () => {
  // The first call is held at the simulator's gate, so the only call slot stays busy until the test opens it.
  it("codes arriving while the only call slot is busy go out together in the next call", async () => {
    const base = await requested();
    h.sim.closeGate("tracking");
    const first = track(fresh());
    await h.sim.whenHeld("tracking", 1);
    // Six requests, one after another (each sent once the previous one is queued), all while the first call is held.
    const later: Array<Promise<unknown>> = [];
    for (let i = 0; i < 6; i++) {
      later.push(track(fresh()));
      await queued(base, 2 + i);
    }
    expect(h.sim.counts().tracking).toBe(1);
    h.sim.openGate("tracking");
    const results = (await Promise.all([first, ...later])) as Array<{ errors?: unknown }>;
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(callSizes()).toEqual([1, 6]);
  });

  it("a queue longer than the per-call limit leaves in full calls", async () => {
    const base = await requested();
    h.sim.closeGate("tracking");
    const first = track(fresh());
    await h.sim.whenHeld("tracking", 1);
    const many = Array.from({ length: 120 }, () => track(fresh()));
    await queued(base, 121);
    h.sim.openGate("tracking");
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
