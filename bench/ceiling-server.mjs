/* global process, console, URL */
// The throughput ceiling of this subgraph's schema: the same SDL (schema.graphql) served by @apollo/server (standalone,
// node:http) + buildSubgraphSchema, with `shipments` answered by objects built in memory: no services, no cache, no
// store, no auth. What graphql-js and Apollo cost for a query, without anything of ours. Plain JavaScript like the
// bare baseline (under tsx, its loader hooks showed ≈4 % of the ceiling's CPU at run time), and without Apollo's
// cache-control plugin, which the subgraph does not run either (its per-field hook is ≈6 % here): a ceiling must
// not be slowed by what the subgraph is spared. Shares no code with src/. Prints its URL as the first line of stdout.
// CEILING_EXECUTOR=graphql-jit runs the same operations through graphql-jit instead of graphql-js (the `jit` scenario:
// what another executor could win at most, since the subgraph's own work is outside the executor).
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse, printSchema } from "graphql";
import { compileQuery, isCompiledQuery } from "graphql-jit";

const typeDefs = parse(readFileSync(new URL("../schema.graphql", import.meta.url), "utf8"));
const shipment = (code) => ({ code, status: "IN_TRANSIT", stale: false });
const resolvers = {
  Query: {
    shipment: (_, { code }) => shipment(code),
    shipments: (_, { codes }) => codes.map(shipment),
  },
  Shipment: { __resolveReference: ({ code }) => shipment(code) },
};

// Apollo's info lines ("Enabling inline tracing…") would go to stdout, whose first line must be the URL.
const quiet = () => undefined;
const logger = { debug: quiet, info: quiet, warn: console.error, error: console.error };
const schema = buildSubgraphSchema({ typeDefs, resolvers });

/**
 * Apollo Server's gateway interface is its one hook for another executor: it still parses, validates and caches the
 * documents, and hands each operation to `executor`. Each document is compiled once (Apollo keeps parsed documents).
 */
function jitGateway() {
  const compiled = new WeakMap();
  const executor = async ({ document, operationName, request, contextValue }) => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    let query = byName.get(operationName ?? "");
    if (!query) byName.set(operationName ?? "", (query = compileQuery(schema, document, operationName ?? undefined)));
    if (!isCompiledQuery(query)) return query;
    return query.query(undefined, contextValue, request.variables ?? {});
  };
  return {
    load: async () => ({ schema, executor }),
    onSchemaLoadOrUpdate: (callback) => {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    stop: async () => undefined,
  };
}

const jit = process.env.CEILING_EXECUTOR === "graphql-jit";
const server = new ApolloServer({
  ...(jit ? { gateway: jitGateway() } : { schema }),
  plugins: [ApolloServerPluginCacheControlDisabled()],
  logger,
});
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 0), host: "127.0.0.1" } });
console.log(url);

const stop = () => void server.stop().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
