import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GetCredentialDocument, ListCredentialsDocument, RegisterCredentialDocument, RemoveCredentialDocument, VerifyCredentialDocument } from "./generated/graphql.js";
import { tokenKey } from "../src/services/credentials.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { DEMO, NO_API, NO_PRICE, registerInput } from "./helpers/fixtures.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
});

describe("registerCredential", () => {
  it("registers, verifies with a fresh token and stores the canonical card (given without 00)", async () => {
    const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-happy", DEMO, { postingCard: "76770702" }) });
    expect(res.errors).toBeUndefined();
    const p = res.data!.registerCredential;
    expect(p.userErrors).toEqual([]);
    expect(p.credential).toMatchObject({
      clientId: "shop-happy",
      apiLogin: "loja-demo",
      postingCard: "0076770702",
      postingCardShort: "76770702",
      contract: "9912420493",
      dr: 72,
      cnpj: "12345678000190",
      status: "ACTIVE",
      environment: "PRODUCAO",
      accessCodeHint: `••••${DEMO.accessCode.slice(-4)}`,
    });
    expect(p.credential!.enabledApis).toContainEqual({ id: 87, name: "TRACKING" });
    expect(p.credential!.tokenExpiresAt).toBeTruthy();
    const form = p.warnings.find((w) => w.code === "POSTING_CARD_FORM")!;
    expect(form.message).toContain("0076770702");
    expect(form.message).toContain("76770702");
    expect(form.message).toMatch(/short form; the 00 was added/);
    expect(h.sim.counts().token).toBe(1);
  });

  it("accepts the card with the leading 00 and stores the same form", async () => {
    const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-00", DEMO, { postingCard: " 0076770702 " }) });
    expect(res.data!.registerCredential.credential!.postingCard).toBe("0076770702");
    expect(res.data!.registerCredential.warnings.find((w) => w.code === "POSTING_CARD_FORM")!.message).toMatch(/CWS form/);
  });

  it.each([
    ["clientId", { clientId: "bad id!" }, "input.clientId"],
    ["apiLogin empty", { apiLogin: "  " }, "input.apiLogin"],
    ["apiLogin with colon", { apiLogin: "a:b" }, "input.apiLogin"],
    ["accessCode too short", { accessCode: "abc" }, "input.accessCode"],
    ["accessCode with spaces", { accessCode: "abcd efgh ijkl mnop qrst uvwx" }, "input.accessCode"],
    ["postingCard letters", { postingCard: "00ABC70702" }, "input.postingCard"],
    ["postingCard 9 digits", { postingCard: "076770702" }, "input.postingCard"],
    ["postingCard contract pasted", { postingCard: "9912420493" }, "input.postingCard"],
    ["contract", { contract: "12345" }, "input.contract"],
    ["dr", { dr: 99 }, "input.dr"],
  ])("refuses a bad %s before any upstream call", async (_name, patch, field) => {
    const res = await h.gql(RegisterCredentialDocument, { input: { ...registerInput("shop-bad"), ...patch } });
    expect(res.errors).toBeUndefined();
    const p = res.data!.registerCredential;
    expect(p.credential).toBeNull();
    expect(p.userErrors.map((e) => e.field)).toContain(field);
    expect(h.sim.counts().total).toBe(0);
  });

  it("reports every bad field at once", async () => {
    const res = await h.gql(RegisterCredentialDocument, { input: { clientId: "x", apiLogin: "", accessCode: "", postingCard: "" } });
    expect(res.data!.registerCredential.userErrors.map((e) => e.field).sort()).toEqual(["input.accessCode", "input.apiLogin", "input.postingCard"]);
  });

  it("explains a 401 (wrong or regenerated access code) and stores nothing", async () => {
    const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-401", DEMO, { accessCode: "WrongAccessCode0123456789abcdefghijKLMNO" }) });
    const p = res.data!.registerCredential;
    expect(p.credential).toBeNull();
    expect(p.userErrors[0]).toMatchObject({ field: "input.accessCode", code: "CREDENTIAL_REJECTED" });
    expect(p.userErrors[0]!.message).toMatch(/Acesso negado/);
    expect(p.userErrors[0]!.message).toMatch(/new access code was generated.*stopped working everywhere/);
    const after = await h.gql(GetCredentialDocument, { clientId: "shop-401" });
    expect(after.data!.credential).toBeNull();
  });

  it("names the posting card when Correios refuses it", async () => {
    const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-card", DEMO, { postingCard: NO_API.card }) });
    expect(res.data!.registerCredential.userErrors[0]).toMatchObject({ field: "input.postingCard", code: "POSTING_CARD_REJECTED" });
  });

  it("shows the card's API list and the top-level one apart, as the manual's sample answer has them", async () => {
    // The manual's sample: card [93, 36, 83], top level [93, 36, 54, 87]; tracking is only in the second.
    const manual = { login: "loja-manual", accessCode: "Manual".padEnd(40, "x"), card: "0070000020", apis: [93, 36, 83], loginApis: [93, 36, 54, 87] };
    h.sim.addAccount(manual);
    const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-manual", manual) });
    const c = res.data!.registerCredential.credential!;
    expect(c.enabledApis).toEqual([{ id: 36, name: "PRE_POSTING" }, { id: 83, name: null }, { id: 93, name: null }]);
    expect(c.loginApis).toEqual([{ id: 36, name: "PRE_POSTING" }, { id: 54, name: null }, { id: 87, name: "TRACKING" }, { id: 93, name: null }]);
    expect(res.data!.registerCredential.warnings.find((w) => w.code === "TRACKING_NOT_ENABLED")!.message).toMatch(/still sent/);
    const stored = await h.gql(GetCredentialDocument, { clientId: "shop-manual" });
    expect(stored.data!.credential).toMatchObject({ enabledApis: c.enabledApis, loginApis: c.loginApis });
  });

  it("warns when the card has no API enabled", async () => {
    const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-noapi", NO_API) });
    const p = res.data!.registerCredential;
    expect(p.credential!.status).toBe("ACTIVE");
    expect(p.warnings.map((w) => w.code)).toContain("NO_API_ENABLED");
  });

  it("saves UNVERIFIED without an upstream call when verify is false", async () => {
    const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-unverified", DEMO, { verify: false }) });
    expect(res.data!.registerCredential.credential!.status).toBe("UNVERIFIED");
    expect(res.data!.registerCredential.warnings.map((w) => w.code)).toContain("NOT_VERIFIED");
    expect(h.sim.counts().total).toBe(0);
    const v = await h.gql(VerifyCredentialDocument, { clientId: "shop-unverified" });
    expect(v.data!.verifyCredential.credential!.status).toBe("ACTIVE");
    expect(h.sim.counts().token).toBe(1);
  });

  it("warns that replacing the access code breaks other systems", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-replace", DEMO, { verify: false }) });
    const newCode = h.sim.regenerateAccessCode("loja-demo");
    try {
      const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-replace", DEMO, { accessCode: newCode }) });
      expect(res.data!.registerCredential.credential!.status).toBe("ACTIVE");
      expect(res.data!.registerCredential.warnings.map((w) => w.code)).toContain("ACCESS_CODE_REPLACED");
    } finally {
      h.sim.addAccount({ ...DEMO });
    }
  });

  it("verifyCredential marks a refused credential INVALID with the reason", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-invalid", DEMO, { accessCode: "Stale0AccessCode0123456789abcdefghijKLMN", verify: false }) });
    const v = await h.gql(VerifyCredentialDocument, { clientId: "shop-invalid" });
    expect(v.data!.verifyCredential.credential!.status).toBe("INVALID");
    expect(v.data!.verifyCredential.userErrors[0]!.code).toBe("CREDENTIAL_REJECTED");
    expect(v.data!.verifyCredential.credential!.statusReason).toMatch(/401/);
  });

  it("a client removed and registered again with another pair never reuses the old pair's token", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-again") });
    await h.gql(RemoveCredentialDocument, { clientId: "shop-again" });
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-again", NO_PRICE, { verify: false }) });
    h.sim.reset();
    const res = await h.gql("{ shipment(code: \"AA000000005BR\") { status } }", undefined, { token: await h.clientToken("shop-again") });
    expect(res.errors).toBeUndefined();
    expect(h.sim.counts().token).toBe(1);
  });

  it("removes a credential", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-remove", DEMO, { verify: false }) });
    // The verification stores a sealed token: removal deletes it from the store too, not only from memory.
    await h.gql(VerifyCredentialDocument, { clientId: "shop-remove" });
    const key = tokenKey((await h.services.credentials.get("shop-remove"))!);
    const tokens = h.services.store.ns("tokens");
    expect(await tokens.get(key)).toBeDefined();
    const r = await h.gql(RemoveCredentialDocument, { clientId: "shop-remove" });
    expect(r.data!.removeCredential).toMatchObject({ removed: true, userErrors: [] });
    expect((await h.gql(GetCredentialDocument, { clientId: "shop-remove" })).data!.credential).toBeNull();
    expect(await tokens.get(key)).toBeUndefined();
  });
});

describe("the two registration flows and what Correios tells apart", () => {
  it("a client registers its own credential (self-service), and only its own", async () => {
    const own = await h.clientToken("shop-self");
    const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-self") }, { token: own });
    expect(res.errors).toBeUndefined();
    expect(res.data!.registerCredential.credential).toMatchObject({ clientId: "shop-self", status: "ACTIVE" });
    const other = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-not-self") }, { token: own });
    expect(other.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect(h.sim.counts().token).toBe(1);
  });

  it("a token API that refuses the login's API access (403) names what to enable", async () => {
    h.sim.addFault({ endpoint: "token", kind: "status", status: 403, body: { msgs: ["Acesso não autorizado para o contrato."] }, times: 1 });
    const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-403") });
    const p = res.data!.registerCredential;
    expect(p.credential).toBeNull();
    expect(p.userErrors).toEqual([expect.objectContaining({ field: "input.apiLogin", code: "API_NOT_ENABLED" })]);
    expect(p.userErrors[0]!.message).toMatch(/enable API access/);
    expect((await h.gql(GetCredentialDocument, { clientId: "shop-403" })).data!.credential).toBeNull();
  });

  it("an answer from the other environment (homologation) is saved with a warning saying so", async () => {
    const hom = await startHarness({ sim: { environment: "HOMOLOGACAO" } });
    try {
      const res = await hom.gql(RegisterCredentialDocument, { input: registerInput("shop-hom") });
      const p = res.data!.registerCredential;
      expect(p.credential).toMatchObject({ status: "ACTIVE", environment: "HOMOLOGACAO" });
      const w = p.warnings.find((x) => x.code === "ENVIRONMENT_MISMATCH");
      expect(w?.message).toMatch(/HOMOLOGACAO.*PRODUCAO.*CORREIOS_BASE_URL/);
    } finally {
      await hom.close();
    }
  });
});

describe("token API faults during verification", () => {
  it("a 429 gives a typed error and stores nothing", async () => {
    h.sim.addFault({ endpoint: "token", kind: "rate-limit", retryAfterSeconds: 30 });
    try {
      const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-429") });
      expect(res.errors![0]!.extensions!.code).toBe("UPSTREAM_RATE_LIMITED");
      expect((res.errors![0]!.extensions!.upstream as { retryAfterSeconds: number }).retryAfterSeconds).toBe(30);
    } finally {
      h.sim.clearFaults();
    }
    expect((await h.gql(GetCredentialDocument, { clientId: "shop-429" })).data!.credential).toBeNull();
  });

  it("a 500 is retried, then gives a typed error and stores nothing", async () => {
    h.sim.addFault({ endpoint: "token", kind: "status", status: 500 });
    try {
      const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-500") });
      expect(res.errors![0]!.extensions!.code).toBe("UPSTREAM_UNAVAILABLE");
      expect(h.sim.counts().token).toBe(1 + h.config.UPSTREAM_RETRIES);
    } finally {
      h.sim.clearFaults();
    }
    expect((await h.gql(GetCredentialDocument, { clientId: "shop-500" })).data!.credential).toBeNull();
  });

  it("a single 500 is absorbed by a retry", async () => {
    h.sim.addFault({ endpoint: "token", kind: "status", status: 503, times: 1 });
    const res = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-503") });
    expect(res.data!.registerCredential.credential!.status).toBe("ACTIVE");
    expect(h.sim.counts().token).toBe(2);
  });
});

describe("secrets", () => {
  it("the access code is in no response, log line or stored value", async () => {
    const responses: string[] = [];
    const input = registerInput("shop-secret");
    // A code Correios refuses is a secret too (often a typo of the real one): it must not be echoed either.
    const rejected = `${DEMO.accessCode.slice(0, -1)}X`;
    const codes = [DEMO.accessCode, rejected];
    responses.push(JSON.stringify(await h.gql(RegisterCredentialDocument, { input })));
    const refused = await h.gql(RegisterCredentialDocument, { input: { ...input, accessCode: rejected } });
    expect(refused.data!.registerCredential.userErrors.map((e) => e.code)).toContain("CREDENTIAL_REJECTED");
    responses.push(JSON.stringify(refused));
    responses.push(JSON.stringify(await h.gql(GetCredentialDocument, { clientId: "shop-secret" })));
    responses.push(JSON.stringify(await h.gql(ListCredentialsDocument, {})));
    responses.push(JSON.stringify(await h.gql(VerifyCredentialDocument, { clientId: "shop-secret" })));
    for (const r of responses) expect(r).not.toContain(DEMO.accessCode);
    for (const r of responses) expect(r).not.toContain(rejected);
    expect(h.logs.length).toBeGreaterThan(0);
    for (const line of h.logs) expect(line).not.toContain(DEMO.accessCode);
    for (const line of h.logs) expect(line).not.toContain(rejected);
    const raw = readFileSync(join(h.dataDir, "store.sqlite")).toString("latin1") + readWal(h.dataDir);
    expect(raw).toContain("shop-secret");
    for (const code of codes) expect(raw).not.toContain(code);
  });
});

function readWal(dir: string): string {
  try {
    return readFileSync(join(dir, "store.sqlite-wal")).toString("latin1");
  } catch {
    return "";
  }
}

describe("persistence", () => {
  it("credentials and tokens survive a restart", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-restart") });
    const tokensBefore = h.sim.counts().token;
    await h.restart();
    const res = await h.gql(GetCredentialDocument, { clientId: "shop-restart" });
    expect(res.data!.credential).toMatchObject({ status: "ACTIVE", postingCard: "0076770702" });
    // The token fetched by the verification is reused after the restart: tracking needs no token request.
    const t = await h.gql("query($c:String!){ shipment(code:$c){ status } }", { c: "AA000000005BR" }, { token: await h.clientToken("shop-restart") });
    expect(t.errors).toBeUndefined();
    expect(h.sim.counts().token).toBe(tokensBefore);
  });
});
