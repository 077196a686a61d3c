/* global process, console */
// The baseline every benchmark figure is compared with: a bare @apollo/server (standalone, node:http) answering
// `{ __typename }`, run as its own process like the subgraph, and like it without tsx (plain JavaScript, so neither
// pays for a loader the other lacks). Prints its URL as the first line of stdout.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const server = new ApolloServer({ typeDefs: "type Query { ok: Boolean }", resolvers: { Query: { ok: () => true } } });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 0), host: "127.0.0.1" } });
console.log(url);

const stop = () => void server.stop().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
