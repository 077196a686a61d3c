// Who a request acts for, written once: the token's client, else the client the router forwarded, else the
// configured default. The rate limiter keys anonymous callers by address instead.
import type { AuthClaims } from "./auth.js";

export interface Caller {
  auth?: AuthClaims;
  forwardedClientId?: string;
}

export function clientIdOf(c: Caller, defaultClientId: string | undefined): string | undefined {
  return c.auth?.clientId ?? c.forwardedClientId ?? defaultClientId;
}

/** The rate limiter's key: the client when known, an operator by role, anyone else by remote address. */
export function rateLimitKey(c: Caller, remoteAddress: string | undefined): string {
  return c.auth?.clientId ?? c.forwardedClientId ?? (c.auth ? `role:${c.auth.role}` : `ip:${remoteAddress}`);
}
