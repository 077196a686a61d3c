// Correos (Spain) CorreosID accounts: registration, verification, token reuse and renewal, secrets, and a Spanish
// credential beside a Brazilian one, over real HTTP against the simulator's CorreosID token endpoint.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UpstreamError } from "../src/upstream/errors.js";
import { tokenKey } from "../src/services/correos-es-credentials.js";
import {
  GetCorreosEsCredentialDocument,
  GetCredentialDocument,
  ListCorreosEsCredentialsDocument,
  ListCredentialsDocument,
  RegisterCorreosEsCredentialDocument,
  RegisterCredentialDocument,
  RemoveCorreosEsCredentialDocument,
  VerifyCorreosEsCredentialDocument,
} from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { CORREOS_ES_DEMO, correosEsInput, registerInput } from "./helpers/fixtures.js";

const TOKEN_PATH = "/Api/Authorize/Token";
const SLEEPY = { clientId: "correos-sleepy", clientSecret: "sleepy-secret-0001", scopes: ["AP3", "LBS", "RCG"], active: false };
const SECRETIVE = { clientId: "correos-secretive", clientSecret: "OAuth-Secret-Never-Logged-7731", scopes: ["AP3", "LBS", "RCG", "TPB"] };
const API_SECRET = "Gateway-Secret-Never-Logged-4402";

let h: Harness;
beforeAll(async () => {
  // A one-second renewal margin keeps the default (hour-long) simulator tokens cached for the whole file.
  h = await startHarness({
    env: (simUrl) => ({
      CORREOS_ES_TOKEN_URL: `${simUrl}${TOKEN_PATH}`,
      CORREOS_ES_PRE_TOKEN_URL: `${simUrl}${TOKEN_PATH}`,
      CORREOS_ES_RENEW_MARGIN_SECONDS: "1",
    }),
  });
  h.sim.addCorreosEsClient(SLEEPY);
  h.sim.addCorreosEsClient(SECRETIVE);
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
});

const es = () => h.services.correosEsCredentials;
const bearerOf = (clientId: string, scopes?: string[]) => es().withToken(clientId, scopes, async ({ headers }) => headers.authorization!);
const claimsOf = (bearer: string) => JSON.parse(Buffer.from(bearer.split(".")[1]!, "base64url").toString("utf8")) as { scope: string; exp: number };

describe("registerCorreosEsCredential", () => {
  it("verifies with a fresh token, reports the granted scopes and stores the pair masked", async () => {
    const res = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-happy", { scopes: [" AP3 ", "LBS", "RCG", "AP3"] }) });
    expect(res.errors).toBeUndefined();
    const p = res.data!.registerCorreosEsCredential;
    expect(p.userErrors).toEqual([]);
    expect(p.credential).toMatchObject({
      clientId: "es-happy",
      carrier: "CORREOS_ES",
      oauthClientId: CORREOS_ES_DEMO.clientId,
      oauthClientSecretHint: `••••${CORREOS_ES_DEMO.clientSecret.slice(-4)}`,
      scopes: ["AP3", "LBS", "RCG"],
      grantedScopes: ["AP3", "LBS", "RCG"],
      apiClientId: null,
      apiClientSecretHint: null,
      environment: "PRODUCTION",
      status: "ACTIVE",
      statusReason: null,
    });
    expect(Date.parse(p.credential!.tokenExpiresAt!)).toBeGreaterThan(Date.now());
    expect(p.credential!.verifiedAt).toBeTruthy();
    expect(p.warnings.map((w) => w.code)).toContain("API_PAIR_MISSING");
    expect(h.sim.counts().correosEsToken).toBe(1);

    // The verification's token serves the next API call: no second token request.
    const bearer = await bearerOf("es-happy");
    expect(claimsOf(bearer).scope).toBe("AP3 LBS RCG");
    expect(h.sim.counts().correosEsToken).toBe(1);
  });

  it("stores the API gateway pair masked and sends it beside the token", async () => {
    const res = await h.gql(RegisterCorreosEsCredentialDocument, {
      input: correosEsInput("es-gateway", { apiClientId: "gw-client-1", apiClientSecret: "gw-secret-9876", environment: "PREPRODUCTION" }),
    });
    const p = res.data!.registerCorreosEsCredential;
    expect(p.credential).toMatchObject({ apiClientId: "gw-client-1", apiClientSecretHint: "••••9876", environment: "PREPRODUCTION", status: "ACTIVE" });
    expect(p.warnings.map((w) => w.code)).not.toContain("API_PAIR_MISSING");
    const headers = await es().withToken("es-gateway", undefined, async (call) => call.headers);
    expect(headers).toEqual({ authorization: expect.stringMatching(/^Bearer ey/), client_id: "gw-client-1", client_secret: "gw-secret-9876" });
  });

  it("saves UNVERIFIED without an upstream call when verify is false, and verifies later", async () => {
    const res = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-later", { verify: false }) });
    const p = res.data!.registerCorreosEsCredential;
    expect(p.credential).toMatchObject({ status: "UNVERIFIED", grantedScopes: null, tokenExpiresAt: null });
    expect(p.warnings.map((w) => w.code)).toContain("NOT_VERIFIED");
    expect(h.sim.counts().total).toBe(0);

    const v = await h.gql(VerifyCorreosEsCredentialDocument, { clientId: "es-later" });
    expect(v.data!.verifyCorreosEsCredential.credential).toMatchObject({ status: "ACTIVE", grantedScopes: ["AP3", "LBS", "RCG"] });
    expect(h.sim.counts().correosEsToken).toBe(1);
  });

  it.each([
    ["clientId", { clientId: "bad id!" }, "input.clientId"],
    ["oauthClientId empty", { oauthClientId: "   " }, "input.oauthClientId"],
    ["oauthClientId with a space", { oauthClientId: "correos demo" }, "input.oauthClientId"],
    ["oauthClientSecret empty", { oauthClientSecret: "" }, "input.oauthClientSecret"],
    ["oauthClientSecret with a line break", { oauthClientSecret: "abc\ndef" }, "input.oauthClientSecret"],
    ["oauthClientSecret far too long", { oauthClientSecret: "x".repeat(600) }, "input.oauthClientSecret"],
    ["scopes empty", { scopes: [] }, "input.scopes"],
    ["scope code malformed", { scopes: ["AP3", "L/BS"] }, "input.scopes"],
    ["too many scopes", { scopes: Array.from({ length: 21 }, (_, i) => `S${i}`) }, "input.scopes"],
    ["apiClientSecret without apiClientId", { apiClientSecret: "lonely" }, "input.apiClientId"],
    ["apiClientSecret not ASCII", { apiClientId: "gw", apiClientSecret: "contraseña" }, "input.apiClientSecret"],
  ])("refuses a bad %s before any upstream call", async (_name, patch, field) => {
    const res = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-bad", patch) });
    expect(res.errors).toBeUndefined();
    const p = res.data!.registerCorreosEsCredential;
    expect(p.credential).toBeNull();
    expect(p.userErrors.map((e) => e.field)).toContain(field);
    expect(h.sim.counts().total).toBe(0);
  });

  it("explains a refused pair and stores nothing", async () => {
    const res = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-wrong", { oauthClientSecret: "not-the-secret" }) });
    const p = res.data!.registerCorreosEsCredential;
    expect(p.credential).toBeNull();
    expect(p.userErrors[0]).toMatchObject({ field: "input.oauthClientSecret", code: "CREDENTIAL_REJECTED" });
    expect(p.userErrors[0]!.message).toMatch(/Client authentication failed/);
    expect(p.userErrors[0]!.message).toMatch(/wrong client id or secret.*other environment.*not activated/);
    expect((await h.gql(GetCorreosEsCredentialDocument, { clientId: "es-wrong" })).data!.correosEsCredential).toBeNull();
  });

  it("tells a pair that Correos has not activated yet", async () => {
    const res = await h.gql(RegisterCorreosEsCredentialDocument, {
      input: correosEsInput("es-sleepy", { oauthClientId: SLEEPY.clientId, oauthClientSecret: SLEEPY.clientSecret }),
    });
    const p = res.data!.registerCorreosEsCredential;
    expect(p.credential).toBeNull();
    expect(p.userErrors[0]).toMatchObject({ field: "input.oauthClientId", code: "CLIENT_NOT_ACTIVATED" });
    expect(p.userErrors[0]!.message).toMatch(/not activated/);
  });

  it("names a scope the pair was not granted", async () => {
    const res = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-scope", { scopes: ["AP3", "XYZ"] }) });
    const p = res.data!.registerCorreosEsCredential;
    expect(p.credential).toBeNull();
    expect(p.userErrors[0]).toMatchObject({ field: "input.scopes", code: "SCOPE_NOT_GRANTED" });
    expect(p.userErrors[0]!.message).toMatch(/did not grant the scope XYZ/);
    expect(p.userErrors[0]!.message).not.toMatch(/scope AP3/);
  });

  it("verifyCorreosEsCredential marks a refused credential INVALID with the reason, and API calls then fail fast", async () => {
    await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-invalid", { oauthClientSecret: "stale-secret", verify: false }) });
    const v = await h.gql(VerifyCorreosEsCredentialDocument, { clientId: "es-invalid" });
    const p = v.data!.verifyCorreosEsCredential;
    expect(p.credential).toMatchObject({ status: "INVALID" });
    expect(p.userErrors[0]!.code).toBe("CREDENTIAL_REJECTED");
    expect(p.credential!.statusReason).toMatch(/refused the OAuth client id or secret/);
    h.sim.reset();
    await expect(bearerOf("es-invalid")).rejects.toMatchObject({ code: "CREDENTIAL_REJECTED" });
    expect(h.sim.counts().total).toBe(0);
  });

  it("a token request refused during an API call marks the credential INVALID", async () => {
    await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-refused-later", { oauthClientSecret: "stale-secret", verify: false }) });
    await expect(bearerOf("es-refused-later")).rejects.toMatchObject({ kind: "CREDENTIAL_REJECTED" });
    const after = await h.gql(GetCorreosEsCredentialDocument, { clientId: "es-refused-later" });
    expect(after.data!.correosEsCredential).toMatchObject({ status: "INVALID" });
  });

  it("a 500 from CorreosID is an upstream error, not a userError, and stores nothing", async () => {
    h.sim.addFault({ endpoint: "correosEsToken", kind: "status", status: 500 });
    try {
      const res = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-500") });
      expect(res.errors![0]!.extensions!.code).toBe("UPSTREAM_UNAVAILABLE");
    } finally {
      h.sim.clearFaults();
    }
    expect((await h.gql(GetCorreosEsCredentialDocument, { clientId: "es-500" })).data!.correosEsCredential).toBeNull();
  });

  it("removes a credential", async () => {
    await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-remove", { verify: false }) });
    // The verification stores a sealed token: removal deletes it from the store too, not only from memory.
    await h.gql(VerifyCorreosEsCredentialDocument, { clientId: "es-remove" });
    const stored = (await es().get("es-remove"))!;
    const key = tokenKey(stored, stored.scopes);
    const tokens = h.services.store.ns("tokens");
    expect(await tokens.get(key)).toBeDefined();
    const r = await h.gql(RemoveCorreosEsCredentialDocument, { clientId: "es-remove" });
    expect(r.data!.removeCorreosEsCredential).toMatchObject({ removed: true, userErrors: [] });
    expect((await h.gql(GetCorreosEsCredentialDocument, { clientId: "es-remove" })).data!.correosEsCredential).toBeNull();
    expect(await tokens.get(key)).toBeUndefined();
    const again = await h.gql(RemoveCorreosEsCredentialDocument, { clientId: "es-remove" });
    expect(again.data!.removeCorreosEsCredential.userErrors[0]!.code).toBe("NOT_FOUND");
  });
});

describe("authorization", () => {
  it("a client manages only its own credential; the list is for operators", async () => {
    const other = await h.clientToken("someone-else");
    const reg = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-owned", { verify: false }) }, { token: other });
    expect(reg.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const own = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-owned", { verify: false }) }, { token: await h.clientToken("es-owned") });
    expect(own.data!.registerCorreosEsCredential.credential!.clientId).toBe("es-owned");
    expect((await h.gql(GetCorreosEsCredentialDocument, { clientId: "es-owned" }, { token: other })).errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect((await h.gql(ListCorreosEsCredentialsDocument, {}, { token: other })).errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect((await h.gql(VerifyCorreosEsCredentialDocument, { clientId: "es-owned" }, { token: null })).errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    expect((await h.gql(RemoveCorreosEsCredentialDocument, { clientId: "es-owned" }, { token: other })).errors![0]!.extensions!.code).toBe("FORBIDDEN");
  });
});

describe("tokens", () => {
  it("50 concurrent callers share one token request", async () => {
    await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-crowd", { verify: false }) });
    h.sim.reset();
    const bearers = await Promise.all(Array.from({ length: 50 }, () => bearerOf("es-crowd")));
    expect(new Set(bearers).size).toBe(1);
    expect(h.sim.counts().correosEsToken).toBe(1);
    await bearerOf("es-crowd");
    expect(h.sim.counts().correosEsToken).toBe(1);
  });

  it("a token is cached per scope set: a narrower set gets its own token with only those scopes", async () => {
    await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-scoped") });
    h.sim.reset();
    const all = await bearerOf("es-scoped");
    const narrow = await bearerOf("es-scoped", ["RCG", "AP3"]);
    const sameNarrow = await bearerOf("es-scoped", ["AP3", "RCG"]);
    expect(h.sim.counts().correosEsToken).toBe(1);
    expect(claimsOf(all).scope).toBe("AP3 LBS RCG");
    expect(claimsOf(narrow).scope).toBe("RCG AP3");
    expect(sameNarrow).toBe(narrow);
    await expect(bearerOf("es-scoped", ["TPB"])).rejects.toMatchObject({ code: "SCOPE_NOT_REGISTERED" });
  });

  it("renews the token before its exp", async () => {
    h.sim.setConfig({ tokenTtlSeconds: 3 });
    try {
      await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-renew", { verify: false }) });
      h.sim.reset();
      const first = await bearerOf("es-renew");
      expect(await bearerOf("es-renew")).toBe(first);
      expect(h.sim.counts().correosEsToken).toBe(1);
      // exp is 2–3 s away and the margin is 1 s: 300 ms past the renewal point, and still 700 ms before exp, a new
      // token is fetched. Were the margin ignored, the first token would still be handed out here.
      const exp = claimsOf(first).exp * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, exp - 1000 + 300 - Date.now())));
      const second = await bearerOf("es-renew");
      expect(second).not.toBe(first);
      expect(claimsOf(second).exp).toBeGreaterThan(claimsOf(first).exp);
      expect(h.sim.counts().correosEsToken).toBe(2);
      const renewal = h.sim.requests().filter((r) => r.endpoint === "correosEsToken")[1]!;
      expect(Date.parse(renewal.at)).toBeLessThan(exp);
    } finally {
      h.sim.setConfig({ tokenTtlSeconds: 86_400 });
    }
  });

  it("a token the API refuses (401) is dropped and fetched again once", async () => {
    await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-401", { verify: false }) });
    h.sim.reset();
    const seen: string[] = [];
    const result = await es().withToken("es-401", undefined, async ({ headers }) => {
      seen.push(headers.authorization!);
      if (seen.length === 1) throw new UpstreamError("TOKEN_REJECTED", "correosEsToken", "refused the bearer token", { status: 401 });
      return "ok";
    });
    expect(result).toBe("ok");
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]);
    expect(h.sim.counts().correosEsToken).toBe(2);
    expect(await bearerOf("es-401")).toBe(seen[1]);
  });

  it("sends the pair form-encoded in the body: the token request URL has no query", async () => {
    await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("es-url") });
    const bearer = await bearerOf("es-url");
    const requests = h.sim.requests().filter((r) => r.endpoint === "correosEsToken");
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) {
      expect(r).toMatchObject({ method: "POST", path: TOKEN_PATH, query: {} });
      expect(JSON.stringify(r)).not.toContain(CORREOS_ES_DEMO.clientSecret);
    }
    for (const r of h.sim.requests()) expect(JSON.stringify(r)).not.toContain(bearer.slice("Bearer ".length));
  });
});

describe("secrets", () => {
  it("neither secret nor token is in any response, log line or stored value", async () => {
    const input = correosEsInput("es-secret", {
      oauthClientId: SECRETIVE.clientId,
      oauthClientSecret: SECRETIVE.clientSecret,
      apiClientId: "gw-secretive",
      apiClientSecret: API_SECRET,
    });
    const responses: string[] = [];
    responses.push(JSON.stringify(await h.gql(RegisterCorreosEsCredentialDocument, { input })));
    responses.push(JSON.stringify(await h.gql(RegisterCorreosEsCredentialDocument, { input: { ...input, oauthClientSecret: `${SECRETIVE.clientSecret}X` } })));
    responses.push(JSON.stringify(await h.gql(RegisterCorreosEsCredentialDocument, { input })));
    responses.push(JSON.stringify(await h.gql(GetCorreosEsCredentialDocument, { clientId: "es-secret" })));
    responses.push(JSON.stringify(await h.gql(ListCorreosEsCredentialsDocument, {})));
    responses.push(JSON.stringify(await h.gql(VerifyCorreosEsCredentialDocument, { clientId: "es-secret" })));
    const token = (await bearerOf("es-secret")).slice("Bearer ".length);
    const secrets = [SECRETIVE.clientSecret, API_SECRET, token];
    for (const r of responses) for (const s of secrets) expect(r).not.toContain(s);
    expect(h.logs.length).toBeGreaterThan(0);
    for (const line of h.logs) for (const s of secrets) expect(line).not.toContain(s);
    const raw = readFileSync(join(h.dataDir, "store.sqlite")).toString("latin1") + readWal(h.dataDir);
    expect(raw).toContain("es-secret");
    for (const s of secrets) expect(raw).not.toContain(s);
  });
});

function readWal(dir: string): string {
  try {
    return readFileSync(join(dir, "store.sqlite-wal")).toString("latin1");
  } catch {
    return "";
  }
}

describe("side by side with Correios (Brazil)", () => {
  it("a client holds a Brazilian and a Spanish credential at once, each managed on its own", async () => {
    const br = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-both") });
    const esReg = await h.gql(RegisterCorreosEsCredentialDocument, { input: correosEsInput("shop-both") });
    expect(br.data!.registerCredential.credential).toMatchObject({ carrier: "CORREIOS_BR", status: "ACTIVE" });
    expect(esReg.data!.registerCorreosEsCredential.credential).toMatchObject({ carrier: "CORREOS_ES", status: "ACTIVE" });
    expect(h.sim.counts()).toMatchObject({ token: 1, correosEsToken: 1 });

    const token = await h.clientToken("shop-both");
    expect((await h.gql(GetCredentialDocument, { clientId: "shop-both" }, { token })).data!.credential).toMatchObject({ carrier: "CORREIOS_BR" });
    expect((await h.gql(GetCorreosEsCredentialDocument, { clientId: "shop-both" }, { token })).data!.correosEsCredential).toMatchObject({
      carrier: "CORREOS_ES",
    });
    const brList = (await h.gql(ListCredentialsDocument, {})).data!.credentials;
    const esList = (await h.gql(ListCorreosEsCredentialsDocument, {})).data!.correosEsCredentials;
    expect(brList.filter((c) => c.clientId === "shop-both").map((c) => c.carrier)).toEqual(["CORREIOS_BR"]);
    expect(esList.filter((c) => c.clientId === "shop-both").map((c) => c.carrier)).toEqual(["CORREOS_ES"]);

    // Tracking (Brazil) still uses its own token; removing the Spanish credential leaves the Brazilian one alone.
    const tracked = await h.gql("query($c:String!){ shipment(code:$c){ status } }", { c: "AA000000005BR" }, { token });
    expect(tracked.errors).toBeUndefined();
    await h.gql(RemoveCorreosEsCredentialDocument, { clientId: "shop-both" });
    expect((await h.gql(GetCorreosEsCredentialDocument, { clientId: "shop-both" })).data!.correosEsCredential).toBeNull();
    expect((await h.gql(GetCredentialDocument, { clientId: "shop-both" })).data!.credential).toMatchObject({ status: "ACTIVE" });
  });
});
