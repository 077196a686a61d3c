// Correos (Spain) tracking over real HTTP: Spanish codes through the Shipment entity, against the simulator's
// trackpub endpoint (gateway pair + TPB-scoped token), beside Brazilian codes in one list.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { RegisterCorreosEsCredentialDocument, RegisterCredentialDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { correosEsInput, registerInput } from "./helpers/fixtures.js";

const TOKEN_PATH = "/Api/Authorize/Token";
const API_PAIR = { apiClientId: "correos-demo-api", apiClientSecret: "correos-demo-api-secret" };
const NATIONAL = "PKA6TP9800095100123700D";
const S10_ES = buildTrackingCode("RR", 12345678, "ES");
const S10_BR = buildTrackingCode("AA", 12345678, "BR");
const UNKNOWN_ES = buildTrackingCode("AA", 0, "ES");

const TRACK = `query($codes: [String!]!) { shipments(codes: $codes) { code carrier status message events { code status description detail time } } }`;

let h: Harness;
let shop: string;
let noScope: string;
beforeAll(async () => {
  h = await startHarness({
    env: (simUrl) => ({
      CORREOS_ES_TOKEN_URL: `${simUrl}${TOKEN_PATH}`,
      CORREOS_ES_PRE_TOKEN_URL: `${simUrl}${TOKEN_PATH}`,
      CORREOS_ES_API_URL: simUrl,
      CORREOS_ES_PRE_API_URL: simUrl,
      CORREOS_ES_RENEW_MARGIN_SECONDS: "1",
    }),
  });
  await h.gql(RegisterCredentialDocument, { input: registerInput("es-shop") });
  const reg = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-shop", { scopes: ["AP3", "TPB"], ...API_PAIR }) });
  expect(reg.data!.registerCorreosEsCredential.userErrors).toEqual([]);
  const without = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-noscope", API_PAIR) });
  // Verifying a credential whose scopes lack TPB warns that tracking will not work.
  expect(without.data!.registerCorreosEsCredential.warnings.map((w) => w.code)).toContain("TRACKING_SCOPE_MISSING");
  expect(reg.data!.registerCorreosEsCredential.warnings.map((w) => w.code)).not.toContain("TRACKING_SCOPE_MISSING");
  shop = await h.clientToken("es-shop");
  noScope = await h.clientToken("es-noscope");
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.services.tracking.clearMemory();
});

type Row = { code: string; carrier: string; status: string; message: string | null; events: Array<{ code: string; status: string; description: string; detail: string | null; time: string }> };
async function track(codes: string[], token = shop) {
  const res = await h.gql<{ shipments: Array<Row | null> }>(TRACK, { codes }, { token });
  return res;
}
const esCalls = () => h.sim.requests().filter((r) => r.endpoint === "correosEsTracking");

describe("Spanish tracking", () => {
  it("tracks a Spanish S10 code and a 23-character national code end to end (both answer shapes)", async () => {
    const res = await track([S10_ES, NATIONAL]);
    expect(res.errors).toBeUndefined();
    const [s10, national] = res.data!.shipments as Row[];
    for (const s of [s10!, national!]) {
      expect(s.carrier).toBe("CORREOS_ES");
      expect(s.events.length).toBeGreaterThanOrEqual(2);
      expect(s.events.at(-1)).toMatchObject({ code: "A090000V", status: "POSTED", description: "Prerregistrado", time: "2026-07-06T09:15:00+02:00" });
    }
    expect(s10!.code).toBe(S10_ES);
    expect(national!.code).toBe(NATIONAL);
    // One code per call by default; the national PK code got the single-object shape.
    expect(esCalls().map((r) => r.path)).toEqual([`/support/trackpub/api/v2/search/${S10_ES}`, `/support/trackpub/api/v2/search/${NATIONAL}`]);
  });

  it("an unknown code is NOT_FOUND with Correos' message", async () => {
    const res = await track([UNKNOWN_ES]);
    expect(res.data!.shipments[0]).toMatchObject({ status: "NOT_FOUND", message: "Envío no encontrado", carrier: "CORREOS_ES" });
  });

  it("a mixed list resolves both carriers, each with its own calls", async () => {
    const ok = await track([S10_BR, buildTrackingCode("RR", 66666666, "ES")]);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.shipments.map((s) => s!.carrier)).toEqual(["CORREIOS_BR", "CORREOS_ES"]);
    expect(h.sim.counts()).toMatchObject({ tracking: 1, correosEsTracking: 1 });

  });

  it("a credential without TPB gets SCOPE_NOT_GRANTED naming tracking, before any trackpub call", async () => {
    const res = await track([S10_ES], noScope);
    expect(res.errors?.[0]?.extensions?.code).toBe("SCOPE_NOT_GRANTED");
    expect(res.errors?.[0]?.message).toMatch(/tracking needs a token with scope TPB/);
    expect(esCalls()).toHaveLength(0);
  });

  it("a token trackpub rejects is dropped, fetched again once and the call retried", async () => {
    // Warm the token, then make trackpub refuse it once.
    await track([buildTrackingCode("RR", 33333333, "ES")]);
    h.sim.reset();
    h.sim.addFault({ endpoint: "correosEsTracking", kind: "status", status: 401, times: 1 });
    const res = await track([buildTrackingCode("RR", 44444444, "ES")]);
    expect(res.errors).toBeUndefined();
    expect(h.sim.counts()).toMatchObject({ correosEsTracking: 2, correosEsToken: 1 });
  });

  it("puts no token or secret in a URL or a log line", async () => {
    await track([buildTrackingCode("RR", 55555555, "ES")]);
    const bearer = await h.services.correosEsCredentials.withToken("es-shop", ["TPB"], async ({ headers }) => headers.authorization!.replace(/^Bearer /, ""));
    expect(bearer.length).toBeGreaterThan(20);
    for (const line of h.logs) {
      expect(line).not.toContain(bearer);
      expect(line).not.toContain(API_PAIR.apiClientSecret);
    }
    expect(esCalls().every((r) => !r.path.includes(bearer) && !r.path.includes(API_PAIR.apiClientSecret))).toBe(true);
  });

  // Last: the outage may open the trackpub circuit for the rest of the file.
  it("a Spanish outage fails only the Spanish items of a mixed list", async () => {
    h.sim.addFault({ endpoint: "correosEsTracking", kind: "status", status: 503 });
    const other = buildTrackingCode("RR", 22222222, "ES");
    const down = await track([buildTrackingCode("AA", 22222222, "BR"), other]);
    expect(down.data!.shipments[0]).toMatchObject({ carrier: "CORREIOS_BR" });
    expect(down.data!.shipments[1]).toBeNull();
    expect(down.errors?.[0]?.path).toEqual(["shipments", 1]);
  });
});
