// The admin console's files as the subgraph serves them (CSP, content types, nothing else under /admin, the switch),
// the router guard's one exception for the console, and the console's own sources checked against the schema and its
// texts: no browser needed. The browser tests are admin-console.test.ts and admin-console-webhooks.test.ts.
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSchema, parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { ADMIN_CSP } from "../src/http/admin.js";
import { AUTH_SECRET, CREDENTIALS_KEY, startHarness, type Harness } from "./helpers/harness.js";

const ROOT = join(import.meta.dirname, "..");
const ROUTER_SECRET = "router-secret-for-the-console-test";
/** The console's own browser modules, loaded as they are (plain JavaScript, no types). */
const adminModule = (name: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(ROOT, "admin", name)).href);

describe("the console's files", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ROUTER_SECRET } });
  });
  afterAll(() => h.close());
  const origin = () => new URL(h.server.url).origin;

  it("serves /admin/ with a strict CSP and the right content types, and nothing else under /admin", async () => {
    const redirect = await fetch(`${origin()}/admin`, { redirect: "manual" });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get("location")).toBe("/admin/");
    const page = await fetch(`${origin()}/admin/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toBe(ADMIN_CSP);
    expect(ADMIN_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await page.text();
    // No inline script or style anywhere: the CSP would refuse it.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/\sstyle=|<style/);
    expect((await fetch(`${origin()}/admin/app.js`)).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await fetch(`${origin()}/admin/styles.css`)).headers.get("content-type")).toBe("text/css; charset=utf-8");
    for (const path of ["/admin/nothing.js", "/admin/../package.json", "/admin/%2e%2e/package.json", "/admin/.eslintrc"]) {
      expect((await fetch(`${origin()}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${origin()}/admin/app.js`, { method: "POST" })).status).toBe(405);
  });

  it("is off with ADMIN_CONSOLE=false, and by default in production", async () => {
    await h.restart({ ADMIN_CONSOLE: "false" });
    expect((await fetch(`${origin()}/admin/`)).status).toBe(404);
    const env = { AUTH_SECRET, CREDENTIALS_KEY, DATA_DIR: tmpdir() };
    expect(loadConfig({ ...env, NODE_ENV: "production" }).adminConsole).toBe(false);
    expect(loadConfig({ ...env, NODE_ENV: "production", ADMIN_CONSOLE: "true" }).adminConsole).toBe(true);
    expect(loadConfig({ ...env, NODE_ENV: "development" }).adminConsole).toBe(true);
    await h.restart({ ADMIN_CONSOLE: "true" });
    expect((await fetch(`${origin()}/admin/`)).status).toBe(200);
  });

  it("lets only a same-origin browser call with a valid JWT past the router guard", async () => {
    const ask = (headers: Record<string, string>) =>
      fetch(h.server.url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query: "{ credentials { clientId } }" }) });
    const bearer = { authorization: `Bearer ${h.operatorToken}` };
    expect((await ask({ ...bearer, "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await ask(bearer)).status).toBe(401);
    expect((await ask({ ...bearer, "sec-fetch-site": "cross-site" })).status).toBe(401);
    expect((await ask({ "sec-fetch-site": "same-origin" })).status).toBe(401);
    expect((await ask({ authorization: "Bearer not-a-token", "sec-fetch-site": "same-origin" })).status).toBe(401);
    expect((await ask({ ...bearer, "router-authorization": ROUTER_SECRET })).status).toBe(200);
    // Without the console, the router guard stands as before.
    await h.restart({ ADMIN_CONSOLE: "false" });
    expect((await ask({ ...bearer, "sec-fetch-site": "same-origin" })).status).toBe(401);
    await h.restart({ ADMIN_CONSOLE: "true" });
  });

  it("sends only operations that are valid against schema.graphql", async () => {
    const operations = await adminModule("operations.js");
    const schema = buildSchema(readFileSync(join(ROOT, "schema.graphql"), "utf8"));
    const docs = Object.entries(operations).filter(([, v]) => typeof v === "string");
    expect(docs.length).toBeGreaterThan(10);
    for (const [name, text] of docs) expect(validate(schema, parse(text as string)).map((e) => e.message), name).toEqual([]);
  });

  it("has every text it shows in Portuguese and English", async () => {
    const { PT } = (await adminModule("texts-pt.js")) as { PT: Record<string, string> };
    const { EN } = (await adminModule("texts-en.js")) as { EN: Record<string, string> };
    const used = new Set<string>();
    for (const f of readdirSync(join(ROOT, "admin")).filter((n) => n.endsWith(".js") || n.endsWith(".html"))) {
      const src = readFileSync(join(ROOT, "admin", f), "utf8");
      for (const m of src.matchAll(/\bt\("([\w.]+)"/g)) used.add(m[1]!);
      for (const m of src.matchAll(/data-i18n(?:-aria-label)?="([\w.]+)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !(k in PT))).toEqual([]);
    expect(Object.keys(EN).sort()).toEqual(Object.keys(PT).sort());
  });
});
