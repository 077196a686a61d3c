// Apollo Server behind node:http: the server with its plugins and limits, and the bridge that hands it one request
// (headers, query string, parsed body) and writes its answer back.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { Context } from "../schema/context.js";
import { buildSubgraph } from "../schema/build.js";
import type { Services } from "../services/services.js";
import { operationSpanPlugin, withOperationSpan } from "../telemetry/operation-span.js";
import { cacheControlPlugin } from "./cache-control.js";
import { maskError } from "./error-masking.js";
import { inlineTracePlugin } from "./federated-tracing.js";
import { limitsPlugin } from "./graphql-limits.js";

export async function createApollo(services: Services): Promise<ApolloServer<Context>> {
  const { config, logger } = services;
  const apollo = new ApolloServer<Context>({
    schema: await buildSubgraph(),
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
      inlineTracePlugin(services),
      operationSpanPlugin(),
      // Apollo's cache-control plugin hooks every field (about 5 % of the warm path's CPU in the profile); the hints come
      // from the resolved entities instead (schema/cache-hints.ts), and cacheControlPlugin writes the header.
      ApolloServerPluginCacheControlDisabled(),
      cacheControlPlugin(),
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
  return apollo;
}

/** Runs one GraphQL request through Apollo and writes the answer; returns its HTTP status. */
export async function executeGraphQL(
  apollo: ApolloServer<Context>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: unknown,
  context: () => Promise<Context>,
): Promise<number> {
  const headers = new HeaderMap();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  const httpGraphQLRequest: HTTPGraphQLRequest = { method: (req.method ?? "GET").toUpperCase(), headers, search: url.search, body };
  const response = await withOperationSpan(req.headers, httpGraphQLRequest.method, url.pathname, () => apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context }));
  for (const [k, v] of response.headers) res.setHeader(k, v);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === "complete") {
    res.end(response.body.string);
  } else {
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
  return res.statusCode;
}
