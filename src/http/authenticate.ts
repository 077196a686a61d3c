// Bearer authentication: no header is an anonymous request (storefront reads); a header that is not a valid JWT is
// a refusal, answered 401 only after the rate limiter has counted it (guessing tokens is limited like anything else).
import type { IncomingMessage } from "node:http";
import { AuthError, verifyJwt, type AuthClaims } from "./auth.js";
import { headerOf } from "./respond.js";

export type Authentication = { auth?: AuthClaims; refusal?: undefined } | { auth?: undefined; refusal: string };

export async function authenticate(req: IncomingMessage, secret: string, maxTokenAgeSeconds: number): Promise<Authentication> {
  const authorization = headerOf(req, "authorization");
  if (!authorization) return {};
  const m = /^Bearer\s+(.+)$/i.exec(authorization);
  try {
    if (!m) throw new AuthError("The Authorization header must be 'Bearer <token>'.");
    return { auth: await verifyJwt(m[1]!.trim(), secret, maxTokenAgeSeconds) };
  } catch (e) {
    return { refusal: e instanceof AuthError ? e.message : "Invalid token." };
  }
}
