// The orders subgraph: its SDL (schema.graphql beside this file), its resolvers, and a standalone Apollo Server.
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { GraphQLError, parse } from "graphql";
import { buildOrders, type Order } from "./orders.js";

/** The subgraph SDL, as composition and codegen read it. */
export const ORDERS_SDL = readFileSync(new URL("./schema.graphql", import.meta.url), "utf8");

export interface RunningOrdersSubgraph {
  url: string;
  close(): Promise<void>;
}

export async function startOrdersSubgraph(
  opts: { port?: number; host?: string; orderCount?: number } = {},
): Promise<RunningOrdersSubgraph> {
  const orders = buildOrders(opts.orderCount ?? 120);
  const byId = new Map(orders.map((o) => [o.id, o]));
  const resolvers = {
    Query: {
      // An explicit null skips the SDL default.
      orders: (_: unknown, { first }: { first: number | null }) => {
        if (first !== null && first < 0) throw new GraphQLError("first must be 0 or more.", { extensions: { code: "BAD_USER_INPUT" } });
        return orders.slice(0, first ?? 20);
      },
      order: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null,
    },
    Order: {
      __resolveReference: ({ id }: { id: string }) => byId.get(id) ?? null,
      // A reference only: the gateway asks the Correios subgraph for everything else about the parcel.
      shipment: (o: Order) => ({ __typename: "Shipment", code: o.trackingCode }),
    },
  };
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(ORDERS_SDL), resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    // close() is the way to stop it (see examples/gateway.ts).
    stopOnTerminationSignals: false,
  });
  const { url } = await startStandaloneServer(server, { listen: { port: opts.port ?? 0, host: opts.host ?? "127.0.0.1" } });
  return { url, close: () => server.stop() };
}
