// POST /Api/Authorize/Token: CorreosID (Spain) OAuth 2.0 client-credentials grant. Errors use the OAuth shape
// ({error, error_description}), not the Brazilian MessageResponse.

import type { Exchange } from "./http-utils.js";
import { parseBasicAuth } from "./http-utils.js";
import { makeJwt } from "./jwt.js";
import { MSG } from "./messages.js";
import type { SimulatorState } from "./state.js";

export const CORREOS_ES_TOKEN_PATH = "/Api/Authorize/Token";
const MAX_LIFETIME_SECONDS = 3600;
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

export async function handleCorreosEsToken(ex: Exchange, state: SimulatorState): Promise<void> {
  const form = new URLSearchParams(await ex.text());
  const grantType = form.get("grant_type");
  if (!grantType) {
    oauthError(ex, 400, "invalid_request", "grant_type is required");
    return;
  }
  if (grantType !== "client_credentials") {
    oauthError(ex, 400, "unsupported_grant_type");
    return;
  }

  // RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64; body credentials are the alternative.
  const basic = parseBasicAuth(ex.header("authorization"));
  const clientId = basic ? formDecode(basic.user) : form.get("client_id");
  const clientSecret = basic ? formDecode(basic.pass) : form.get("client_secret");
  const challenge: Record<string, string> = basic ? { "WWW-Authenticate": 'Basic realm="CorreosID"' } : {};
  if (!clientId || !clientSecret) {
    oauthError(ex, 401, "invalid_client", MSG.oauthMissingCredentials, challenge);
    return;
  }
  const client = state.correosEs.get(clientId);
  if (!client || client.clientSecret !== clientSecret) {
    oauthError(ex, 401, "invalid_client", MSG.oauthBadClient, challenge);
    return;
  }
  if (!client.active) {
    oauthError(ex, 401, "invalid_client", MSG.oauthClientInactive, challenge);
    return;
  }

  const requested = (form.get("scope") ?? "").split(/\s+/).filter((s) => s.length > 0);
  const missing = requested.find((s) => !client.scopes.includes(s));
  if (missing) {
    oauthError(ex, 400, "invalid_scope", MSG.oauthScopeNotGranted(missing));
    return;
  }
  const scope = (requested.length > 0 ? requested : client.scopes).join(" ");
  const expiresIn = Math.min(MAX_LIFETIME_SECONDS, state.config.tokenTtlSeconds);
  const iat = Math.floor(Date.now() / 1000);
  const idToken = makeJwt({ sub: client.clientId, scope, iat, exp: iat + expiresIn }, "RS256");
  ex.json(200, { idToken, expiresIn, tokenType: "Bearer", scope }, NO_STORE);
}

function oauthError(ex: Exchange, status: number, error: string, description?: string, headers: Record<string, string> = {}): void {
  ex.json(status, description ? { error, error_description: description } : { error }, { ...NO_STORE, ...headers });
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}
