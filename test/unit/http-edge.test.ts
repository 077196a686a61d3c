// The HTTP edge's pieces, one by one, each against a real node:http request on loopback.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { signJwt } from "../../src/http/auth.js";
import { authenticate } from "../../src/http/authenticate.js";
import { readGraphQLBody } from "../../src/http/body.js";
import { clientIdOf, rateLimitKey } from "../../src/http/client-id.js";
import { isDownloadPath } from "../../src/http/downloads.js";
import { LIVENESS_PATHS } from "../../src/http/health.js";
import { checkRouter, sameSecret } from "../../src/http/router-guard.js";
import { sendJson } from "../../src/http/respond.js";

const SECRET = "unit-test-secret-that-is-long-enough-0000";
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** Serves one handler on a free port and sends it one request. */
async function roundTrip(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void, init: RequestInit & { path?: string } = {}): Promise<Response> {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  close = () => new Promise((r) => server.close(() => r()));
  const { port } = server.address() as AddressInfo;
  return fetch(`http://127.0.0.1:${port}${init.path ?? "/"}`, init);
}

describe("router guard", () => {
  it("compares in constant time and believes x-client-id only with the secret", async () => {
    expect(sameSecret("abc", "abc")).toBe(true);
    expect(sameSecret("abd", "abc")).toBe(false);
    expect(sameSecret(undefined, "abc")).toBe(false);
    const res = await roundTrip(
      (req, res) => sendJson(res, 200, [checkRouter(req, "router-secret-0123456789"), checkRouter(req, undefined)]),
      { headers: { "router-authorization": "router-secret-0123456789", "x-client-id": "shop-1" } },
    );
    expect(await res.json()).toEqual([{ ok: true, forwardedClientId: "shop-1" }, { ok: true }]);
    const refused = await roundTrip((req, res) => sendJson(res, 200, checkRouter(req, "router-secret-0123456789")), { headers: { "x-client-id": "shop-1" } });
    expect(((await refused.json()) as { ok: boolean }).ok).toBe(false);
  });
});

describe("authenticate", () => {
  it("no header is anonymous, a valid token gives its claims, anything else a refusal", async () => {
    const token = await signJwt({ role: "client", clientId: "shop-1" }, SECRET);
    const run = (headers: Record<string, string>) => roundTrip(async (req, res) => sendJson(res, 200, await authenticate(req, SECRET, 86_400)), { headers });
    expect(await (await run({})).json()).toEqual({});
    expect(await (await run({ authorization: `Bearer ${token}` })).json()).toMatchObject({ auth: { role: "client", clientId: "shop-1" } });
    expect(await (await run({ authorization: token })).json()).toMatchObject({ refusal: expect.stringMatching(/Bearer/) });
    expect(await (await run({ authorization: "Bearer nope" })).json()).toHaveProperty("refusal");
  });
});

describe("client id", () => {
  it("token first, then the router's header, then the default; the rate key falls back to role and address", () => {
    expect(clientIdOf({ auth: { role: "client", clientId: "a" }, forwardedClientId: "b" }, "c")).toBe("a");
    expect(clientIdOf({ forwardedClientId: "b" }, "c")).toBe("b");
    expect(clientIdOf({}, "c")).toBe("c");
    expect(rateLimitKey({ auth: { role: "operator" } }, "1.2.3.4")).toBe("role:operator");
    expect(rateLimitKey({}, "1.2.3.4")).toBe("ip:1.2.3.4");
  });
});

describe("body", () => {
  it("parses JSON, refuses bad JSON with 400 and an oversized body with 413 at once", async () => {
    const handler = async (req: IncomingMessage, res: ServerResponse) => {
      const r = await readGraphQLBody(req, res, 64);
      if (r.ok) sendJson(res, 200, { body: r.body });
    };
    const ok = await roundTrip(handler, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{a}"}' });
    expect(await ok.json()).toEqual({ body: { query: "{a}" } });
    const bad = await roundTrip(handler, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(bad.status).toBe(400);
    const big = await roundTrip(handler, { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(1000) });
    expect(big.status).toBe(413);
  });
});

describe("paths", () => {
  it("knows its health and download paths, nothing else", () => {
    expect(LIVENESS_PATHS.has("/health/live")).toBe(true);
    expect(isDownloadPath(`/labels/LJ${"a".repeat(32)}.pdf`)).toBe(true);
    expect(isDownloadPath(`/postings/PR${"A".repeat(22)}/declaration.html`)).toBe(true);
    expect(isDownloadPath("/labels/../secrets.json")).toBe(false);
  });
});
