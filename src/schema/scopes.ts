// The scopes a router checks before it calls this subgraph (@authenticated / @requiresScopes, Federation 2.5+), named
// once. They mirror the token roles that context.ts checks: an operator token carries `correios:admin`, a client token
// `correios:client` (http/auth.ts writes them into the `scope` claim). The router refusing early is only a shortcut:
// every resolver still checks the token itself (requireOperator, requireAccessTo, actingClient, readerScope).
import type { Role } from "../http/auth.js";

export const SCOPES = { operator: "correios:admin", client: "correios:client" } as const satisfies Record<Role, string>;

/** Operators only (every client's credentials). */
export const OPERATOR_ONLY = `@requiresScopes(scopes: [["${SCOPES.operator}"]])`;

/** An operator, or a client token (which the resolver then holds to its own client's records). */
export const OPERATOR_OR_CLIENT = `@requiresScopes(scopes: [["${SCOPES.operator}"], ["${SCOPES.client}"]])`;

/** A verified bearer token of any role. */
export const AUTHENTICATED = "@authenticated";
