// The span of one GraphQL operation. The HTTP edge opens it around Apollo's execution, as a child of the caller's
// W3C traceparent (the router's span), and makes it the active span so that every resolver, loader, store and
// upstream call below it is its child; the Apollo plugin names it once the operation is known and records its
// errors. With tracing off, neither does anything.
import type { IncomingHttpHeaders } from "node:http";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ApolloServerPlugin } from "@apollo/server";
import { ATTR_HTTP_REQUEST_METHOD, ATTR_URL_PATH } from "@opentelemetry/semantic-conventions";
import { failSpan, serviceTracer, tracingOn } from "./tracing.js";

export async function withOperationSpan<T>(headers: IncomingHttpHeaders, method: string, path: string, fn: () => Promise<T>): Promise<T> {
  if (!tracingOn()) return fn();
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  // Renamed by the plugin to "query OrderPage" once the document is parsed; a request that never parses keeps this.
  const span = serviceTracer().startSpan("graphql", { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path } }, parent);
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await fn();
    } catch (e) {
      failSpan(span, e);
      throw e;
    } finally {
      span.end();
    }
  });
}

/** Names the active operation span after the operation and marks it failed when the answer carries errors. */
export function operationSpanPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      if (!tracingOn()) return;
      const span = trace.getActiveSpan();
      if (!span) return;
      return {
        async didResolveOperation({ operation, operationName }) {
          const type = operation?.operation ?? "query";
          span.updateName(operationName ? `${type} ${operationName}` : type);
          span.setAttribute("graphql.operation.type", type);
          if (operationName) span.setAttribute("graphql.operation.name", operationName);
        },
        async didEncounterErrors({ errors }) {
          // Codes only: messages may quote input.
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR")))];
          span.setAttributes({ "graphql.error.count": errors.length, "graphql.error.codes": codes });
          span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(",") });
        },
      };
    },
  };
}
