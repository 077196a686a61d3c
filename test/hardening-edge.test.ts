// Edges of errors and authentication: no schema suggestions in production, masking that keeps the schema's words,
// input that cannot hide in a message, bad tokens rate limited, and a maximum token lifetime.
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signJwt } from "../src/http/auth.js";
import { loadConfig } from "../src/config.js";
import { buildTrackingCode, truncate } from "../src/correios/domain/formats.js";
import { GetCredentialDocument, RegisterCorreosEsCredentialDocument, RegisterCredentialDocument } from "./generated/graphql.js";
import { correosEsInput, registerInput } from "./helpers/fixtures.js";
import { AUTH_SECRET, startHarness, type Harness } from "./helpers/harness.js";

const QUOTE = "query($i: QuoteInput!) { quotes(input: $i) { serviceCode } }";
const quoteInput = (format: string) => ({ originCep: "01310-100", destinationCep: "13010111", package: { format, weightGrams: 300, lengthCm: 20, widthCm: 15, heightCm: 10 } });
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

describe("production errors", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { NODE_ENV: "production", DEFAULT_CLIENT_ID: "shop-prod" } });
  });
  afterAll(() => h.close());

  it("suggest no field, argument or enum value (introspection is off, and so are the hints)", async () => {
    const field = await h.gql('{ shipmnt(code: "AA000000005BR") { code } }', undefined, { token: null });
    expect(field.errors![0]!.extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(field.errors![0]!.message).toBe('Cannot query field "shipmnt" on type "Query".');

    const literal = await h.gql(
      '{ quotes(input: { originCep: "01310-100", destinationCep: "13010111", package: { format: BOXX, weightGrams: 300 } }) { serviceCode } }',
      undefined,
      { token: null },
    );
    expect(literal.errors![0]!.extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(literal.errors![0]!.message).not.toMatch(/Did you mean/);

    // A variable's enum value is checked by coercion, not validation: its hint is dropped by the error masker.
    const variable = await h.gql(QUOTE, { i: quoteInput("BOXX") }, { token: null });
    expect(variable.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(variable.errors![0]!.message).toMatch(/does not exist in "PackageFormat" enum\.$/);
    expect(JSON.stringify(variable)).not.toMatch(/Did you mean|"BOX"/);
  });
});

describe("messages and tokens", () => {
  let h: Harness;
  beforeAll(async () => {
    // The harness signs its tokens for 12 h.
    h = await startHarness({ env: { AUTH_MAX_TOKEN_AGE: "13h" } });
    await h.gql(RegisterCredentialDocument, { input: registerInput("edge-a") });
  });
  afterAll(() => h.close());

  it("hides a variable's value only where it stands alone, not inside the schema's words", async () => {
    const res = await h.gql(RegisterCorreosEsCredentialDocument, { input: { ...correosEsInput("edge-env"), environment: "Environment" } } as never);
    expect(res.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(res.errors![0]!.message).toContain('Value <hidden> does not exist in "CorreosEsEnvironment" enum');
  });

  it("an _entities code that is an object says a string was expected, not [object Object]", async () => {
    const res = await h.gql("query($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { code } } }", {
      r: [{ __typename: "Shipment", code: { value: "AA000000005BR" } }, { __typename: "Shipment", code: buildTrackingCode("AA", 70_001) }],
    });
    const err = res.errors![0]!;
    expect(err.extensions!.code).toBe("BAD_USER_INPUT");
    expect(err.message).toBe("A tracking code must be a string, such as AA123456785BR.");
  });

  it("never echoes NUL or bidi controls from input: they become U+FFFD", async () => {
    expect(truncate("AA\u0000\u202E5BR\u2066")).toBe("AA\uFFFD\uFFFD5BR\uFFFD");
    // A field name from a variable, quoted by graphql-js' coercion error.
    const unknownField = await h.gql(RegisterCredentialDocument, { input: { ...registerInput("edge-x"), "ni\u202Eck\u0000": 1 } } as never);
    expect(unknownField.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(unknownField.errors![0]!.message).toContain('Field "ni\uFFFDck\uFFFD" is not defined');
    // A client id quoted by the FORBIDDEN error.
    const token = await h.clientToken("edge-a");
    const forbidden = await h.gql(GetCredentialDocument, { clientId: "edge-b\u202E\u0000" }, { token });
    expect(forbidden.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect(forbidden.errors![0]!.message).toContain('"edge-b\uFFFD\uFFFD"');
    for (const r of [unknownField, forbidden]) expect(r.errors![0]!.message).not.toMatch(INVISIBLE);
  });

  describe("AUTH_MAX_TOKEN_AGE", () => {
    const key = new TextEncoder().encode(AUTH_SECRET);
    const now = () => Math.floor(Date.now() / 1000);
    const ask = (token: string) => h.gql(GetCredentialDocument, { clientId: "edge-a" }, { token });

    it("refuses a token valid for longer than the maximum, with or without iat", async () => {
      const long = await ask(await signJwt({ role: "operator" }, AUTH_SECRET, "14h"));
      expect(long.status).toBe(401);
      expect(long.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
      expect(long.errors![0]!.message).toMatch(/longer than the 46800 s allowed \(AUTH_MAX_TOKEN_AGE\)/);

      const noIat = await new SignJWT({ role: "operator" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime(now() + 14 * 3600).sign(key);
      expect((await ask(noIat)).status).toBe(401);
      const future = await new SignJWT({ role: "operator" }).setProtectedHeader({ alg: "HS256" }).setIssuedAt(now() + 86_400).setExpirationTime(now() + 86_400 + 60).sign(key);
      expect((await ask(future)).status).toBe(401);
    });

    it("accepts one within it", async () => {
      expect((await ask(await signJwt({ role: "operator" }, AUTH_SECRET, "13h"))).status).toBe(200);
      const noIat = await new SignJWT({ role: "operator" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime(now() + 3600).sign(key);
      expect((await ask(noIat)).status).toBe(200);
    });

    it("is read in seconds or with a unit, 24 h by default, and a bad value stops start-up naming it", () => {
      const base = { DATA_DIR: h.dataDir, AUTH_SECRET, CREDENTIALS_KEY: "a".repeat(64) };
      expect(loadConfig(base).AUTH_MAX_TOKEN_AGE).toBe(86_400);
      expect(loadConfig({ ...base, AUTH_MAX_TOKEN_AGE: "90m" }).AUTH_MAX_TOKEN_AGE).toBe(5400);
      expect(loadConfig({ ...base, AUTH_MAX_TOKEN_AGE: "3600" }).AUTH_MAX_TOKEN_AGE).toBe(3600);
      expect(() => loadConfig({ ...base, AUTH_MAX_TOKEN_AGE: "soon" })).toThrow(/AUTH_MAX_TOKEN_AGE/);
    });
  });
});

describe("rate limit on bad tokens", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: "3" } });
  });
  afterAll(() => h.close());

  it("counts requests whose token is refused: guessing tokens ends in 429", async () => {
    const forged = await signJwt({ role: "operator" }, "not-the-secret-but-long-enough-for-hs256-000");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.gql("{ __typename }", undefined, { token: forged })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
