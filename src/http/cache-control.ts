// Cache-Control on GraphQL answers, for Apollo Router's entity cache (and any HTTP cache in front): a query whose every
// part was hinted (schema/cache-hints.ts) gets `max-age=N, public|private`, in the form Apollo Server's own plugin
// writes and @apollo/gateway reads. Everything else gets `no-store`: mutations, answers with errors, and answers with
// a part nobody hinted. `no-store` rather than no header, because a router uses its configured TTL for an answer
// without one.
import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import type { Context } from "../schema/context.js";

const UNCACHEABLE = "no-store";

const listener: GraphQLRequestListener<Context> = {
  async willSendResponse({ response, operation, contextValue }) {
    const body = response.body;
    let header = UNCACHEABLE;
    if (operation?.operation === "query" && body.kind === "single" && !body.singleResult.errors) {
      const policy = contextValue.cacheHints.policyFor(body.singleResult.data);
      if (policy) header = `max-age=${policy.maxAge}, ${policy.scope === "PRIVATE" ? "private" : "public"}`;
    }
    response.http.headers.set("cache-control", header);
  },
};

/** One listener object for every request: the per-request state lives in the context's CacheHints. */
export function cacheControlPlugin(): ApolloServerPlugin<Context> {
  return { requestDidStart: async () => listener };
}
