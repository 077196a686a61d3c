// GraphQL errors with fixed codes, and the one function that turns an upstream failure into one of them.
import { GraphQLError } from "graphql";
import { UpstreamError } from "../upstream/errors.js";
import { ServiceError } from "../services/service-error.js";
import { SecretTamperedError } from "../store/secret-box.js";
import { StoreUnavailableError } from "../store/store-guard.js";

export class UnauthenticatedError extends GraphQLError {
  constructor(message = "Authentication required: send a valid bearer token.") {
    super(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(message = "You are not allowed to act on this client.") {
    super(message, { extensions: { code: "FORBIDDEN", http: { status: 403 } } });
  }
}

export class BadUserInputError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(message, { extensions: { code: "BAD_USER_INPUT", ...(field ? { field } : {}) } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: "NOT_FOUND" } });
  }
}

const CODE_OF: Record<UpstreamError["kind"], string> = {
  CREDENTIAL_REJECTED: "CREDENTIAL_REJECTED",
  TOKEN_REJECTED: "CREDENTIAL_REJECTED",
  API_NOT_ENABLED: "API_NOT_ENABLED",
  REQUEST_REJECTED: "UPSTREAM_REJECTED",
  RATE_LIMITED: "UPSTREAM_RATE_LIMITED",
  UNAVAILABLE: "UPSTREAM_UNAVAILABLE",
  TIMEOUT: "UPSTREAM_TIMEOUT",
  BAD_RESPONSE: "UPSTREAM_UNAVAILABLE",
};

export function toGraphQLError(e: unknown): GraphQLError {
  if (e instanceof GraphQLError) return e;
  if (e instanceof SecretTamperedError) {
    return new GraphQLError("The stored credential failed its integrity check (it was altered or copied from another client). Register it again.", {
      extensions: { code: "CREDENTIAL_TAMPERED" },
    });
  }
  if (e instanceof ServiceError) return new GraphQLError(e.message, { extensions: { ...e.extensions, code: e.code } });
  if (e instanceof StoreUnavailableError) {
    // Nothing read from the store is made up and nothing written is acknowledged; a timed-out write may still land,
    // so sending the same registration again is the way to be sure.
    return new GraphQLError(`The service's store is unavailable (${e.reason}). Nothing was answered from it or saved for certain: retry shortly.`, {
      extensions: { code: "STORE_UNAVAILABLE", store: e.store },
    });
  }
  if (e instanceof UpstreamError) {
    return new GraphQLError(e.message, {
      extensions: {
        code: CODE_OF[e.kind],
        upstream: {
          api: e.api,
          reason: e.kind,
          ...(e.details.status ? { status: e.details.status } : {}),
          ...(e.details.upstreamMessages?.length ? { messages: e.details.upstreamMessages } : {}),
          ...(e.details.retryAfterSeconds !== undefined ? { retryAfterSeconds: e.details.retryAfterSeconds } : {}),
          ...(e.details.circuitOpen ? { circuitOpen: true } : {}),
        },
      },
    });
  }
  return new GraphQLError("Internal error.", { extensions: { code: "INTERNAL_SERVER_ERROR" } });
}
