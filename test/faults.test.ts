// Correios faults through the simulator's switches: the subgraph stays up, answers within its budget, keeps
// neighbours in a batch apart, and types every error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { startSimulator } from "../simulator/index.js";
import { RegisterCredentialDocument, ShipmentStatusesDocument, TrackShipmentDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";

const TIMEOUT_MS = 400;
let h: Harness;
let serial = 50_000;
const fresh = (n = 1) => Array.from({ length: n }, () => buildTrackingCode("AA", serial++));

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t };
}

async function alive(): Promise<void> {
  const res = await fetch(h.server.url.replace("/graphql", "/health/live"));
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  h = await startHarness({
    env: {
      DEFAULT_CLIENT_ID: "shop",
      UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
      UPSTREAM_RETRIES: "2",
      UPSTREAM_RETRY_BASE_MS: "10",
      UPSTREAM_RETRY_MAX_DELAY_MS: "200",
      BREAKER_FAILURES: "1000",
      BREAKER_HALF_OPEN_AFTER_MS: "300",
      UPSTREAM_MAX_BODY_BYTES: String(1024 * 1024),
      // Below the timeout: a code without a last known answer still waits for the timeout and gets the typed error.
      TRACKING_UPSTREAM_BUDGET_MS: "50",
    },
  });
  await h.gql(RegisterCredentialDocument, { input: registerInput("shop") });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.clearFaults();
  h.sim.reset();
});

describe("tracking faults", () => {
  it.each([
    ["HTTP 500", { kind: "status", status: 500 }, "UPSTREAM_UNAVAILABLE", 3],
    ["a storm of 429s", { kind: "rate-limit" }, "UPSTREAM_RATE_LIMITED", 3],
    ["429 with a Retry-After longer than the budget", { kind: "rate-limit", retryAfterSeconds: 60 }, "UPSTREAM_RATE_LIMITED", 1],
    ["malformed JSON", { kind: "malformed" }, "UPSTREAM_UNAVAILABLE", 3],
    ["truncated JSON", { kind: "truncated" }, "UPSTREAM_UNAVAILABLE", 3],
    ["a huge body", { kind: "huge" }, "UPSTREAM_UNAVAILABLE", 3],
    ["a reset connection", { kind: "reset" }, "UPSTREAM_UNAVAILABLE", 3],
    ["a hang past the timeout", { kind: "hang" }, "UPSTREAM_TIMEOUT", 1],
  ] as const)("%s → typed error %s, subgraph stays up", async (_name, fault, code, attempts) => {
    h.sim.addFault({ endpoint: "tracking", ...fault } as never);
    const { value: res, ms } = await timed(() => h.gql(TrackShipmentDocument, { code: fresh()[0]! }, { token: null }));
    expect(res.status).toBe(200);
    expect(res.data!.shipment).toBeNull();
    expect(res.errors![0]!.extensions!.code).toBe(code);
    expect(h.sim.counts().tracking).toBe(attempts);
    // Budget: one timeout plus retry backoff, never an unbounded wait.
    expect(ms).toBeLessThan(TIMEOUT_MS * 3 + 1000);
    await alive();
  });

  it("a failing chunk never fails the codes of the other chunk", async () => {
    const list = fresh(60);
    // 400 is not retried: exactly one of the two chunk calls fails.
    h.sim.addFault({ endpoint: "tracking", kind: "status", status: 400, body: { msgs: ["SRO-099: erro"] }, times: 1 });
    const res = await h.gql(ShipmentStatusesDocument, { codes: list }, { token: null });
    const failed = res.data!.shipments.filter((s) => s === null).length;
    expect([10, 50]).toContain(failed);
    expect(res.errors).toHaveLength(failed);
    for (const e of res.errors!) expect(e.extensions!.code).toBe("UPSTREAM_REJECTED");
    expect(res.data!.shipments.filter(Boolean)).toHaveLength(60 - failed);
  });

  it("a 401 in the middle of a batch after the access code was regenerated elsewhere: typed, and the credential INVALID", async () => {
    const list = fresh(120);
    await h.gql(ShipmentStatusesDocument, { codes: list.slice(0, 50) }, { token: null });
    h.sim.regenerateAccessCode(DEMO.login);
    try {
      const res = await h.gql(ShipmentStatusesDocument, { codes: list }, { token: null });
      const ok = res.data!.shipments.filter(Boolean);
      expect(ok).toHaveLength(50); // the cached neighbours still answer
      expect(res.errors).toHaveLength(70);
      for (const e of res.errors!) expect(e.extensions!.code).toBe("CREDENTIAL_REJECTED");
      const c = await h.gql("{ credential(clientId: \"shop\") { status } }");
      expect(c.data).toEqual({ credential: { status: "INVALID" } });
    } finally {
      h.sim.addAccount({ ...DEMO });
      await h.gql(RegisterCredentialDocument, { input: registerInput("shop") });
    }
  });
});

describe("the simulator killed and restarted", () => {
  it("gives UPSTREAM_UNAVAILABLE while it is down, and recovers with a new token after it is back", async () => {
    const port = Number(new URL(h.sim.url).port);
    await h.gql(TrackShipmentDocument, { code: fresh()[0]! }, { token: null });
    await h.sim.close();
    const down = await h.gql(TrackShipmentDocument, { code: fresh()[0]! }, { token: null });
    expect(down.errors![0]!.extensions!.code).toBe("UPSTREAM_UNAVAILABLE");
    await alive();
    // The new simulator knows none of the old tokens: the first call gets 401, the token is refreshed once.
    h.sim = await startSimulator({ port, tokenRatePerSecond: 0 });
    const back = await h.gql(TrackShipmentDocument, { code: fresh()[0]! }, { token: null });
    expect(back.errors).toBeUndefined();
    expect(h.sim.counts().token).toBe(1);
  });
});

describe("circuit breaker", () => {
  let b: Harness;
  beforeAll(async () => {
    // Long enough that the breaker is still open when checked on a loaded machine; the test waits it out once.
    b = await startHarness({ env: { DEFAULT_CLIENT_ID: "shop", UPSTREAM_RETRIES: "1", UPSTREAM_RETRY_BASE_MS: "10", BREAKER_FAILURES: "4", BREAKER_HALF_OPEN_AFTER_MS: "1000" } });
    await b.gql(RegisterCredentialDocument, { input: registerInput("shop") });
    b.sim.reset();
  });
  afterAll(() => b.close());

  it("opens the breaker after repeated failures: later calls fail fast without reaching Correios", async () => {
    b.sim.addFault({ endpoint: "tracking", kind: "status", status: 502 });
    for (let i = 0; i < 2; i++) await b.gql(TrackShipmentDocument, { code: fresh()[0]! }, { token: null });
    const ready = (await (await fetch(b.server.url.replace("/graphql", "/health/ready"))).json()) as { upstream: { tracking: string } };
    expect(ready.upstream.tracking).toBe("open");
    b.sim.reset();
    const res = await b.gql(TrackShipmentDocument, { code: fresh()[0]! }, { token: null });
    expect(res.errors![0]!.extensions).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", upstream: { circuitOpen: true } });
    expect(b.sim.counts().tracking).toBe(0);
    b.sim.clearFaults();
    await new Promise((r) => setTimeout(r, 1050));
    const again = await b.gql(TrackShipmentDocument, { code: fresh()[0]! }, { token: null });
    expect(again.errors).toBeUndefined();
  });
});

describe("circuit breaker and 429s", () => {
  let r: Harness;
  beforeAll(async () => {
    // No trial call during the test: the breaker, once open, stays open.
    r = await startHarness({ env: { DEFAULT_CLIENT_ID: "shop", UPSTREAM_RETRIES: "1", UPSTREAM_RETRY_BASE_MS: "10", BREAKER_FAILURES: "4", BREAKER_HALF_OPEN_AFTER_MS: "600000" } });
    await r.gql(RegisterCredentialDocument, { input: registerInput("shop") });
  });
  afterAll(() => r.close());

  it("repeated 429s open the breaker: the next call fails fast without reaching Correios", async () => {
    r.sim.reset();
    r.sim.addFault({ endpoint: "tracking", kind: "rate-limit" });
    // Two requests of two attempts each: four consecutive 429s.
    for (let i = 0; i < 2; i++) {
      const res = await r.gql(TrackShipmentDocument, { code: fresh()[0]! }, { token: null });
      expect(res.errors![0]!.extensions!.code).toBe("UPSTREAM_RATE_LIMITED");
    }
    expect(r.sim.counts().tracking).toBe(4);
    const ready = (await (await fetch(r.server.url.replace("/graphql", "/health/ready"))).json()) as { upstream: { tracking: string } };
    expect(ready.upstream.tracking).toBe("open");
    r.sim.reset();
    const res = await r.gql(TrackShipmentDocument, { code: fresh()[0]! }, { token: null });
    expect(res.errors![0]!.extensions).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", upstream: { circuitOpen: true } });
    expect(r.sim.counts().tracking).toBe(0);
  });
});
