// Authentication, tenant isolation, tampering and hostile input, all through the HTTP API.
import { request } from "node:http";
import fc from "fast-check";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signJwt } from "../src/http/auth.js";
import {
  GetCredentialDocument,
  ListCredentialsDocument,
  RegisterCorreosEsCredentialDocument,
  RegisterCredentialDocument,
  RemoveCredentialDocument,
  TrackShipmentDocument,
  VerifyCredentialDocument,
} from "./generated/graphql.js";
import { AUTH_SECRET, startHarness, type Harness } from "./helpers/harness.js";
import { CORREOS_ES_DEMO, correosEsInput, DEMO, NO_API, registerInput } from "./helpers/fixtures.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.gql(RegisterCredentialDocument, { input: registerInput("client-a", DEMO, { verify: false }) });
  await h.gql(RegisterCredentialDocument, { input: registerInput("client-b", NO_API, { verify: false }) });
});
afterAll(() => h.close());

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("bearer tokens", () => {
  const query = (token: string | null) => h.gql(GetCredentialDocument, { clientId: "client-a" }, { token });

  it("no token on an admin query → UNAUTHENTICATED", async () => {
    const res = await query(null);
    expect(res.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });

  it("a bad signature → 401", async () => {
    const res = await query(await signJwt({ role: "operator" }, "another-secret-that-is-long-enough-000000"));
    expect(res.status).toBe(401);
    expect(res.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });

  it("alg: none → 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await query(`${b64({ alg: "none", typ: "JWT" })}.${b64({ role: "operator", iat: now, exp: now + 600 })}.`);
    expect(res.status).toBe(401);
  });

  it("an expired token → 401 saying so", async () => {
    const key = new TextEncoder().encode(AUTH_SECRET);
    const old = await new SignJWT({ role: "operator" }).setProtectedHeader({ alg: "HS256" }).setIssuedAt(1_600_000_000).setExpirationTime(1_600_000_600).sign(key);
    const res = await query(old);
    expect(res.status).toBe(401);
    expect(res.errors![0]!.message).toMatch(/expired/);
  });

  it("a token without exp → 401", async () => {
    const key = new TextEncoder().encode(AUTH_SECRET);
    const forever = await new SignJWT({ role: "operator" }).setProtectedHeader({ alg: "HS256" }).sign(key);
    expect((await query(forever)).status).toBe(401);
  });

  it("a client token without clientId → 401", async () => {
    const key = new TextEncoder().encode(AUTH_SECRET);
    const t = await new SignJWT({ role: "client" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("1h").sign(key);
    expect((await query(t)).status).toBe(401);
  });
});

describe("tenant isolation", () => {
  it("an operator reads and lists every client", async () => {
    expect((await h.gql(GetCredentialDocument, { clientId: "client-b" })).data!.credential!.clientId).toBe("client-b");
    const all = await h.gql(ListCredentialsDocument, {});
    expect(all.data!.credentials.map((c) => c.clientId)).toEqual(expect.arrayContaining(["client-a", "client-b"]));
  });

  it("client A reads its own credential but not B's, cannot list, change, verify or remove B's", async () => {
    const a = await h.clientToken("client-a");
    expect((await h.gql(GetCredentialDocument, { clientId: "client-a" }, { token: a })).data!.credential!.clientId).toBe("client-a");
    const attempts = [
      await h.gql(GetCredentialDocument, { clientId: "client-b" }, { token: a }),
      await h.gql(RegisterCredentialDocument, { input: registerInput("client-b", DEMO, { verify: false }) }, { token: a }),
      await h.gql(VerifyCredentialDocument, { clientId: "client-b" }, { token: a }),
      await h.gql(RemoveCredentialDocument, { clientId: "client-b" }, { token: a }),
    ];
    for (const r of attempts) expect(r.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect((await h.gql(ListCredentialsDocument, {}, { token: a })).errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const b = await h.gql(GetCredentialDocument, { clientId: "client-b" });
    expect(b.data!.credential).toMatchObject({ apiLogin: NO_API.login, postingCard: NO_API.card });
  });

  it("client A's tracking uses A's credential and token; B's token never appears in A's calls", async () => {
    await h.gql(VerifyCredentialDocument, { clientId: "client-a" });
    h.sim.reset();
    const a = await h.clientToken("client-a");
    const res = await h.gql(TrackShipmentDocument, { code: "AA000000005BR" }, { token: a });
    expect(res.errors).toBeUndefined();
    expect(h.sim.counts().token).toBe(0);
  });
});

describe("stored secrets", () => {
  it("a ciphertext copied from another client is detected, not decrypted", async () => {
    const kv = h.services.store.ns("credentials");
    const a = (await kv.get("CORREIOS_BR:client-a")) as { accessCodeSealed: string };
    const b = (await kv.get("CORREIOS_BR:client-b")) as Record<string, unknown>;
    await kv.set("CORREIOS_BR:client-b", { ...b, accessCodeSealed: a.accessCodeSealed });
    const res = await h.gql(VerifyCredentialDocument, { clientId: "client-b" });
    expect(res.errors![0]!.extensions!.code).toBe("CREDENTIAL_TAMPERED");
    await kv.set("CORREIOS_BR:client-b", b);
  });

  it("a flipped byte in the ciphertext is detected", async () => {
    const kv = h.services.store.ns("credentials");
    const b = (await kv.get("CORREIOS_BR:client-b")) as { accessCodeSealed: string } & Record<string, unknown>;
    const parts = b.accessCodeSealed.split(".");
    const data = Buffer.from(parts[3]!, "base64url");
    data[0] = data[0]! ^ 1;
    parts[3] = data.toString("base64url");
    await kv.set("CORREIOS_BR:client-b", { ...b, accessCodeSealed: parts.join(".") });
    const res = await h.gql(VerifyCredentialDocument, { clientId: "client-b" });
    expect(res.errors![0]!.extensions!.code).toBe("CREDENTIAL_TAMPERED");
    await kv.set("CORREIOS_BR:client-b", b);
  });
});

describe("hostile input through the API", () => {
  const hostile = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.constantFrom("", " ", "\u0000", "' OR 1=1 --", "<script>", "${jndi:x}", "../../etc/passwd", "AA000000005BR\n", "ＡＡ000000005ＢＲ", "a".repeat(5000)),
  );

  it("tracking codes: only BAD_USER_INPUT or a result, never an internal error", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (code) => {
        const res = await h.gql(TrackShipmentDocument, { code }, { token: await h.clientToken("client-a") });
        const codes = (res.errors ?? []).map((e) => e.extensions?.code);
        expect(codes.every((c) => c === "BAD_USER_INPUT")).toBe(true);
        expect(res.status).toBe(200);
      }),
      { numRuns: 60 },
    );
  });

  it("registration fields: only userErrors naming a field, never an internal error or an upstream call", async () => {
    h.sim.reset();
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, hostile, async (apiLogin, accessCode, postingCard, contract) => {
        const res = await h.gql(RegisterCredentialDocument, { input: { clientId: "fuzz", apiLogin, accessCode, postingCard, contract, verify: false } });
        expect(res.errors).toBeUndefined();
        const p = res.data!.registerCredential;
        if (!p.credential) {
          expect(p.userErrors.length).toBeGreaterThan(0);
          for (const e of p.userErrors) expect(e.field).toMatch(/^input\./);
        }
      }),
      { numRuns: 60 },
    );
    expect(h.sim.counts().total).toBe(0);
  });
});

describe("oversized bodies", () => {
  /** Sends more than the limit and never ends the request: the answer must not wait for the end. */
  const oversized = (headers: Record<string, string>) =>
    new Promise<{ status?: number; connection?: string; closed: Promise<void> }>((resolve, reject) => {
      const url = new URL(h.server.url);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent: false, headers: { "content-type": "application/json", ...headers } });
      const closed = new Promise<void>((r) => req.once("close", () => r()));
      const timer = setTimeout(() => reject(new Error("no answer while the body was still being sent")), 5000);
      req.once("response", (res) => {
        clearTimeout(timer);
        res.resume();
        resolve({ status: res.statusCode, connection: res.headers.connection, closed });
      });
      // The server closes the connection while this side still has bytes to send.
      req.on("error", () => undefined);
      req.write(Buffer.alloc(h.config.MAX_BODY_BYTES + 1, " "));
    });

  it.each([
    ["chunked, without a content-length", { "transfer-encoding": "chunked" }],
    ["with a content-length over the limit", { "content-length": String(10 * 1024 * 1024) }],
  ])("%s → 413 at once, and the rest is not read: the connection closes", async (_label, headers) => {
    const res = await oversized(headers);
    expect(res.status).toBe(413);
    expect(res.connection).toBe("close");
    await expect(Promise.race([res.closed.then(() => "closed"), new Promise((r) => setTimeout(() => r("still open"), 5000))])).resolves.toBe("closed");
  });
});

describe("variables that fail coercion", () => {
  // graphql-js prints the whole invalid variable in its message (and scalars print the value in the reason): these
  // must come back as BAD_USER_INPUT naming the field, with no value, and reach no log line either.
  const NUMERIC_CODE = 918_273_645_012;
  const expectNoSecret = (res: unknown, secrets: string[]) => {
    const text = JSON.stringify(res);
    for (const s of secrets) expect(text).not.toContain(s);
    for (const line of h.logs) for (const s of secrets) expect(line).not.toContain(s);
  };
  const register = (input: Record<string, unknown>) => h.gql(RegisterCredentialDocument, { input } as never);

  it("a missing required field → 400 BAD_USER_INPUT naming the field, without the access code", async () => {
    const { postingCard: _omitted, ...input } = registerInput("coerce-missing", DEMO);
    const res = await register(input);
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(res.errors![0]!.message).toMatch(/^Variable "\$input" got invalid value; Field "postingCard" of required type "String!" was not provided\.$/);
    expectNoSecret(res, [DEMO.accessCode]);
  });

  it("an unknown field → 400 BAD_USER_INPUT naming it, without the access code", async () => {
    const res = await register({ ...registerInput("coerce-unknown", DEMO), nickname: "shop" });
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(res.errors![0]!.message).toContain('Field "nickname" is not defined by type "RegisterCredentialInput"');
    expectNoSecret(res, [DEMO.accessCode]);
  });

  it("an access code of the wrong type → 400 BAD_USER_INPUT with the path and reason, without the value", async () => {
    for (const accessCode of [NUMERIC_CODE, [DEMO.accessCode], { code: DEMO.accessCode }]) {
      const res = await register({ ...registerInput("coerce-type", DEMO), accessCode });
      expect(res.status).toBe(400);
      expect(res.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
      expect(res.errors![0]!.message).toMatch(/^Variable "\$input" got invalid value at "input\.accessCode"; String cannot represent a non string value/);
      expectNoSecret(res, [String(NUMERIC_CODE), DEMO.accessCode]);
    }
  });

  it("registerCorreosEsCredential without its environment → 400 BAD_USER_INPUT, without either secret", async () => {
    const apiClientSecret = "Gateway-Secret-Coercion-Check-5150";
    const { environment: _omitted, ...input } = correosEsInput("coerce-es", { apiClientId: "gw-coerce", apiClientSecret });
    const res = await h.gql(RegisterCorreosEsCredentialDocument, { input } as never);
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(res.errors![0]!.message).toContain('Field "environment" of required type "CorreosEsEnvironment!" was not provided');
    expectNoSecret(res, [CORREOS_ES_DEMO.clientSecret, apiClientSecret]);
  });

  it("an enum value that does not exist is not echoed either", async () => {
    const res = await h.gql(RegisterCorreosEsCredentialDocument, { input: { ...correosEsInput("coerce-enum"), environment: "Staging-7731-Xq" } } as never);
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(res.errors![0]!.message).toContain('at "input.environment"');
    expectNoSecret(res, [CORREOS_ES_DEMO.clientSecret, "Staging-7731-Xq"]);
  });
});
