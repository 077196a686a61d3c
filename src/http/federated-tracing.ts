// Apollo's inline trace (ftv1) for the router: answered only when a request carries
// `apollo-federation-include-trace: ftv1`, otherwise Apollo's plugin returns before building anything per field.
// Errors go into the trace masked exactly as in the answer (error-masking.ts), not Apollo's default "<masked>" nor
// the raw text: a trace is read by whoever reads GraphOS, and a raw error may quote a secret. Apollo's own `transform`
// option cannot do it: it is handed a shallow copy without the error's nodes and original error, which the masking of
// a variable's value needs. So the errors are masked before the plugin sees them, and it keeps them as given.
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginInlineTrace } from "@apollo/server/plugin/inlineTrace";
import { GraphQLError } from "graphql";
import type { Services } from "../services/services.js";
import { maskError } from "./error-masking.js";

export function inlineTracePlugin<C extends object>(services: Services): ApolloServerPlugin<C> {
  const inner = ApolloServerPluginInlineTrace({ includeErrors: { unmodified: true } }) as ApolloServerPlugin<C>;
  // Apollo logs this itself only when it installs the plugin on its own; installed here, it is said here.
  services.logger.info("Enabling inline tracing for this subgraph (ftv1, for requests that ask; errors masked as in answers).");
  return {
    // Apollo's internal plugin id comes along, so Apollo does not install a second inline trace plugin.
    ...inner,
    async requestDidStart(requestContext) {
      const listener = await inner.requestDidStart?.(requestContext);
      if (!listener?.didEncounterErrors) return listener;
      const record = listener.didEncounterErrors.bind(listener);
      return {
        ...listener,
        didEncounterErrors: (errorContext) => record({ ...errorContext, errors: errorContext.errors.map((e) => masked(e, services)) }),
      };
    },
  };
}

function masked(error: GraphQLError, services: Services): GraphQLError {
  // The answer's formatError logs an unexpected error; the trace's copy is not logged again.
  const m = maskError(error.toJSON(), error, services, { log: false });
  return new GraphQLError(m.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: m.extensions });
}
