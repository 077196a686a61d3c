// One error mapping for every resolver: a class-level middleware turns whatever a resolver throws (service, upstream
// and store faults) into a GraphQL error with a code, through toGraphQLError. Applied with @UseMiddleware on
// resolver classes only, so it wraps queries, mutations and field resolvers, never the plain fields of a type.
import type { MiddlewareFn } from "type-graphql";
import { toGraphQLError } from "./errors.js";

export const MapErrors: MiddlewareFn = async (_action, next) => {
  try {
    return await next();
  } catch (e) {
    throw toGraphQLError(e);
  }
};
