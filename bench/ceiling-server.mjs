// The throughput ceiling of this subgraph's schema: the same SDL (schema.graphql) served by @apollo/server (standalone,
// node:http, Apollo's default plugins) + buildSubgraphSchema, with `shipments` answered by objects built in memory: no
// services, no cache, no store, no auth. What graphql-js and Apollo cost for a query, without anything of ours.
// Shares no code with src/. Prints its URL as the first line of stdout, like the bare baseline.
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";

interface ShipmentView {
  code: string;
  status: string;
  stale: boolean;
}

const typeDefs = parse(readFileSync(new URL("../schema.graphql", import.meta.url), "utf8"));
const shipment = (code: string): ShipmentView => ({ code, status: "IN_TRANSIT", stale: false });
const resolvers = {
  Query: {
    shipment: (_: unknown, { code }: { code: string }) => shipment(code),
    shipments: (_: unknown, { codes }: { codes: string[] }) => codes.map(shipment),
  },
  Shipment: { __resolveReference: ({ code }: { code: string }) => shipment(code) },
};

// Apollo's info lines ("Enabling inline tracing…") would go to stdout, whose first line must be the URL.
const quiet = () => undefined;
const logger = { debug: quiet, info: quiet, warn: console.error, error: console.error };
const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }), logger });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 0), host: "127.0.0.1" } });
console.log(url);

const stop = () => void server.stop().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
