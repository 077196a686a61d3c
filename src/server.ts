// Apollo Server on node:http: the router-secret guard, body limit, authentication, per-client rate limit, health
// probes and error masking. Building the server is separate from start-up so tests can start it on port 0.
import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { GraphQLError, Kind, type GraphQLFormattedError } from "graphql";
import { AuthError, verifyJwt, type AuthClaims } from "./auth.js";
import { createContext, type Context } from "./context.js";
import { limitsPlugin } from "./graphql-limits.js";
import { RateLimiter } from "./rate-limit.js";
import { runInRequestScope, setRequestScope, upstreamTotals } from "./request-scope.js";
import { buildSubgraph } from "./schema/build.js";
import { toGraphQLError } from "./schema/errors.js";
import type { Services } from "./services/services.js";

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HEALTH_PATHS = new Set(["/.well-known/apollo/server-health", "/health/live", "/healthz"]);

export async function startServer(services: Services, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { config, logger } = services;
  const schema = await buildSubgraph();
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    // Parsing stops at this many tokens, before validation (whose overlapping-fields rule is the costly one) runs.
    parseOptions: { maxTokens: config.MAX_QUERY_TOKENS },
    // With introspection off, "Did you mean …" would still spell out the schema; maskError drops the ones from coercion.
    validationOptions: { hideSuggestions: config.production },
    csrfPrevention: true,
    // index.ts owns the signals: it closes the HTTP server, then Apollo, then the store, in that order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !config.production,
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // No cache hints are set here (answers are cached per client inside), and the plugin's per-field hook made every
      // field go through Apollo's instrumentation: about 5 % of the warm path's CPU in the profile.
      ApolloServerPluginCacheControlDisabled(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      limitsPlugin({
        maxDepth: config.MAX_QUERY_DEPTH,
        maxCost: config.MAX_QUERY_COST,
        maxQuotes: config.MAX_QUOTES_PER_REQUEST,
        defaultQuoteServices: services.quotes.defaultServices().length,
      }),
    ],
    formatError: (formatted, error) => maskError(formatted, error, services),
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  await apollo.start();
  const limiter = new RateLimiter(config.RATE_LIMIT_PER_MINUTE);

  const server: Server = createHttpServer((req, res) => {
    // One scope per request: upstream calls made for it log its id and client, and add to its totals.
    runInRequestScope(() => handle(req, res)).catch((e: unknown) => {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (HEALTH_PATHS.has(url.pathname)) return sendJson(res, 200, { status: "pass" });
    if (url.pathname === "/health/ready") return ready(res);
    if (url.pathname !== "/graphql" && url.pathname !== "/") return sendJson(res, 404, { error: "Not found. GraphQL is served at /graphql." });

    const requestId = headerOf(req, "x-request-id")?.slice(0, 100) || randomUUID();
    res.setHeader("x-request-id", requestId);
    setRequestScope({ requestId });
    const log = logger.child({ requestId });

    if (config.ROUTER_SECRET && !sameSecret(headerOf(req, "router-authorization"), config.ROUTER_SECRET)) {
      return sendGraphQLError(res, 401, "This subgraph only answers its router: the router-authorization header is missing or wrong.", "UNAUTHENTICATED");
    }

    let auth: AuthClaims | undefined;
    let authRefusal: string | undefined;
    const authorization = headerOf(req, "authorization");
    if (authorization) {
      const m = /^Bearer\s+(.+)$/i.exec(authorization);
      try {
        if (!m) throw new AuthError("The Authorization header must be 'Bearer <token>'.");
        auth = await verifyJwt(m[1]!.trim(), config.authSecret, config.AUTH_MAX_TOKEN_AGE);
      } catch (e) {
        authRefusal = e instanceof AuthError ? e.message : "Invalid token.";
      }
    }
    // x-client-id is only believed when the router proved itself with the shared secret.
    const forwardedClientId = config.ROUTER_SECRET ? headerOf(req, "x-client-id")?.slice(0, 64) || undefined : undefined;
    const clientKey = auth?.clientId ?? forwardedClientId ?? (auth ? `role:${auth.role}` : `ip:${req.socket.remoteAddress}`);
    // Counted before a bad token is refused: guessing tokens is limited like any other request.
    const wait = limiter.take(clientKey);
    if (wait > 0) {
      res.setHeader("retry-after", String(wait));
      return sendGraphQLError(res, 429, `Too many requests for this client; retry in ${wait} s.`, "RATE_LIMITED");
    }
    if (authRefusal !== undefined) return sendGraphQLError(res, 401, authRefusal, "UNAUTHENTICATED");

    let body: unknown;
    if (req.method === "POST") {
      const raw = await readBody(req, config.MAX_BODY_BYTES);
      if (raw === undefined) {
        // Answered before the body ends, which is then never read: the connection cannot serve another request, so
        // it is closed once the answer is out.
        res.setHeader("connection", "close");
        res.once("finish", () => req.destroy());
        return sendGraphQLError(res, 413, `Request body is larger than ${config.MAX_BODY_BYTES} bytes.`, "PAYLOAD_TOO_LARGE");
      }
      const type = headerOf(req, "content-type") ?? "";
      if (type.includes("json")) {
        try {
          body = raw.length ? JSON.parse(raw) : undefined;
        } catch {
          return sendGraphQLError(res, 400, "The request body is not valid JSON.", "BAD_REQUEST");
        }
      } else {
        body = raw;
      }
    }

    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: (req.method ?? "GET").toUpperCase(), headers, search: url.search, body };
    const started = performance.now();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => createContext(services, { requestId, logger: log, auth, forwardedClientId }),
    });
    for (const [k, v] of response.headers) res.setHeader(k, v);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
    log.info(
      {
        clientId: auth?.clientId ?? forwardedClientId ?? config.DEFAULT_CLIENT_ID,
        role: auth?.role,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        ...upstreamTotals(),
      },
      "graphql request",
    );
  }

  async function ready(res: ServerResponse): Promise<void> {
    let storeOk = true;
    try {
      await services.store.ping();
    } catch {
      storeOk = false;
    }
    // Breaker states come from memory: a probe never calls Correios.
    sendJson(res, storeOk ? 200 : 503, {
      status: storeOk ? "pass" : "fail",
      store: { kind: services.store.kind, ok: storeOk },
      upstream: services.http.breakerStates(),
      // What batching and caching saved since start: codes asked vs. served from cache, merged, and sent upstream.
      counters: {
        tracking: services.tracking.stats,
        quotes: services.quotes.stats,
        proofs: services.proofs.stats,
        upstreamCalls: services.http.stats.calls,
      },
    });
  }

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

function maskError(formatted: GraphQLFormattedError, error: unknown, services: Services): GraphQLFormattedError {
  const masked = maskErrorContent(formatted, error, services);
  let message = printable(masked.message);
  // Introspection is off in production; a suggestion from variable coercion would still name fields and enum values.
  if (services.config.production) message = message.replace(/ ?Did you mean [^?]*\?$/, "");
  return message === masked.message ? masked : { ...masked, message };
}

/**
 * Messages may quote input (a field name from a variable, a string literal, a client id): NUL, bidi overrides and
 * other invisible characters become U+FFFD, line breaks a space, so what the caller reads is what the text says.
 */
function printable(message: string): string {
  return message.replace(/[\t\n\r\u2028\u2029]/g, " ").replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, "\uFFFD");
}

function maskErrorContent(formatted: GraphQLFormattedError, error: unknown, services: Services): GraphQLFormattedError {
  const variableMessage = variableErrorWithoutValue(error);
  if (variableMessage !== undefined) {
    // The stacktrace goes too: it is the reason's, and its first line may print the value.
    const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
    return { message: variableMessage, locations: formatted.locations, extensions: { ...extensions, code: "BAD_USER_INPUT" } };
  }
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const code = formatted.extensions?.code;
  // Anything that is not one of our typed errors (or a GraphQL validation error) is logged and replaced.
  if (code === "INTERNAL_SERVER_ERROR" || code === undefined) {
    if (!(original instanceof GraphQLError)) {
      // A typed error that a resolver let through (a store failure in a plain read) keeps its code from the one table.
      const typed = toGraphQLError(original);
      if (typed.extensions.code !== "INTERNAL_SERVER_ERROR") return { message: typed.message, path: formatted.path, locations: formatted.locations, extensions: typed.extensions };
      services.logger.error({ err: original instanceof Error ? original.message : String(original), path: formatted.path }, "unexpected error");
      return { message: "Internal error.", path: formatted.path, locations: formatted.locations, extensions: { code: "INTERNAL_SERVER_ERROR" } };
    }
  }
  if (services.config.production && formatted.extensions && "stacktrace" in formatted.extensions) {
    const { stacktrace: _s, ...extensions } = formatted.extensions;
    return { ...formatted, extensions };
  }
  return formatted;
}

/**
 * graphql-js prints the whole value of a variable that fails coercion into its message (`Variable "$input" got invalid
 * value { …, accessCode: "…" } at "input.x"; <reason>`), and a scalar's or enum's reason prints the value once more.
 * This keeps the variable, the path and the reason, without the value. Undefined for any other error.
 */
function variableErrorWithoutValue(error: unknown): string | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return undefined;
  const name = node.variable.name.value;
  const head = `Variable "$${name}" got invalid value`;
  if (!error.message.startsWith(`${head} `)) return undefined;
  const reason = error.originalError?.message;
  const rest = error.message.slice(head.length + 1);
  // Without the reason to split on, the value cannot be told apart from the rest: say only which variable.
  if (!reason || !rest.endsWith(`; ${reason}`)) return `${head}.`;
  const valueAndPath = rest.slice(0, -(reason.length + 2));
  // A GraphQL name and path segments only: a value's printed text cannot end like this (its quotes are escaped).
  const path = new RegExp(` at "${name}(?:\\.[_A-Za-z][_0-9A-Za-z]*|\\[\\d+\\])*"$`).exec(valueAndPath)?.[0] ?? "";
  const shown = valueAndPath.slice(0, valueAndPath.length - path.length);
  return `${head}${path}; ${reasonWithoutValue(reason, shown)}`;
}

/** `String cannot represent a non string value: 123` → `… value`; a value quoted mid-sentence becomes <hidden>. */
function reasonWithoutValue(reason: string, shown: string): string {
  const forms = [shown];
  // A custom scalar may print a string raw, without the quotes; short ones are left alone (they would match words).
  if (shown.startsWith('"')) {
    try {
      const raw: unknown = JSON.parse(shown);
      if (typeof raw === "string" && raw.length >= 4) forms.push(raw);
    } catch {
      // not a JSON string: only the printed form is hidden
    }
  }
  let out = reason;
  for (const form of forms) {
    if (!form) continue;
    for (const tail of [`: ${form}`, `: ${form}.`]) if (out.endsWith(tail)) out = out.slice(0, -tail.length) + (tail.endsWith(".") ? "." : "");
    out = out.replace(wholeToken(form), "<hidden>");
  }
  return out;
}

/**
 * The value where it stands on its own, not inside a longer word: a value "Environment" hides `"Environment"`, not
 * the end of `CorreosEsEnvironment`. The edges are checked only where the value itself begins or ends with a word
 * character (a quoted value is delimited by its quotes).
 */
function wholeToken(form: string): RegExp {
  const word = /[\p{L}\p{N}_]/u;
  const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const before = word.test(form[0]!) ? "(?<![\\p{L}\\p{N}_])" : "";
  const after = word.test(form.at(-1)!) ? "(?![\\p{L}\\p{N}_])" : "";
  return new RegExp(`${before}${escaped}${after}`, "gu");
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The body as text, or undefined as soon as it passes `limit` bytes: the rest is left unread (see the 413 above). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (declared > limit) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off("data", onData).off("end", onEnd).pause();
        chunks.length = 0;
        return resolve(undefined);
      }
      chunks.push(c);
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString("utf8"));
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendGraphQLError(res: ServerResponse, status: number, message: string, code: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}
