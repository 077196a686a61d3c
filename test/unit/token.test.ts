import { describe, expect, it } from "vitest";
import { parseGrant } from "../../src/correios/client/token.js";

/** An unsigned JWT with the given payload: parseGrant reads only `exp`. */
function jwt(payload: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS512", typ: "JWT" })}.${part(payload)}.signature`;
}

const EXP = Date.parse("2026-12-03T13:00:00Z") / 1000;

describe("parseGrant", () => {
  it("takes the JWT's exp when the answer has no zoneOffset, as in the manual's sample", () => {
    // A local expiry an hour off what the token says (e.g. read in another zone): the token's own exp wins.
    const grant = parseGrant({ token: jwt({ exp: EXP }), expiraEm: "2026-12-03T11:00:00" });
    expect(grant.expiresAt).toBe(EXP * 1000);
  });

  it("reads expiraEm with zoneOffset when both are given", () => {
    expect(parseGrant({ token: jwt({ exp: EXP }), expiraEm: "2026-12-03T09:00:00", zoneOffset: "-04:00" }).expiresAt).toBe(EXP * 1000);
    expect(parseGrant({ token: "opaque", expiraEm: "2026-12-03T10:00:00", zoneOffset: "-03:00" }).expiresAt).toBe(EXP * 1000);
  });

  it("falls back to Brasília time for expiraEm only when the token has no readable exp", () => {
    expect(parseGrant({ token: "opaque", expiraEm: "2026-12-03T10:00:00" }).expiresAt).toBe(EXP * 1000);
  });

  it("keeps the card's API list (what the card may call) apart from the top-level one", () => {
    const grant = parseGrant({ token: jwt({ exp: EXP }), cartaoPostagem: { numero: "0000000007", api: [93, 36, 83] }, api: [93, 36, 54, 87] });
    expect(grant.apis).toEqual([36, 83, 93]);
    expect(grant.loginApis).toEqual([36, 54, 87, 93]);
    // Without a card list the top-level one stands in.
    expect(parseGrant({ token: jwt({ exp: EXP }), api: [87, 5, 87] }).apis).toEqual([5, 87]);
  });
});
