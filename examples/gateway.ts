// A gateway for the example and the demo: composes a static supergraph from the subgraphs' SDL with
// @apollo/composition (what `rover supergraph compose` does) and serves it with @apollo/gateway. It plays the role
// Apollo Router plays in production: proves itself to the Correios subgraph with the router secret and forwards the
// shopper's client id as `x-client-id`, and the caller's own bearer token (a back office's client token, which the
// subgraph checks itself) as `authorization`. The caller's W3C `traceparent` / `tracestate` go on unchanged, so the
// subgraph's spans join the caller's trace as a router's would (Apollo Router puts its own span id there).
// The process that imports this should set APOLLO_TELEMETRY_DISABLED=true first (see /work/shared/stack-notes.md).
import type { IncomingMessage } from "node:http";
import { composeServices } from "@apollo/composition";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { parse, type GraphQLError } from "graphql";

export interface SubgraphEndpoint {
  name: string;
  url: string;
  /** The subgraph's SDL; fetched from its `_service { sdl }` when absent. */
  sdl?: string;
}

export interface GatewayOptions {
  subgraphs: SubgraphEndpoint[];
  port?: number;
  host?: string;
  /** Sent as `router-authorization` to every subgraph (the Correios subgraph's ROUTER_SECRET). */
  routerSecret?: string;
  /** The incoming header that names the client; forwarded to the subgraphs as `x-client-id`. */
  clientIdHeader?: string;
  /** The client to act for when a request names none (the demo's shop). */
  defaultClientId?: string;
}

export interface RunningGateway {
  url: string;
  supergraphSdl: string;
  close(): Promise<void>;
}

interface GatewayContext {
  clientId?: string;
  authorization?: string;
  traceparent?: string;
  tracestate?: string;
}

export class CompositionError extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super(`Supergraph composition failed:\n${errors.map((e) => `  - ${e.message}`).join("\n")}`);
  }
}

/** Composes the subgraphs into a supergraph SDL; throws a CompositionError listing every composition error. */
export async function composeSupergraph(subgraphs: SubgraphEndpoint[], routerSecret?: string): Promise<string> {
  const services = await Promise.all(
    subgraphs.map(async (s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl ?? (await fetchSdl(s, routerSecret))) })),
  );
  const result = composeServices(services);
  if (result.errors) throw new CompositionError(result.errors);
  return result.supergraphSdl;
}

async function fetchSdl(subgraph: SubgraphEndpoint, routerSecret?: string): Promise<string> {
  const res = await fetch(subgraph.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(routerSecret ? { "router-authorization": routerSecret } : {}) },
    body: JSON.stringify({ query: "{ _service { sdl } }" }),
  });
  const body = (await res.json().catch(() => undefined)) as { data?: { _service?: { sdl?: string } } } | undefined;
  const sdl = body?.data?._service?.sdl;
  if (!res.ok || !sdl) throw new Error(`Could not read the SDL of subgraph "${subgraph.name}" at ${subgraph.url} (HTTP ${res.status}).`);
  return sdl;
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const supergraphSdl = await composeSupergraph(opts.subgraphs, opts.routerSecret);
  const { routerSecret } = opts;
  const gateway = new ApolloGateway({
    supergraphSdl: withoutSecurityPurpose(supergraphSdl),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url,
        willSendRequest({ request, context }) {
          const headers = request.http?.headers;
          if (!headers) return;
          if (routerSecret) headers.set("router-authorization", routerSecret);
          const { clientId, authorization, traceparent, tracestate } = context as GatewayContext;
          if (clientId) headers.set("x-client-id", clientId);
          if (authorization) headers.set("authorization", authorization);
          if (traceparent) headers.set("traceparent", traceparent);
          if (tracestate) headers.set("tracestate", tracestate);
        },
      }),
  });
  // Whoever starts the gateway stops it: Apollo's own signal handler would race that close() (a second concurrent
  // stop() never settles in @apollo/server 5.5.1) and re-raise the signal before the other servers are stopped.
  const server = new ApolloServer<GatewayContext>({ gateway, stopOnTerminationSignals: false });
  const clientIdHeader = (opts.clientIdHeader ?? "x-client-id").toLowerCase();
  const { url } = await startStandaloneServer(server, {
    listen: { port: opts.port ?? 0, host: opts.host ?? "127.0.0.1" },
    context: async ({ req }) => ({
      clientId: headerOf(req, clientIdHeader) ?? opts.defaultClientId,
      authorization: headerOf(req, "authorization"),
      traceparent: headerOf(req, "traceparent"),
      tracestate: headerOf(req, "tracestate"),
    }),
  });
  return { url, supergraphSdl, close: () => server.stop() };
}

/**
 * @apollo/gateway refuses a supergraph whose @link says `for: SECURITY` (@authenticated, @requiresScopes): only Apollo
 * Router enforces those. This stand-in serves it without the router's early refusal; the Correios subgraph still
 * checks every token itself, so nothing is let through that it would refuse.
 */
export function withoutSecurityPurpose(supergraphSdl: string): string {
  return supergraphSdl.replace(/(@link\(url: "[^"]+"), for: SECURITY\)/g, "$1)");
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
}
