// Bearer JWTs for the admin API, verified with jose. Only HS256 is accepted (so `alg: none` and key-confusion
// tricks fail), `exp` is required, and no token lives longer than AUTH_MAX_TOKEN_AGE: a leaked token is useful for
// that long at most.
import { jwtVerify, SignJWT, errors as joseErrors } from "jose";
import { z } from "zod";
import { SCOPES } from "../schema/scopes.js";

export type Role = "operator" | "client";
export interface AuthClaims {
  role: Role;
  clientId?: string;
  subject?: string;
}

const claimsSchema = z
  .object({
    role: z.enum(["operator", "client"]),
    clientId: z.string().min(1).max(64).optional(),
    sub: z.string().optional(),
  })
  .refine((c) => c.role !== "client" || c.clientId, { message: "a client token needs a clientId claim" });

export class AuthError extends Error {}

const keyCache = new Map<string, Uint8Array>();
function keyOf(secret: string): Uint8Array {
  let k = keyCache.get(secret);
  if (!k) keyCache.set(secret, (k = new TextEncoder().encode(secret)));
  return k;
}

/** How far in the future `iat` may be (clock skew between the issuer and this host). */
const CLOCK_SKEW_SECONDS = 60;

export async function verifyJwt(token: string, secret: string, maxTokenAgeSeconds: number): Promise<AuthClaims> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { algorithms: ["HS256"], requiredClaims: ["exp"] });
    const now = Math.floor(Date.now() / 1000);
    const max = maxTokenAgeSeconds;
    // Without iat, the token counts as issued now: it is still refused when it would stay valid for longer than max.
    const issued = payload.iat ?? now;
    if (issued > now + CLOCK_SKEW_SECONDS) throw new AuthError("The token's iat (issued at) is in the future.");
    if (payload.exp! - issued > max) {
      throw new AuthError(`The token is valid for longer than the ${max} s allowed (AUTH_MAX_TOKEN_AGE); issue one with a shorter expiry.`);
    }
    if (now - issued > max) throw new AuthError(`The token was issued more than ${max} s ago (AUTH_MAX_TOKEN_AGE); issue a new one.`);
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) throw new AuthError(`The token's claims are not valid: ${parsed.error.issues[0]?.message}`);
    return { role: parsed.data.role, clientId: parsed.data.clientId, subject: parsed.data.sub };
  } catch (e) {
    if (e instanceof AuthError) throw e;
    if (e instanceof joseErrors.JWTExpired) throw new AuthError("The token has expired.");
    if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === "exp" && e.reason === "missing") throw new AuthError("The token has no exp (expiry) claim.");
    throw new AuthError("The token is not valid (signature, algorithm or format).");
  }
}

export async function signJwt(claims: AuthClaims, secret: string, expiresIn: string | number = "12h"): Promise<string> {
  // `scope` is what a router enforcing @requiresScopes reads (space-separated, OAuth style); this subgraph reads `role`.
  const jwt = new SignJWT({ role: claims.role, scope: SCOPES[claims.role], ...(claims.clientId ? { clientId: claims.clientId } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (claims.subject) jwt.setSubject(claims.subject);
  return jwt.sign(keyOf(secret));
}
