// Correos (Spain): every host and path in one place, for both environments. Bracketed notes give how well a value
// is confirmed in public material ([2+] several independent sources, [1] one source), so a correction is a one-line
// change here. The token URLs are also configuration (CORREOS_ES_TOKEN_URL, CORREOS_ES_PRE_TOKEN_URL): their defaults
// are these, and tests point them at the simulator.

export type CorreosEsEnvironment = "PRODUCTION" | "PREPRODUCTION";

/** CorreosID, the OAuth 2.0 authorisation server [2+]. */
export const CORREOS_ES_OAUTH_HOSTS: Readonly<Record<CorreosEsEnvironment, string>> = {
  PRODUCTION: "https://apioauthcid.correos.es",
  PREPRODUCTION: "https://apioauthcid.correospre.es",
};

/** The API gateway that takes the bearer token plus the API's own client_id/client_secret headers [1]. */
export const CORREOS_ES_API_HOSTS: Readonly<Record<CorreosEsEnvironment, string>> = {
  PRODUCTION: "https://api1.correos.es",
  PREPRODUCTION: "https://api1.correospre.es",
};

export const CORREOS_ES_PATHS = {
  /** Client-credentials token endpoint [2+]. */
  token: "/Api/Authorize/Token",
  /** Pre-registration (admissions) API base [1]; nothing here calls it yet. */
  preregister: "/admissions/preregister/api/v1",
  /** Tracking ("trackpub") v2 base [2+]; single lookup `GET /search/{code}` [2+]. */
  tracking: "/support/trackpub/api/v2",
} as const;

export const CORREOS_ES_DEFAULT_TOKEN_URLS: Readonly<Record<CorreosEsEnvironment, string>> = {
  PRODUCTION: `${CORREOS_ES_OAUTH_HOSTS.PRODUCTION}${CORREOS_ES_PATHS.token}`,
  PREPRODUCTION: `${CORREOS_ES_OAUTH_HOSTS.PREPRODUCTION}${CORREOS_ES_PATHS.token}`,
};

/** A common default scope set in integrations [1]; tracking has been reported to need another scope (TPB) [1]. */
export const CORREOS_ES_COMMON_SCOPES: readonly string[] = ["AP3", "LBS", "RCG"];

/** The scope a trackpub token must carry (JWT aud=TPB) [1, production-verified]: a token without it gets 401. */
export const CORREOS_ES_TRACKING_SCOPE = "TPB";

export const CORREOS_ES_DEFAULT_API_URLS: Readonly<Record<CorreosEsEnvironment, string>> = CORREOS_ES_API_HOSTS;

export interface CorreosEsEndpoints {
  tokenUrl(environment: CorreosEsEnvironment): string;
  apiBaseUrl(environment: CorreosEsEnvironment): string;
}

/** The endpoints for the configured token URLs (defaults above). */
export function correosEsEndpoints(
  tokenUrls: { production: string; preproduction: string },
  apiUrls: { production: string; preproduction: string } = { production: CORREOS_ES_API_HOSTS.PRODUCTION, preproduction: CORREOS_ES_API_HOSTS.PREPRODUCTION },
): CorreosEsEndpoints {
  return {
    tokenUrl: (environment) => (environment === "PRODUCTION" ? tokenUrls.production : tokenUrls.preproduction),
    apiBaseUrl: (environment) => (environment === "PRODUCTION" ? apiUrls.production : apiUrls.preproduction).replace(/\/+$/, ""),
  };
}
