// Per-request context: who is asking (verified JWT claims, or a client id forwarded by a trusted router), and fresh
// DataLoaders. Loaders are never shared across requests, so one tenant's batch never serves another's.
import type { Logger } from "pino";
import type { AuthClaims } from "../http/auth.js";
import { setRequestScope } from "../http/request-scope.js";
import type { Services } from "../services/services.js";
import { ForbiddenError, UnauthenticatedError } from "./errors.js";
import { createLoaders, type Loaders } from "../services/loaders.js";
import { clientIdOf } from "../http/client-id.js";
import { CacheHints } from "./cache-hints.js";

export interface Context {
  requestId: string;
  logger: Logger;
  auth?: AuthClaims;
  /** `x-client-id` from the gateway; only set when the router secret was checked. */
  forwardedClientId?: string;
  services: Services;
  loaders: Loaders;
  /** How long the answer's data stays fresh and whose it is; read by the cache-control plugin. */
  cacheHints: CacheHints;
}

/**
 * One request's context. Its logger is made on first use: most requests log nothing of their own, and a pino child
 * costs the serialisation and redaction of its bindings (≈3 % of the warm path). It is a getter on the prototype
 * because Apollo copies the context (keeping its prototype), which would call an own getter on every request.
 */
class RequestContext implements Context {
  readonly requestId: string;
  readonly auth?: AuthClaims;
  readonly forwardedClientId?: string;
  readonly loaders: Loaders;
  readonly cacheHints = new CacheHints();
  // Not a #private field: Apollo's copy of the context would have no slot for it.
  private requestLogger?: Logger;

  constructor(
    readonly services: Services,
    private readonly serviceLogger: Logger,
    init: { requestId: string; auth?: AuthClaims; forwardedClientId?: string },
  ) {
    this.requestId = init.requestId;
    if (init.auth !== undefined) this.auth = init.auth;
    if (init.forwardedClientId !== undefined) this.forwardedClientId = init.forwardedClientId;
    this.loaders = createLoaders(services, () => tenantOf(this));
  }

  get logger(): Logger {
    return (this.requestLogger ??= this.serviceLogger.child({ requestId: this.requestId }));
  }
}

export function createContext(
  services: Services,
  /** `logger` is the service's; the context's own is its child with the request id. */
  init: { requestId: string; logger: Logger; auth?: AuthClaims; forwardedClientId?: string },
): Context {
  const ctx = new RequestContext(services, init.logger, init);
  // The client is known once the request is authenticated; upstream calls made from here on log it.
  setRequestScope({ clientId: clientIdOf(init, services.config.DEFAULT_CLIENT_ID) });
  return ctx;
}

export function requireOperator(ctx: Context): void {
  if (!ctx.auth) throw new UnauthenticatedError();
  if (ctx.auth.role !== "operator") throw new ForbiddenError("Only an operator can do this.");
}

/** Operators manage every client; a client token manages only its own client. */
export function requireAccessTo(ctx: Context, clientId: string): void {
  if (!ctx.auth) throw new UnauthenticatedError();
  if (ctx.auth.role === "operator") return;
  if (ctx.auth.clientId !== clientId) throw new ForbiddenError(`This token belongs to another client and cannot act on "${clientId}".`);
}

/** The client whose Correios credential serves storefront queries. */
export function tenantOf(ctx: Context): string {
  const id = clientIdOf(ctx, ctx.services.config.DEFAULT_CLIENT_ID);
  if (!id) {
    throw new UnauthenticatedError(
      "No client to act for: send a client bearer token, an x-client-id header through the router, or set DEFAULT_CLIENT_ID.",
    );
  }
  return id;
}
