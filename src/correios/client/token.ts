// The CWS token API: Basic auth (login + access code) and the posting card in, a 24 h bearer token out.
import type { CorreiosHttpClient } from "../../upstream/http-client.js";
import { CWS_PATHS, DEFAULT_ZONE_OFFSET } from "./endpoints.js";
import { UpstreamError } from "../../upstream/errors.js";

export interface CwsCredentials {
  login: string;
  accessCode: string;
  postingCard: string;
}

export interface CwsTokenGrant {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  environment?: string;
  cnpj?: string;
  contract?: string;
  dr?: number;
  /** What the posting card may call: the card-level list `cartaoPostagem.api` (see cardApisOf). Unknown ids kept. */
  apis: number[];
  /** The answer's top-level `api` list, as Correios sent it (the login's; what it grants is not documented). */
  loginApis: number[];
}

interface TokenBody {
  ambiente?: string;
  cnpj?: string;
  expiraEm?: string;
  zoneOffset?: string;
  token?: string;
  api?: number[];
  cartaoPostagem?: { numero?: string; contrato?: string; dr?: number; api?: number[] };
  contrato?: { numero?: string; dr?: number; api?: number[] };
}

/**
 * Correios counts token requests over a sliding second at its end, where they arrive a little after we release them
 * and not always in the same spacing (a new connection takes longer than a reused one). Spacing our windows this much
 * wider keeps that jitter from fitting one request too many into Correios' second.
 */
export const TOKEN_RATE_WINDOW_MS = 1000 + 100;

export class CwsTokenClient {
  /**
   * @param gate the token API's rate limit (about 3 requests per second, 429 above it), one for every credential
   *   (and, on Redis, every replica). It is handed to the HTTP client, which waits on it before every attempt: retries
   *   after a 5xx or a 429 included.
   */
  constructor(
    private readonly http: CorreiosHttpClient,
    private readonly baseUrl: string,
    private readonly gate: () => Promise<void>,
  ) {}

  async fetchToken(c: CwsCredentials): Promise<CwsTokenGrant> {
    const basic = Buffer.from(`${c.login}:${c.accessCode}`, "utf8").toString("base64");
    const res = await this.http.request<TokenBody>({
      api: "token",
      method: "POST",
      url: `${this.baseUrl}${CWS_PATHS.tokenByCard}`,
      headers: { authorization: `Basic ${basic}` },
      body: JSON.stringify({ numero: c.postingCard }),
      gate: this.gate,
    });
    return parseGrant(res.body);
  }
}

export function parseGrant(body: TokenBody | undefined): CwsTokenGrant {
  if (!body || typeof body.token !== "string" || body.token.length === 0) {
    throw new UpstreamError("BAD_RESPONSE", "token", "Correios token API answered without a token");
  }
  const card = body.cartaoPostagem;
  return {
    token: body.token,
    expiresAt: expiryOf(body),
    environment: body.ambiente,
    cnpj: body.cnpj,
    contract: card?.contrato ?? body.contrato?.numero,
    dr: card?.dr ?? body.contrato?.dr,
    apis: cardApisOf(body),
    loginApis: apiIds(body.api),
  };
}

/**
 * Which list says what the card may call. The answer has two that differ in the official manual's own sample (card
 * `[93, 36, 83]`, top level `[93, 36, 54, 87]`: tracking only in the second). We read the card's, because the manual
 * says a restricted API is opened by registering its service on the posting card (§5 "API Restrita"), and the bearer
 * token the gateway checks on every call carries only that list (the manual's example JWT holds `cartao-postagem.api`
 * and no top-level one). When the answer has no card list (a token without a card), the top-level one stands in.
 * Neither list is complete (a card with no API still gets price and deadline [seed]), so nothing is refused on either:
 * calls are made and Correios' 403 decides (src/upstream/errors.ts).
 */
function cardApisOf(body: TokenBody): number[] {
  return Array.isArray(body.cartaoPostagem?.api) ? apiIds(body.cartaoPostagem.api) : apiIds(body.api);
}

function apiIds(list: unknown): number[] {
  if (!Array.isArray(list)) return [];
  return [...new Set(list.filter((n): n is number => Number.isInteger(n)))].sort((a, b) => a - b);
}

/**
 * `expiraEm` is a local date-time without offset, and `zoneOffset` gives its offset. The manual's sample has no
 * `zoneOffset`; expiry then equals the JWT's `exp`, which is read first (guessing an offset could be an hour off).
 * Brasília's offset is assumed only when neither says more.
 */
function expiryOf(body: TokenBody): number {
  const localExpiry = body.expiraEm && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(body.expiraEm) ? body.expiraEm : undefined;
  const offset = body.zoneOffset && /^[+-]\d{2}:\d{2}$/.test(body.zoneOffset) ? body.zoneOffset : undefined;
  if (localExpiry && offset) {
    const t = Date.parse(`${localExpiry}${offset}`);
    if (Number.isFinite(t)) return t;
  }
  const exp = jwtExp(body.token!);
  if (exp !== undefined) return exp * 1000;
  if (localExpiry) {
    const t = Date.parse(`${localExpiry}${DEFAULT_ZONE_OFFSET}`);
    if (Number.isFinite(t)) return t;
  }
  throw new UpstreamError("BAD_RESPONSE", "token", "Correios token API answered without a readable expiry");
}

export function jwtExp(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp : undefined;
  } catch {
    return undefined;
  }
}
