/* global process, console, URL */
// The throughput ceiling of this subgraph's schema: the same SDL (schema.graphql) served by @apollo/server (standalone,
// node:http) + buildSubgraphSchema, with `shipments` answered by objects built in memory: no services, no cache, no
// store, no auth. What graphql-js and Apollo cost for a query, without anything of ours. Plain JavaScript like the
// bare baseline (under tsx, its loader hooks showed ≈4 % of the ceiling's CPU at run time), and without Apollo's
// cache-control plugin, which the subgraph does not run either (its per-field hook is ≈6 % here): a ceiling must
// not be slowed by what the subgraph is spared. Shares no code with src/. Prints its URL as the first line of stdout.
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";

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
const server = new ApolloServer({
  schema: buildSubgraphSchema({ typeDefs, resolvers }),
  plugins: [ApolloServerPluginCacheControlDisabled()],
  logger,
});
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 0), host: "127.0.0.1" } });
console.log(url);

const stop = () => void server.stop().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
