// Upstream failures as plain errors with a kind. The GraphQL layer maps kinds to extension codes in one place;
// nothing here knows about GraphQL.
export type CorreiosApi = "token" | "tracking" | "price" | "deadline" | "proof" | "prepost" | "labels" | "cep" | "agencies" | "correosEsToken" | "correosEsTracking";

export type UpstreamErrorKind =
  | "CREDENTIAL_REJECTED" // the token API refused login + access code (401)
  | "TOKEN_REJECTED" // a business API refused our bearer token (401): refresh once and retry
  | "API_NOT_ENABLED" // 403: the card or contract lacks the API
  | "REQUEST_REJECTED" // 400-class: Correios refused what we sent (messages kept)
  | "RATE_LIMITED" // 429
  | "UNAVAILABLE" // 5xx, network error, circuit open
  | "TIMEOUT" // no answer within the per-call budget
  | "BAD_RESPONSE"; // 2xx that is not the JSON we expect, or too large

export class UpstreamError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly kind: UpstreamErrorKind,
    readonly api: CorreiosApi,
    message: string,
    readonly details: {
      status?: number;
      upstreamMessages?: string[];
      retryAfterSeconds?: number;
      circuitOpen?: boolean;
      /** The OAuth 2.0 error code (RFC 6749 §5.2) of an OAuth error body, such as invalid_scope. */
      oauthError?: string;
    } = {},
  ) {
    super(message);
    this.name = "UpstreamError";
    this.retryable =
      !details.circuitOpen && (kind === "UNAVAILABLE" || kind === "RATE_LIMITED" || kind === "BAD_RESPONSE");
  }
}

/**
 * Faults of Correios itself (down, slow, overloaded, answering garbage), which a last known answer may cover.
 * A refused credential, a disabled API or a refused request are the caller's to see and fix, never hidden as stale.
 */
export function isOutageFault(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError && (err.kind === "UNAVAILABLE" || err.kind === "TIMEOUT" || err.kind === "BAD_RESPONSE" || err.kind === "RATE_LIMITED");
}

/** Correios error bodies carry `msgs: string[]`, sometimes `msg`, or (Correos ES, OAuth) `error_description`. */
export function upstreamMessages(body: unknown): string[] {
  if (!body || typeof body !== "object") return [];
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.msgs)) return b.msgs.filter((m): m is string => typeof m === "string").slice(0, 10);
  for (const k of ["msg", "mensagem", "error_description", "error"]) {
    if (typeof b[k] === "string") return [(b[k] as string).slice(0, 500)];
  }
  return [];
}

const API_LABEL: Record<CorreiosApi, string> = {
  token: "Correios token API",
  tracking: "Correios tracking API (SRO Rastro)",
  price: "Correios price API",
  deadline: "Correios deadline API",
  proof: "Correios delivery-proof API",
  prepost: "Correios pre-posting API (PPN)",
  labels: "Correios label API (PPN rótulo)",
  cep: "Correios CEP API",
  agencies: "Correios agency API",
  correosEsToken: "Correos (Spain) CorreosID token API",
  correosEsTracking: "Correos (Spain) tracking API (trackpub)",
};

/**
 * The CWS API number of the APIs whose ids are known [2+ for 5, 34, 35, 87], as the token's lists and Correios' own
 * messages name them. A 403 ("API restrita") names the API with it, so the user knows what to ask Correios for.
 */
const CWS_API_ID: Partial<Record<CorreiosApi, number>> = { token: 5, tracking: 87, price: 34, deadline: 35, prepost: 36, labels: 36, cep: 41 };

/** What a user can do about a refused login + access code; shown wherever that refusal surfaces. */
export const CREDENTIAL_REJECTED_HELP =
  "If a new access code was generated in the CWS portal, the previous one stopped working everywhere it was used: " +
  "register the new code here. Otherwise: check the login (the idCorreios user) and the access code, wait a few " +
  "minutes and retry, generate a new access code in CWS (Gestão de acesso a API's), or contact Correios. " +
  "Credentials from homologation (apihom) do not work in production, nor the other way round.";

/** Maps an HTTP status from Correios to our kind: the single place where statuses are interpreted. */
export function errorForStatus(api: CorreiosApi, status: number, body: unknown, retryAfter: string | null): UpstreamError {
  const e = kindForStatus(api, status, body, retryAfter);
  const oauthError = api === "correosEsToken" ? oauthErrorCode(body) : undefined;
  if (!oauthError) return e;
  // RFC 6749 §5.2 lets a server answer a refused client with 400 instead of 401: the error code decides.
  const clientRefused = oauthError === "invalid_client" || oauthError === "unauthorized_client";
  return new UpstreamError(clientRefused ? "CREDENTIAL_REJECTED" : e.kind, api, e.message, { ...e.details, oauthError });
}

function oauthErrorCode(body: unknown): string | undefined {
  const error = body && typeof body === "object" ? (body as Record<string, unknown>).error : undefined;
  return typeof error === "string" && /^[\x20-\x7e]{1,64}$/.test(error) ? error : undefined;
}

function kindForStatus(api: CorreiosApi, status: number, body: unknown, retryAfter: string | null): UpstreamError {
  const msgs = upstreamMessages(body);
  const said = msgs.length ? `: ${msgs.join(" / ")}` : "";
  const label = API_LABEL[api];
  if (status === 401) {
    return api === "token"
      ? new UpstreamError("CREDENTIAL_REJECTED", api, `Correios refused the API login or access code (HTTP 401)${said}. ${CREDENTIAL_REJECTED_HELP}`, {
          status,
          upstreamMessages: msgs,
        })
      : api === "correosEsToken"
      ? new UpstreamError("CREDENTIAL_REJECTED", api, `${label} refused the credential${said}`, { status, upstreamMessages: msgs })
      : new UpstreamError("TOKEN_REJECTED", api, `${label} refused the bearer token${said}`, { status, upstreamMessages: msgs });
  }
  if (status === 403) {
    // Our lists of enabled APIs may be wrong (see cardApisOf in token.ts), so the call was made: this is Correios' word.
    const id = CWS_API_ID[api];
    const message =
      id === undefined
        ? `${label} is not enabled for this credential${said}`
        : `${label}, API ${id}, is not enabled for this posting card: Correios refused the call as restricted (HTTP 403)${said}. ` +
          `Ask Correios to enable API ${id} for the card (CWS), then call verifyCredential.`;
    return new UpstreamError("API_NOT_ENABLED", api, message, { status, upstreamMessages: msgs });
  }
  if (status === 429) {
    const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
    return new UpstreamError("RATE_LIMITED", api, `${label} is rate limiting requests${said}`, {
      status,
      upstreamMessages: msgs,
      retryAfterSeconds: seconds,
    });
  }
  if (status >= 500) {
    return new UpstreamError("UNAVAILABLE", api, `${label} failed with HTTP ${status}${said}`, { status, upstreamMessages: msgs });
  }
  return new UpstreamError("REQUEST_REJECTED", api, `${label} refused the request (HTTP ${status})${said}`, { status, upstreamMessages: msgs });
}

export function apiLabel(api: CorreiosApi): string {
  return API_LABEL[api];
}
