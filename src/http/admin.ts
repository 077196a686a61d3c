// The admin console at /admin: hand-written HTML, CSS and ES modules from admin/ at the project root, served as they
// are (no build step, so `npm start` is enough) with a strict Content-Security-Policy: scripts, styles and calls only
// from this origin, no inline script, no framing. Only the files present at start-up answer; nothing else lives under
// /admin. The page itself holds no data: every screen asks /graphql with the JWT the user pasted.
import { readdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { AuthClaims } from "./auth.js";
import { headerOf, sendJson } from "./respond.js";

/** admin/ beside src/ (and beside dist/ after a build): this file sits two folders below the project root in both. */
const ASSETS_DIR = fileURLToPath(new URL("../../admin/", import.meta.url));
export const ADMIN_PATH = "/admin";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

export type AdminAssets = ReadonlyMap<string, Asset>;

/** Reads the console's files once: URL path (under /admin/) → bytes, content type and ETag. */
export function loadAdminAssets(dir = ASSETS_DIR): AdminAssets {
  const assets = new Map<string, Asset>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const type = CONTENT_TYPES[extname(entry.name)];
    if (!entry.isFile() || !type) continue;
    const file = join(entry.parentPath, entry.name);
    const body = readFileSync(file);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    assets.set(`${ADMIN_PATH}/${relative(dir, file).split(sep).join("/")}`, { body, type, etag });
  }
  return assets;
}

export function isAdminPath(path: string): boolean {
  return path === ADMIN_PATH || path.startsWith(`${ADMIN_PATH}/`);
}

export function serveAdmin(req: IncomingMessage, res: ServerResponse, path: string, assets: AdminAssets): void {
  if (path === ADMIN_PATH) {
    res.writeHead(308, { location: `${ADMIN_PATH}/` });
    return void res.end();
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return sendJson(res, 405, { error: "The admin console only answers GET." });
  }
  const asset = assets.get(path.endsWith("/") ? `${path}index.html` : path);
  if (!asset) return sendJson(res, 404, { error: "Not found. The admin console is at /admin/." });
  const headers = {
    "content-type": asset.type,
    "content-security-policy": ADMIN_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    // Revalidated on every load: a new version of the console is picked up without a stale module beside a new one.
    "cache-control": "no-cache",
    etag: asset.etag,
  };
  if (headerOf(req, "if-none-match") === asset.etag) {
    res.writeHead(304, headers);
    return void res.end();
  }
  res.writeHead(200, { ...headers, "content-length": asset.body.length });
  res.end(req.method === "HEAD" ? undefined : asset.body);
}

/**
 * With ROUTER_SECRET set, the subgraph answers only its router, yet the console in a browser cannot hold the router's
 * secret. Its calls are answered without it when they carry a valid bearer JWT (which names who asks, so the router's
 * word is not needed; x-client-id is still never believed on them) and come from the console's own page: the
 * browser's `sec-fetch-site: same-origin`, which no other web page can make a browser send. Anonymous calls still
 * need the router. ADMIN_CONSOLE=false turns this off with the console.
 */
export function isConsoleCall(req: IncomingMessage, auth: AuthClaims | undefined): boolean {
  return auth !== undefined && headerOf(req, "sec-fetch-site") === "same-origin";
}

/** The console's files when ADMIN_CONSOLE is on (read once at start-up), else nothing: /admin is then a 404. */
export function adminAssetsIfOn(on: boolean): AdminAssets | undefined {
  return on ? loadAdminAssets() : undefined;
}
