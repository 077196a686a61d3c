// Tracking's upstream budget: with a last known answer, a request waits for Correios at most
// TRACKING_UPSTREAM_BUDGET_MS and gets that answer flagged stale; the call goes on and refreshes the cache. Without one,
// the request waits for Correios. Events are ordered with the simulator's gate (held → released), never by sleeping.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { codeForScenario } from "../simulator/index.js";
import { RegisterCredentialDocument, TrackShipmentDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";

const TENANT = "budget-shop";
let h: Harness;
let serial = 600;

beforeAll(async () => {
  h = await startHarness({
    env: {
      DEFAULT_CLIENT_ID: TENANT,
      // A moving parcel's answer is stale at once, so the next request asks Correios again.
      TRACKING_TTL_ACTIVE_SECONDS: "0",
      TRACKING_UPSTREAM_BUDGET_MS: "100",
      // Far past the budget: a held call is still in flight when the stale answer is served.
      UPSTREAM_TIMEOUT_MS: "60000",
    },
  });
  await h.gql(RegisterCredentialDocument, { input: registerInput(TENANT) });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
});

const track = (code: string) => h.gql(TrackShipmentDocument, { code }, { token: null });

/** The fetch time of the cached answer, read from the store the service writes. */
async function cachedAt(code: string): Promise<number | undefined> {
  const entry = (await h.services.store.ns("tracking").get(`${TENANT}:${code}`)) as { fetchedAt: number } | undefined;
  return entry?.fetchedAt;
}

/** Asks once so a last known answer is cached, and returns its fetch time. */
async function known(code: string): Promise<number> {
  const res = await track(code);
  expect(res.data!.shipment).toMatchObject({ code, stale: false });
  return Date.parse(res.data!.shipment!.fetchedAt as string);
}

describe("tracking upstream budget", () => {
  it("Correios hanging: the last known answer is served stale at the budget; the held call later refreshes the cache", async () => {
    const code = codeForScenario("IN_TRANSIT", serial++);
    const cold = codeForScenario("IN_TRANSIT", serial++);
    const firstAt = await known(code);
    h.sim.reset();
    h.sim.closeGate("tracking");

    // A code never answered before has nothing to fall back on: it waits for Correios.
    let coldAnswered = false;
    const coldRes = track(cold).then((r) => ((coldAnswered = true), r));
    await h.sim.whenHeld("tracking", 1);

    const pending = track(code);
    await h.sim.whenHeld("tracking", 2);
    const res = await pending;
    expect(res.errors).toBeUndefined();
    expect(res.data!.shipment).toMatchObject({ code, stale: true });
    expect(Date.parse(res.data!.shipment!.fetchedAt as string)).toBe(firstAt);
    // Served while both calls are still held at the simulator, the cold request still waiting.
    expect(h.sim.gateStatus("tracking").held).toBe(2);
    expect(coldAnswered).toBe(false);

    h.sim.openGate("tracking");
    expect((await coldRes).data!.shipment).toMatchObject({ code: cold, stale: false });
    // The call the stale answer did not wait for ends in the background and refreshes the cache.
    await vi.waitFor(async () => expect(await cachedAt(code)).toBeGreaterThan(firstAt), { timeout: 5000, interval: 20 });
    const refreshedAt = (await cachedAt(code))!;
    expect(h.sim.counts().tracking).toBe(2);

    // The refreshed answer is the last known one from now on.
    h.sim.closeGate("tracking");
    const later = await track(code);
    expect(later.data!.shipment).toMatchObject({ code, stale: true });
    expect(Date.parse(later.data!.shipment!.fetchedAt as string)).toBe(refreshedAt);
  });

  it("a 429 with Retry-After: the stale answer does not wait for the retry, which refreshes the cache", async () => {
    const code = codeForScenario("IN_TRANSIT", serial++);
    const firstAt = await known(code);
    h.sim.reset();
    h.sim.addFault({ endpoint: "tracking", kind: "rate-limit", retryAfterSeconds: 1, times: 1 });
    h.sim.closeGate("tracking");
    const res = track(code);
    await h.sim.whenHeld("tracking", 1);
    // The first attempt gets the 429; the retry, a second later, is held at the gate until released.
    h.sim.releaseGate("tracking");
    const answer = await res;
    expect(answer.data!.shipment).toMatchObject({ code, stale: true });
    expect(Date.parse(answer.data!.shipment!.fetchedAt as string)).toBe(firstAt);

    await h.sim.whenHeld("tracking", 1);
    expect(h.sim.requests().filter((r) => r.endpoint === "tracking").map((r) => r.status)).toEqual([429, 0]);
    h.sim.openGate("tracking");
    await vi.waitFor(async () => expect(await cachedAt(code)).toBeGreaterThan(firstAt), { timeout: 5000, interval: 20 });
  });
});
