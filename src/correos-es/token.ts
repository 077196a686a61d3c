// CorreosID (Correos, Spain): the OAuth 2.0 client-credentials grant, RFC 6749 §4.4. No OAuth client library is
// installed, and the grant is one form POST, so it is written here, small and standard.
// Client authentication uses body parameters (client_id, client_secret; RFC 6749 §2.3.1): that is what Correos' own
// integrations send. The token goes only into Authorization headers, never into a URL.
import { decodeJwt } from "jose";
import type { CorreiosHttpClient } from "../upstream/http-client.js";
import { UpstreamError } from "../upstream/errors.js";

export interface CorreosEsClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
}

export interface CorreosEsTokenGrant {
  token: string;
  /** Epoch milliseconds, from the JWT's `exp` (fallback: `expiresIn`). */
  expiresAt: number;
  /** The scopes the token carries: the answer's `scope`, else the JWT's, else (RFC 6749 §5.1) the ones asked for. */
  grantedScopes: string[];
}

/** CorreosID answers in camelCase (`idToken`, `expiresIn`); some deployments use the RFC names. */
interface TokenBody {
  idToken?: unknown;
  access_token?: unknown;
  expiresIn?: unknown;
  expires_in?: unknown;
  tokenType?: unknown;
  token_type?: unknown;
  scope?: unknown;
}

export class CorreosEsTokenClient {
  constructor(
    private readonly http: CorreiosHttpClient,
    private readonly now: () => number = Date.now,
  ) {}

  async fetchToken(c: CorreosEsClientCredentials): Promise<CorreosEsTokenGrant> {
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret });
    if (c.scopes.length > 0) form.set("scope", c.scopes.join(" "));
    const asked = this.now();
    const res = await this.http.request<TokenBody>({
      api: "correosEsToken",
      method: "POST",
      url: c.tokenUrl,
      // Lower case, so it replaces the HTTP client's JSON default instead of being sent beside it.
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    return parseCorreosEsGrant(res.body, c.scopes, asked);
  }
}

/** Reads a token answer. `askedAt` anchors `expiresIn` conservatively (before the request left). */
export function parseCorreosEsGrant(body: TokenBody | undefined, requested: readonly string[], askedAt: number): CorreosEsTokenGrant {
  const raw = body?.idToken ?? body?.access_token;
  if (typeof raw !== "string" || raw.length === 0) {
    throw new UpstreamError("BAD_RESPONSE", "correosEsToken", "Correos (Spain) CorreosID token API answered without a token");
  }
  const claims = jwtClaims(raw);
  const exp = typeof claims?.exp === "number" ? claims.exp * 1000 : undefined;
  const expiresIn = seconds(body?.expiresIn ?? body?.expires_in);
  const expiresAt = exp !== undefined && exp > askedAt ? exp : expiresIn !== undefined ? askedAt + expiresIn * 1000 : undefined;
  if (expiresAt === undefined) {
    throw new UpstreamError("BAD_RESPONSE", "correosEsToken", "Correos (Spain) CorreosID token API answered without a readable expiry");
  }
  const granted = scopeList(body?.scope) ?? scopeList(claims?.scope) ?? scopeList(claims?.scp) ?? [...requested];
  return { token: raw, expiresAt, grantedScopes: granted };
}

/** The token's claims, unverified: we are its bearer, not its audience, and only read `exp` and `scope`. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

function seconds(v: unknown): number | undefined {
  const n = typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
}

function scopeList(v: unknown): string[] | undefined {
  const list = typeof v === "string" ? v.split(/\s+/) : Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : undefined;
  const codes = list?.map((s) => s.trim()).filter((s) => s.length > 0);
  return codes && codes.length > 0 ? [...new Set(codes)] : undefined;
}

export type CorreosEsRefusal =
  /** invalid_client: the pair is unknown or the secret is wrong (or belongs to the other environment). */
  | { reason: "WRONG_CLIENT"; said: string[] }
  /** invalid_client whose description says the application is not active yet, or unauthorized_client. */
  | { reason: "NOT_ACTIVATED"; said: string[] }
  /** invalid_scope: at least one scope is not granted to this application. */
  | { reason: "SCOPE_NOT_GRANTED"; said: string[]; scopes: string[] }
  /** Any other refusal of the request (invalid_request, unsupported_grant_type, 403, …). */
  | { reason: "REFUSED"; said: string[]; oauthError?: string };

/** What a refusal from the token endpoint means, or undefined for failures that are not refusals (5xx, timeouts). */
export function correosEsRefusal(e: unknown, requested: readonly string[]): CorreosEsRefusal | undefined {
  if (!(e instanceof UpstreamError) || e.api !== "correosEsToken") return undefined;
  const said = e.details.upstreamMessages ?? [];
  const code = e.details.oauthError;
  if (code === "invalid_scope") {
    const text = said.join(" ");
    const named = requested.filter((s) => new RegExp(`(^|[^A-Za-z0-9_.:-])${escapeRegExp(s)}($|[^A-Za-z0-9_.:-])`).test(text));
    return { reason: "SCOPE_NOT_GRANTED", said, scopes: named };
  }
  if (code === "unauthorized_client") return { reason: "NOT_ACTIVATED", said };
  if (e.kind === "CREDENTIAL_REJECTED") {
    // The description is the only thing that tells "unknown pair" from "known but not activated" (English or Spanish).
    return { reason: said.some((m) => /activ|habilit/i.test(m)) ? "NOT_ACTIVATED" : "WRONG_CLIENT", said };
  }
  if (e.kind === "REQUEST_REJECTED" || e.kind === "API_NOT_ENABLED") return { reason: "REFUSED", said, oauthError: code };
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
