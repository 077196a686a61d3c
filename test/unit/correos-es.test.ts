import { describe, expect, it } from "vitest";
import { CORREOS_ES_DEFAULT_TOKEN_URLS, correosEsEndpoints } from "../../src/correos-es/endpoints.js";
import {
  CORREOS_ES_LIMITS,
  parseApiClientId,
  parseApiClientSecret,
  parseOAuthClientId,
  parseOAuthClientSecret,
  parseScopes,
  scopeKey,
} from "../../src/correos-es/formats.js";
import { correosEsHeaders } from "../../src/correos-es/headers.js";
import { correosEsRefusal, parseCorreosEsGrant } from "../../src/correos-es/token.js";
import { errorForStatus, UpstreamError } from "../../src/upstream/errors.js";

function failure(r: { ok: boolean; message?: string }): string {
  expect(r.ok).toBe(false);
  return (r as { message: string }).message;
}

const jwt = (claims: Record<string, unknown>) =>
  [{ alg: "RS256", typ: "JWT" }, claims].map((p) => Buffer.from(JSON.stringify(p)).toString("base64url")).join(".") + ".c2ln";

describe("Correos (Spain) credential formats", () => {
  it("trims ids and secrets and keeps them otherwise as given", () => {
    expect(parseOAuthClientId("  correos-demo \n")).toEqual({ ok: true, value: "correos-demo" });
    expect(parseOAuthClientSecret("\tS3cr+t/=")).toEqual({ ok: true, value: "S3cr+t/=" });
  });

  it("refuses empty values, inner whitespace, control characters and absurd lengths", () => {
    expect(failure(parseOAuthClientId(""))).toMatch(/empty/);
    expect(failure(parseOAuthClientId("a b"))).toMatch(/space/);
    expect(failure(parseOAuthClientSecret("abc\u0000def"))).toMatch(/control character/);
    expect(failure(parseOAuthClientSecret("abc\u200bdef"))).toMatch(/control character/);
    expect(failure(parseOAuthClientId("x".repeat(CORREOS_ES_LIMITS.idMaxChars + 1)))).toMatch(/too long/);
    expect(failure(parseOAuthClientSecret("x".repeat(10_000)))).toMatch(/far too long/);
    expect(failure(parseOAuthClientId(null as unknown as string))).toMatch(/empty/);
  });

  it("never echoes a secret in a message", () => {
    for (const bad of ["hunter2 hunter2", "hunter2\u0007", `hunter2${"z".repeat(600)}`]) {
      expect(failure(parseOAuthClientSecret(bad))).not.toContain("hunter2");
      expect(failure(parseApiClientSecret(bad))).not.toContain("hunter2");
    }
  });

  it("accepts only visible ASCII in the gateway pair (sent as headers)", () => {
    expect(parseApiClientId("gw-client_1")).toEqual({ ok: true, value: "gw-client_1" });
    expect(failure(parseApiClientSecret("contraseña"))).toMatch(/visible ASCII/);
    expect(parseOAuthClientSecret("contraseña").ok).toBe(true);
  });

  it("reads scopes as a list, splitting the space-separated form and dropping repeats", () => {
    expect(parseScopes(["AP3", "LBS", "RCG"])).toEqual({ ok: true, value: ["AP3", "LBS", "RCG"] });
    expect(parseScopes([" AP3 LBS ", "RCG", "AP3"])).toEqual({ ok: true, value: ["AP3", "LBS", "RCG"] });
    expect(parseScopes(["api:read", "a.b_c-d"])).toEqual({ ok: true, value: ["api:read", "a.b_c-d"] });
    expect(parseScopes(["ap3", "AP3"])).toEqual({ ok: true, value: ["ap3", "AP3"] });
  });

  it("refuses empty lists, malformed codes, too many codes and non-lists", () => {
    expect(failure(parseScopes([]))).toMatch(/at least one/);
    expect(failure(parseScopes(["  "]))).toMatch(/at least one/);
    expect(failure(parseScopes(["AP3", "L/BS"]))).toMatch(/"L\/BS" is not a scope code/);
    expect(failure(parseScopes(["x".repeat(65)]))).toMatch(/not a scope code/);
    expect(failure(parseScopes(["bad\u0000"]))).not.toContain("\u0000");
    expect(failure(parseScopes(Array.from({ length: 21 }, (_, i) => `S${i}`)))).toMatch(/At most 20/);
    expect(failure(parseScopes("AP3" as unknown as string[]))).toMatch(/list/);
    expect(failure(parseScopes(null))).toMatch(/list/);
  });

  it("gives one key per scope set, whatever the order", () => {
    expect(scopeKey(["RCG", "AP3", "LBS"])).toBe(scopeKey(["AP3", "LBS", "RCG", "AP3"]));
    expect(scopeKey(["AP3"])).not.toBe(scopeKey(["AP3", "LBS"]));
  });
});

describe("Correos (Spain) token answers", () => {
  const asked = Date.UTC(2026, 0, 1);
  const exp = asked / 1000 + 1800;

  it("takes idToken and its exp, and the granted scopes from the answer", () => {
    const token = jwt({ exp, scope: "AP3" });
    expect(parseCorreosEsGrant({ idToken: token, expiresIn: 60, scope: "AP3 LBS" }, ["AP3", "LBS", "RCG"], asked)).toEqual({
      token,
      expiresAt: exp * 1000,
      grantedScopes: ["AP3", "LBS"],
    });
  });

  it("accepts access_token, then the JWT's scope, then the requested scopes", () => {
    const withClaim = jwt({ exp, scope: "AP3 RCG" });
    expect(parseCorreosEsGrant({ access_token: withClaim }, ["AP3"], asked).grantedScopes).toEqual(["AP3", "RCG"]);
    expect(parseCorreosEsGrant({ idToken: jwt({ exp }) }, ["AP3", "LBS"], asked).grantedScopes).toEqual(["AP3", "LBS"]);
  });

  it("falls back to expiresIn when the token has no usable exp", () => {
    expect(parseCorreosEsGrant({ idToken: "opaque-token", expiresIn: 3600 }, ["AP3"], asked).expiresAt).toBe(asked + 3_600_000);
    expect(parseCorreosEsGrant({ idToken: jwt({ exp: 10 }), expires_in: "900" }, ["AP3"], asked).expiresAt).toBe(asked + 900_000);
  });

  it("refuses an answer without a token or without an expiry", () => {
    expect(() => parseCorreosEsGrant({ expiresIn: 60 }, [], asked)).toThrow(/without a token/);
    expect(() => parseCorreosEsGrant(undefined, [], asked)).toThrow(UpstreamError);
    expect(() => parseCorreosEsGrant({ idToken: "opaque-token" }, [], asked)).toThrow(/readable expiry/);
  });
});

describe("Correos (Spain) token refusals", () => {
  const refusal = (status: number, body: unknown, requested = ["AP3", "LBS"]) =>
    correosEsRefusal(errorForStatus("correosEsToken", status, body, null), requested);

  it("tells a wrong pair from one not yet activated", () => {
    expect(refusal(401, { error: "invalid_client", error_description: "Client authentication failed" })).toMatchObject({ reason: "WRONG_CLIENT" });
    expect(refusal(401, { error: "invalid_client", error_description: "Client not activated" })).toMatchObject({ reason: "NOT_ACTIVATED" });
    expect(refusal(401, { error: "invalid_client", error_description: "Cliente no habilitado" })).toMatchObject({ reason: "NOT_ACTIVATED" });
    expect(refusal(400, { error: "unauthorized_client" })).toMatchObject({ reason: "NOT_ACTIVATED" });
  });

  it("treats invalid_client as a refused credential even on a 400 (RFC 6749 §5.2)", () => {
    const e = errorForStatus("correosEsToken", 400, { error: "invalid_client" }, null);
    expect(e).toMatchObject({ kind: "CREDENTIAL_REJECTED", details: { oauthError: "invalid_client", status: 400 } });
    expect(e.retryable).toBe(false);
  });

  it("names the scope that was not granted", () => {
    expect(refusal(400, { error: "invalid_scope", error_description: "Scope not granted: LBS" })).toEqual({
      reason: "SCOPE_NOT_GRANTED",
      said: ["Scope not granted: LBS"],
      scopes: ["LBS"],
    });
    expect(refusal(400, { error: "invalid_scope" })).toMatchObject({ reason: "SCOPE_NOT_GRANTED", scopes: [] });
  });

  it("leaves failures that are not refusals to the caller", () => {
    expect(refusal(503, { error: "temporarily_unavailable" })).toBeUndefined();
    expect(correosEsRefusal(new Error("boom"), [])).toBeUndefined();
    expect(refusal(400, { error: "invalid_request" })).toMatchObject({ reason: "REFUSED", oauthError: "invalid_request" });
  });

  it("reads OAuth error codes only from the CorreosID token API", () => {
    expect(errorForStatus("token", 401, { error: "invalid_client" }, null).details.oauthError).toBeUndefined();
  });
});

describe("Correos (Spain) calls", () => {
  it("put the token and the gateway pair in headers (test/correos-es.test.ts checks no URL carries them)", () => {
    const token = jwt({ exp: 1 });
    const headers = correosEsHeaders(token, { clientId: "gw", clientSecret: "gw-secret" });
    expect(headers).toEqual({ authorization: `Bearer ${token}`, client_id: "gw", client_secret: "gw-secret" });
    expect(correosEsHeaders(token)).toEqual({ authorization: `Bearer ${token}` });
  });

  it("map each environment to its own hosts", () => {
    const endpoints = correosEsEndpoints({ production: "https://prod.example/t", preproduction: "https://pre.example/t" });
    expect(endpoints.tokenUrl("PRODUCTION")).toBe("https://prod.example/t");
    expect(endpoints.tokenUrl("PREPRODUCTION")).toBe("https://pre.example/t");
    expect(endpoints.apiBaseUrl("PRODUCTION")).toBe("https://api1.correos.es");
    expect(endpoints.apiBaseUrl("PREPRODUCTION")).toBe("https://api1.correospre.es");
    expect(CORREOS_ES_DEFAULT_TOKEN_URLS).toEqual({
      PRODUCTION: "https://apioauthcid.correos.es/Api/Authorize/Token",
      PREPRODUCTION: "https://apioauthcid.correospre.es/Api/Authorize/Token",
    });
  });
});
