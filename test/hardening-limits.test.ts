// Operation limits that hold against hostile documents: fragment fan-out, oversized documents, quote fan-out and
// `_entities` lists. Every refusal comes before any upstream call.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { startSimulator, type Simulator } from "../simulator/index.js";
import { RegisterCredentialDocument } from "./generated/graphql.js";
import { registerInput } from "./helpers/fixtures.js";
import { AUTH_SECRET, CREDENTIALS_KEY, startHarness, type Harness } from "./helpers/harness.js";
import { startSubgraphProcess, type SubgraphProcess } from "./helpers/process.js";

type Answer = { errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; data?: unknown };

/** F0 selects two fields; every Fi spreads F(i-1) twice, so F(levels-1) expands to 2^levels selections. */
function fanOut(levels: number): string {
  let q = `{ shipment(code: "AA000000005BR") { ...F${levels - 1} } }\nfragment F0 on Shipment { code status }`;
  for (let i = 1; i < levels; i++) q += `\nfragment F${i} on Shipment { ...F${i - 1} ...F${i - 1} }`;
  return q;
}

describe("fragment fan-out, in its own process", () => {
  let sim: Simulator;
  let sub: SubgraphProcess;
  let dataDir: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, tokenRatePerSecond: 0 });
    dataDir = mkdtempSync(join(tmpdir(), "correios-fanout-"));
    sub = await startSubgraphProcess({ CORREIOS_BASE_URL: sim.url, DATA_DIR: dataDir, AUTH_SECRET, CREDENTIALS_KEY, RATE_LIMIT_PER_MINUTE: "0" });
  }, 60_000);
  afterAll(async () => {
    await sub?.kill("SIGKILL"); // a regression would leave it spinning, deaf to SIGTERM
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses 30 levels of doubling fragments, and /health/live keeps answering meanwhile", async () => {
    // Sent with no token, as an attacker would. The old depth walk took minutes on this, with the event loop blocked:
    // the liveness probe sent right behind it then got no answer at all. The bounds below are that generous.
    const attack = fetch(sub.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: fanOut(30) }),
      signal: AbortSignal.timeout(30_000),
    });
    const live = await fetch(sub.url.replace("/graphql", "/health/live"), { signal: AbortSignal.timeout(10_000) });
    expect(live.status).toBe(200);
    const res = await attack;
    expect(res.status).toBe(400);
    const body = (await res.json()) as Answer;
    expect(body.errors![0]!.extensions!.code).toBe("QUERY_TOO_COSTLY");
    expect(sim.counts().total).toBe(0);
  }, 60_000);
});

describe("document and quote limits", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { DEFAULT_CLIENT_ID: "shop-limits", MAX_QUOTES_PER_REQUEST: "5" } });
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-limits") });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sim.reset());

  it("refuses a document of more tokens than MAX_QUERY_TOKENS at parse time", async () => {
    // 16,000 fields cost 16,000 (under MAX_QUERY_COST): only the token limit refuses it, before validation runs.
    const res = await h.gql(`{ ${Array(16_000).fill("__typename").join(" ")} }`, undefined, { token: null });
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(res.errors![0]!.message).toMatch(/15000 tokens/);
  });

  it("counts a fragment spread as many times as it is spread (depth and cost stay exact)", async () => {
    // 2^15 × 2 fields under F14, plus shipment: over 20,000. graphql-query-complexity gave up on it (too many nodes)
    // and the error was taken for a variable that does not coerce, so it ran.
    const res = await h.gql(fanOut(15), undefined, { token: null });
    expect(res.errors![0]!.extensions).toMatchObject({ code: "QUERY_TOO_COSTLY", cost: 2 ** 15 + 1 });
    expect(h.sim.counts().total).toBe(0);
  });

  it("refuses more quotes than MAX_QUOTES_PER_REQUEST before any upstream call, fragments and default services counted", async () => {
    const input = (w: number, services?: string[]) =>
      `{ originCep: "01310-100", destinationCep: "13010111", package: { format: BOX, weightGrams: ${w}, lengthCm: 20, widthCm: 15, heightCm: 10 }${
        services ? `, services: ${JSON.stringify(services)}` : ""
      } }`;
    // 2 default services + 2 named + (2 default, spread twice) = 8 quotes over a cap of 5.
    const res = await h.gql(
      `{ a: quotes(input: ${input(301)}) { price { cents } } b: quotes(input: ${input(302, ["03220", "03298"])}) { price { cents } } ...Q ...Q }
       fragment Q on Query { c: quotes(input: ${input(303)}) { price { cents } } }`,
    );
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions).toMatchObject({ code: "TOO_MANY_QUOTES", quotes: 8, maxQuotes: 5 });
    expect(h.sim.counts().total).toBe(0);

    // Under the cap, the same kind of request is answered.
    const ok = await h.gql(`{ a: quotes(input: ${input(304)}) { price { cents } } b: quotes(input: ${input(305, ["03220", "03298", "03140"])}) { price { cents } } }`);
    expect(ok.errors).toBeUndefined();
  });

  it("counts _entities representations in the cost: 10,000 of them are refused before any upstream call", async () => {
    const representations = Array.from({ length: 10_000 }, (_, i) => ({ __typename: "Shipment", code: buildTrackingCode("AA", 50_000 + i) }));
    const res = await h.gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { code status } } }`, { r: representations });
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions).toMatchObject({ code: "QUERY_TOO_COSTLY", cost: 30_000 });
    expect(h.sim.counts().total).toBe(0);
  });

  it("an _entities representation of an unknown __typename is BAD_USER_INPUT naming it, not an internal error", async () => {
    for (const odd of [{ __typename: "Parcel", code: "AA000000005BR" }, { __typename: "Credential", clientId: "x" }, { code: "AA000000005BR" }, "AA000000005BR"]) {
      const r = [{ __typename: "Shipment", code: buildTrackingCode("AA", 60_001) }, odd];
      const res = await h.gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { code } } }`, { r });
      expect(res.status).toBe(400);
      expect(res.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "representations[1].__typename" });
    }
    expect(h.sim.counts().total).toBe(0);
  });
});
