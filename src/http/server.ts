// The HTTP edge, composed: health probes, the admin console, downloads and GraphQL behind the router guard,
// authentication, the per-client rate limit and the body limit. Each concern lives in its own file here; this one
// wires them, listens and closes. Building the server is separate from start-up so tests can start it on port 0.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createContext } from "../schema/context.js";
import { createRequestLineLogger } from "../logger.js";
import { RateLimiter } from "./rate-limit.js";
import { runInRequestScope, setRequestScope, upstreamTotals } from "./request-scope.js";
import type { Services } from "../services/services.js";
import { createApollo, executeGraphQL } from "./apollo-bridge.js";
import { adminAssetsIfOn, isAdminPath, isConsoleCall, serveAdmin } from "./admin.js";
import { authenticate } from "./authenticate.js";
import { readGraphQLBody } from "./body.js";
import { clientIdOf, rateLimitKey } from "./client-id.js";
import { isDownloadPath, serveDownload } from "./downloads.js";
import { live, LIVENESS_PATHS, ready, READINESS_PATH } from "./health.js";
import { METRICS_PATH, serveMetrics } from "./metrics.js";
import { headerOf, sendGraphQLError, sendJson } from "./respond.js";
import { checkRouter } from "./router-guard.js";

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(services: Services, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { config, logger } = services;
  const apollo = await createApollo(services);
  const limiter = new RateLimiter(config.RATE_LIMIT_PER_MINUTE);
  const admin = adminAssetsIfOn(config.adminConsole);
  const requestLines = createRequestLineLogger(logger);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (LIVENESS_PATHS.has(url.pathname)) return live(res);
    if (url.pathname === READINESS_PATH) return ready(res, services);
    if (url.pathname === METRICS_PATH) return serveMetrics(req, res, services);
    // The console's files hold no data (its screens ask /graphql), so they are served before the router guard.
    if (admin && isAdminPath(url.pathname)) return serveAdmin(req, res, url.pathname, admin);
    const download = isDownloadPath(url.pathname);
    if (!download && url.pathname !== "/graphql" && url.pathname !== "/") return sendJson(res, 404, { error: "Not found. GraphQL is served at /graphql." });

    const requestId = headerOf(req, "x-request-id")?.slice(0, 100) || randomUUID();
    res.setHeader("x-request-id", requestId);
    setRequestScope({ requestId });
    const router = checkRouter(req, config.ROUTER_SECRET);
    const { auth, refusal } = await authenticate(req, config.authSecret, config.AUTH_MAX_TOKEN_AGE);
    // The console's own calls with a valid JWT need no router (src/http/admin.ts says why).
    if (!router.ok && !(admin && isConsoleCall(req, auth))) return sendGraphQLError(res, 401, router.message, "UNAUTHENTICATED");
    const caller = { auth, forwardedClientId: router.ok ? router.forwardedClientId : undefined };
    // Counted before a bad token is refused: guessing tokens is limited like any other request.
    const wait = limiter.take(rateLimitKey(caller, req.socket.remoteAddress));
    if (wait > 0) {
      res.setHeader("retry-after", String(wait));
      return sendGraphQLError(res, 429, `Too many requests for this client; retry in ${wait} s.`, "RATE_LIMITED");
    }
    if (refusal !== undefined) return sendGraphQLError(res, 401, refusal, "UNAUTHENTICATED");
    if (download) return serveDownload(url.pathname, res, auth, services);

    const body = await readGraphQLBody(req, res, config.MAX_BODY_BYTES);
    if (!body.ok) return;
    const started = performance.now();
    const status = await executeGraphQL(apollo, req, res, url, body.body, async () => createContext(services, { requestId, logger, ...caller }));
    // No child logger per request (pino's child serialises and redacts its bindings: ≈3 % of the warm path's CPU);
    // the line carries requestId itself, is not even built when info is off, and goes through the unredacted request
    // line logger (src/logger.ts says why): keep its fields to ids, a role, a status and counts.
    if (logger.isLevelEnabled("info")) {
      requestLines.info(
        { requestId, clientId: clientIdOf(caller, config.DEFAULT_CLIENT_ID), role: auth?.role, status, ms: Math.round(performance.now() - started), ...upstreamTotals() },
        "graphql request",
      );
    }
  }

  const server: Server = createServer((req, res) => {
    // One scope per request: upstream calls made for it log its id and client, and add to its totals (info lines:
    // below info nothing reads the scope, and it is not kept).
    runInRequestScope(() => handle(req, res), logger.isLevelEnabled("info")).catch((e: unknown) => {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, "request failed");
      if (!res.headersSent) sendGraphQLError(res, 500, "Internal error.", "INTERNAL_SERVER_ERROR");
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      void apollo.stop();
      reject(e.code === "EADDRINUSE" ? new Error(`Port ${opts.port ?? config.PORT} is already in use: set PORT to a free one.`) : e);
    });
    server.listen(opts.port ?? config.PORT, opts.host ?? config.HOST, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? config.HOST;
  return {
    url: `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host}:${port}/graphql`,
    port,
    close: async () => {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      await apollo.stop();
    },
  };
}
