// GraphQL and HTTP limits, health probes and the router guard: each refusal is a clear error, never a crash.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { RegisterCredentialDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";

const codes = (n: number) => Array.from({ length: n }, (_, i) => buildTrackingCode("AA", 40_000 + i));

describe("operation limits", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { MAX_QUERY_DEPTH: "4", MAX_QUERY_COST: "400", MAX_BODY_BYTES: "65536", DEFAULT_CLIENT_ID: "shop" } });
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop") });
    h.sim.reset();
  });
  afterAll(() => h.close());

  it("refuses a query deeper than the maximum, fragments included", async () => {
    const ok = await h.gql("query { shipments(codes: []) { ...F } } fragment F on Shipment { events { location { city } } }");
    expect(ok.errors).toBeUndefined();
    const res = await h.gql("query { ...Q } fragment Q on Query { __schema { types { fields { type { name } } } } }");
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe("QUERY_TOO_DEEP");
  });

  it("limits introspection depth too", async () => {
    const res = await h.gql("{ __schema { types { fields { type { ofType { name } } } } } }");
    expect(res.errors![0]!.extensions!.code).toBe("QUERY_TOO_DEEP");
  });

  it("refuses a query whose cost grows with its list argument, before any upstream call", async () => {
    const res = await h.gql("query($c:[String!]!){ shipments(codes:$c){ code status events { code time } } }", { c: codes(100) });
    expect(res.errors![0]!.extensions!.code).toBe("QUERY_TOO_COSTLY");
    expect(h.sim.counts().total).toBe(0);
    const ok = await h.gql("query($c:[String!]!){ shipments(codes:$c){ code status } }", { c: codes(100) });
    expect(ok.errors).toBeUndefined();
  });

  it("refuses a body over the size limit with 413", async () => {
    const res = await fetch(h.server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(70_000) } }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("refuses invalid JSON with 400", async () => {
    const res = await fetch(h.server.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(res.status).toBe(400);
  });

  it("blocks simple GET requests that could be CSRF", async () => {
    const res = await fetch(`${h.server.url}?query=${encodeURIComponent("{ __typename }")}`);
    expect(res.status).toBe(400);
    const ok = await fetch(`${h.server.url}?query=${encodeURIComponent("{ __typename }")}`, { headers: { "apollo-require-preflight": "1" } });
    expect(ok.status).toBe(200);
  });

  it("answers liveness and readiness without calling Correios", async () => {
    h.sim.reset();
    const live = await fetch(h.server.url.replace("/graphql", "/.well-known/apollo/server-health"));
    expect(live.status).toBe(200);
    const ready = await fetch(h.server.url.replace("/graphql", "/health/ready"));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "pass", store: { kind: "sqlite", ok: true }, upstream: { tracking: "closed", token: "closed" } });
    expect(h.sim.counts().total).toBe(0);
  });

  it("readiness counts what batching did: codes asked, codes sent, calls made", async () => {
    type Counters = { tracking: { requested: number; sent: number; calls: number }; upstreamCalls: { tracking: number } };
    const counters = async () => ((await (await fetch(h.server.url.replace("/graphql", "/health/ready"))).json()) as { counters: Counters }).counters;
    const before = await counters();
    // Ten new codes, one of them asked twice (the request's DataLoader drops the repeat): 10 asked, 10 sent, one call.
    const asked = [...Array.from({ length: 10 }, (_, i) => buildTrackingCode("AB", 41_000 + i)), buildTrackingCode("AB", 41_000)];
    await h.gql(`{ shipments(codes: ${JSON.stringify(asked)}) { code } }`);
    const after = await counters();
    expect({
      requested: after.tracking.requested - before.tracking.requested,
      sent: after.tracking.sent - before.tracking.sent,
      calls: after.tracking.calls - before.tracking.calls,
      upstream: after.upstreamCalls.tracking - before.upstreamCalls.tracking,
    }).toEqual({ requested: 10, sent: 10, calls: 1, upstream: 1 });
  });

  it("readiness fails (503) while the store cannot answer, and passes again when it can", async () => {
    const store = h.services.store;
    const ping = store.ping.bind(store);
    store.ping = () => Promise.reject(new Error("SQLITE_CANTOPEN"));
    try {
      const down = await fetch(h.server.url.replace("/graphql", "/health/ready"));
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: "fail", store: { ok: false } });
      const live = await fetch(h.server.url.replace("/graphql", "/health/live"));
      expect(live.status).toBe(200); // alive, just not ready: the orchestrator stops routing, it does not restart
    } finally {
      store.ping = ping;
    }
    expect((await fetch(h.server.url.replace("/graphql", "/health/ready"))).status).toBe(200);
  });
});

describe("production mode", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { NODE_ENV: "production" } });
  });
  afterAll(() => h.close());

  it("has introspection off", async () => {
    const res = await h.gql("{ __schema { queryType { name } } }");
    expect(res.errors![0]!.extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("sends no stack traces", async () => {
    const res = await h.gql("{ shipment(code: \"nope\") { code } }", undefined, { token: null });
    expect(res.errors![0]!.extensions!.code).toBeTruthy();
    expect(JSON.stringify(res)).not.toContain("stacktrace");
  });
});

describe("per-client rate limit", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: "5" } });
  });
  afterAll(() => h.close());

  it("refuses the request over the limit with 429 and Retry-After, per client", async () => {
    const a = await h.clientToken("rate-a");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await h.gql("{ __typename }", undefined, { token: a })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const last = await h.gql("{ __typename }", undefined, { token: a });
    expect(last.errors![0]!.extensions!.code).toBe("RATE_LIMITED");
    const b = await h.gql("{ __typename }", undefined, { token: await h.clientToken("rate-b") });
    expect(b.status).toBe(200);
  });
});

describe("behind a router", () => {
  let h: Harness;
  const secret = "router-secret-for-tests-0001";
  beforeAll(async () => {
    h = await startHarness({ env: { ROUTER_SECRET: secret } });
    await h.gql(RegisterCredentialDocument, { input: registerInput("routed") }, { headers: { "router-authorization": secret } });
  });
  afterAll(() => h.close());

  it("refuses a request without the router secret with 401", async () => {
    const res = await h.gql("{ __typename }", undefined, { token: null });
    expect(res.status).toBe(401);
    expect(res.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });

  it("trusts x-client-id from the router", async () => {
    const res = await h.gql("{ shipment(code: \"AA000000005BR\") { status } }", undefined, {
      token: null,
      headers: { "router-authorization": secret, "x-client-id": "routed" },
    });
    expect(res.data).toEqual({ shipment: { status: "DELIVERED" } });
  });
});
