// Registering, verifying and using a client's Correos (Spain) CorreosID account: an OAuth 2.0 client-credentials
// pair with its scopes, and optionally the API's own gateway pair. Validation happens before any upstream call;
// verification always asks CorreosID for a fresh token; secrets are sealed at once and never returned.
import type { Logger } from "pino";
import { CORREOS_ES_TRACKING_SCOPE, type CorreosEsEndpoints, type CorreosEsEnvironment } from "../correos-es/endpoints.js";
import {
  parseApiClientId,
  parseApiClientSecret,
  parseOAuthClientId,
  parseOAuthClientSecret,
  parseScopes,
  scopeKey,
} from "../correos-es/formats.js";
import { correosEsHeaders } from "../correos-es/headers.js";
import { correosEsRefusal, type CorreosEsTokenClient, type CorreosEsTokenGrant } from "../correos-es/token.js";
import type { TokenManager, TokenSubject } from "../upstream/token-manager.js";
import type { CorreosEsCredential, CredentialRepository } from "../store/credentials.js";
import { maskSecret, registrationFingerprint } from "../store/secret-box.js";
import type { CredentialPayload } from "./credentials.js";
import { refusalError } from "../correos-es/refusals.js";
import { ServiceError } from "./service-error.js";
import { notRegistered, parseClientId, type UserError, type Warning } from "./user-errors.js";

export interface RegisterCorreosEsCredentialInput {
  clientId: string;
  oauthClientId: string;
  oauthClientSecret: string;
  scopes: readonly string[];
  apiClientId?: string | null;
  apiClientSecret?: string | null;
  environment: CorreosEsEnvironment;
  verify?: boolean | null;
}

export interface CorreosEsCredentialServiceDeps {
  repo: CredentialRepository;
  tokens: TokenManager;
  tokenClient: CorreosEsTokenClient;
  endpoints: CorreosEsEndpoints;
  /** Renew this long before the token's `exp` (CorreosID tokens live 30–60 minutes). */
  renewMarginMs: number;
  logger: Logger;
  now?: () => Date;
}

/** What a future Correos (Spain) API call gets: the headers to send, and the credential they belong to. */
export interface CorreosEsCall {
  headers: Record<string, string>;
  credential: CorreosEsCredential;
}

const ENVIRONMENTS: readonly CorreosEsEnvironment[] = ["PRODUCTION", "PREPRODUCTION"];
const CARRIER = "CORREOS_ES" as const;

export class CorreosEsCredentialService {
  constructor(private readonly d: CorreosEsCredentialServiceDeps) {}

  private nowIso(): string {
    return (this.d.now?.() ?? new Date()).toISOString();
  }

  get(clientId: string): Promise<CorreosEsCredential | undefined> {
    return this.d.repo.get(CARRIER, clientId);
  }

  /** The credential an API call may use: missing → CREDENTIAL_MISSING, refused earlier → CREDENTIAL_REJECTED. */
  async usable(clientId: string): Promise<CorreosEsCredential> {
    const c = await this.get(clientId);
    if (!c) {
      throw new ServiceError(
        "CREDENTIAL_MISSING",
        `No Correos (Spain) credential is registered for client "${clientId}". Register one with registerCorreosEsCredential.`,
        { clientId },
      );
    }
    if (c.status === "INVALID") {
      throw new ServiceError("CREDENTIAL_REJECTED", c.statusReason ?? `CorreosID refused the credential of client "${clientId}".`, { clientId });
    }
    return c;
  }

  async register(input: RegisterCorreosEsCredentialInput): Promise<CredentialPayload<CorreosEsCredential>> {
    const userErrors: UserError[] = [];
    const warnings: Warning[] = [];
    const field = <T>(name: string, r: { ok: true; value: T } | { ok: false; message: string }, code: string): T | undefined => {
      if (r.ok) return r.value;
      userErrors.push({ field: `input.${name}`, message: r.message, code });
      return undefined;
    };
    const clientId = field("clientId", parseClientId(input.clientId), "INVALID_CLIENT_ID");
    const oauthClientId = field("oauthClientId", parseOAuthClientId(input.oauthClientId), "INVALID_OAUTH_CLIENT_ID");
    const oauthClientSecret = field("oauthClientSecret", parseOAuthClientSecret(input.oauthClientSecret), "INVALID_OAUTH_CLIENT_SECRET");
    const scopes = field("scopes", parseScopes(input.scopes), "INVALID_SCOPES");
    const apiPair = this.apiPairOf(input, userErrors);
    const environment = ENVIRONMENTS.includes(input.environment) ? input.environment : undefined;
    if (!environment) userErrors.push({ field: "input.environment", code: "INVALID_ENVIRONMENT", message: "The environment is PRODUCTION or PREPRODUCTION." });
    if (userErrors.length || !clientId || !oauthClientId || !oauthClientSecret || !scopes || !environment || apiPair === null) {
      return { credential: null, userErrors, warnings };
    }

    if (!apiPair) {
      warnings.push({
        code: "API_PAIR_MISSING",
        message:
          "Only the CorreosID pair was given. Correos APIs also expect the API's own client_id and client_secret " +
          "(issued per API, sent as headers beside the token); register them before API calls use this credential.",
      });
    }
    const existing = await this.get(clientId);
    const owner = { carrier: CARRIER, clientId };
    const base: CorreosEsCredential = {
      clientId,
      carrier: CARRIER,
      oauthClientId,
      oauthClientSecretSealed: this.d.repo.seal(owner, "oauthClientSecret", oauthClientSecret),
      oauthClientSecretHint: maskSecret(oauthClientSecret),
      scopes,
      ...(apiPair
        ? {
            apiClientId: apiPair.clientId,
            apiClientSecretSealed: this.d.repo.seal(owner, "apiClientSecret", apiPair.clientSecret),
            apiClientSecretHint: maskSecret(apiPair.clientSecret),
          }
        : {}),
      environment,
      status: "UNVERIFIED",
      revision: (existing?.revision ?? 0) + 1,
      createdAt: existing?.createdAt ?? this.nowIso(),
      updatedAt: this.nowIso(),
    };

    if (input.verify === false) {
      warnings.push({ code: "NOT_VERIFIED", message: "Saved without asking CorreosID: call verifyCorreosEsCredential before use to check it." });
      await this.save(base);
      return { credential: base, userErrors, warnings };
    }
    const outcome = await this.verifyAgainstCorreosId(base, oauthClientSecret);
    warnings.push(...outcome.warnings);
    if (!outcome.credential) return { credential: null, userErrors: outcome.userErrors, warnings };
    await this.save(outcome.credential);
    await this.keepToken(outcome.credential, outcome.grant);
    return { credential: outcome.credential, userErrors, warnings };
  }

  async verify(clientId: string): Promise<CredentialPayload<CorreosEsCredential>> {
    const existing = await this.get(clientId);
    if (!existing) {
      return {
        credential: null,
        userErrors: [notRegistered(clientId, "Correos (Spain)")],
        warnings: [],
      };
    }
    const secret = this.d.repo.open(existing, "oauthClientSecret", existing.oauthClientSecretSealed);
    const outcome = await this.verifyAgainstCorreosId(existing, secret);
    if (outcome.credential) {
      await this.d.repo.save(outcome.credential);
      await this.keepToken(outcome.credential, outcome.grant);
      return outcome;
    }
    const invalid: CorreosEsCredential = { ...existing, status: "INVALID", statusReason: outcome.userErrors[0]?.message, updatedAt: this.nowIso() };
    await this.d.repo.save(invalid);
    return { ...outcome, credential: invalid };
  }

  async list(): Promise<CorreosEsCredential[]> {
    return (await this.d.repo.list({ carrier: CARRIER })) as CorreosEsCredential[];
  }

  async remove(clientId: string): Promise<{ removed: boolean; userErrors: UserError[] }> {
    const existing = await this.get(clientId);
    if (!existing) return { removed: false, userErrors: [notRegistered(clientId, "Correos (Spain)")] };
    // The token of the registered scope set (the one verification and default calls keep) is deleted from the store;
    // forget drops every scope set's token from memory.
    await this.d.tokens.discard(tokenKey(existing, existing.scopes));
    await this.d.tokens.forget(`${CARRIER}:${clientId}:`);
    return { removed: await this.d.repo.remove(CARRIER, clientId), userErrors: [] };
  }

  /**
   * Runs fn with the headers of a Correos (Spain) API call: a bearer token for `scopes` (default: every registered
   * scope), cached per credential and scope set, and the gateway pair when registered. When the API refuses the
   * token (401, TOKEN_REJECTED), the token is dropped and fn runs once more with a fresh one.
   */
  async withToken<T>(clientId: string, scopes: readonly string[] | undefined, fn: (call: CorreosEsCall) => Promise<T>): Promise<T> {
    const c = await this.usable(clientId);
    const wanted = scopes === undefined ? c.scopes : this.registeredSubset(c, scopes);
    const apiPair =
      c.apiClientId && c.apiClientSecretSealed
        ? { clientId: c.apiClientId, clientSecret: this.d.repo.open(c, "apiClientSecret", c.apiClientSecretSealed) }
        : undefined;
    return this.d.tokens.withToken(this.tokenSubject(c, wanted), (token) => fn({ headers: correosEsHeaders(token, apiPair), credential: c }));
  }

  /** The token subject for a credential and scope set: the token manager fetches, caches and renews through it. */
  tokenSubject(c: CorreosEsCredential, scopes: readonly string[]): TokenSubject {
    return {
      key: tokenKey(c, scopes),
      renewMarginMs: this.d.renewMarginMs,
      fetch: () =>
        this.d.tokenClient.fetchToken({
          tokenUrl: this.d.endpoints.tokenUrl(c.environment),
          clientId: c.oauthClientId,
          clientSecret: this.d.repo.open(c, "oauthClientSecret", c.oauthClientSecretSealed),
          scopes,
        }),
      onRejected: async (e) => {
        const refusal = correosEsRefusal(e, scopes);
        const current = await this.get(c.clientId);
        if (refusal && current && current.revision === c.revision && current.oauthClientSecretSealed === c.oauthClientSecretSealed) {
          await this.d.repo.save({ ...current, status: "INVALID", statusReason: refusalError(refusal, c).message, updatedAt: this.nowIso() });
          this.d.logger.warn({ clientId: c.clientId, carrier: CARRIER, reason: refusal.reason }, "credential refused by the CorreosID token API; marked INVALID");
        }
      },
    };
  }

  /** Both parts of the gateway pair, neither (undefined), or a userError for the missing part (null). */
  private apiPairOf(input: RegisterCorreosEsCredentialInput, userErrors: UserError[]): { clientId: string; clientSecret: string } | undefined | null {
    const given = (v: string | null | undefined) => v != null && v.trim() !== "";
    if (!given(input.apiClientId) && !given(input.apiClientSecret)) return undefined;
    if (!given(input.apiClientId) || !given(input.apiClientSecret)) {
      const missing = given(input.apiClientId) ? "apiClientSecret" : "apiClientId";
      userErrors.push({
        field: `input.${missing}`,
        code: "API_PAIR_INCOMPLETE",
        message: "The API's gateway pair goes together: give both apiClientId and apiClientSecret, or neither.",
      });
      return null;
    }
    const id = parseApiClientId(input.apiClientId!);
    const secret = parseApiClientSecret(input.apiClientSecret!);
    if (!id.ok) userErrors.push({ field: "input.apiClientId", code: "INVALID_API_CLIENT_ID", message: id.message });
    if (!secret.ok) userErrors.push({ field: "input.apiClientSecret", code: "INVALID_API_CLIENT_SECRET", message: secret.message });
    return id.ok && secret.ok ? { clientId: id.value, clientSecret: secret.value } : null;
  }

  private registeredSubset(c: CorreosEsCredential, scopes: readonly string[]): string[] {
    const parsed = parseScopes(scopes);
    if (!parsed.ok) throw new ServiceError("BAD_USER_INPUT", parsed.message, { clientId: c.clientId });
    const foreign = parsed.value.filter((s) => !c.scopes.includes(s));
    if (foreign.length) {
      throw new ServiceError(
        "SCOPE_NOT_REGISTERED",
        `Scope ${foreign.join(", ")} is not registered for client "${c.clientId}" (registered: ${c.scopes.join(", ")}). Register it, then verify.`,
        { clientId: c.clientId },
      );
    }
    return parsed.value;
  }

  private async save(c: CorreosEsCredential): Promise<void> {
    await this.d.repo.save(c);
    // Tokens of an older revision are keyed apart and never reused; only the memory copies need dropping.
    await this.d.tokens.forget(`${CARRIER}:${c.clientId}:`);
  }

  /** The verification's fresh token serves later calls, when it carries every registered scope. */
  private async keepToken(c: CorreosEsCredential, grant: CorreosEsTokenGrant | undefined): Promise<void> {
    if (!grant || !c.scopes.every((s) => grant.grantedScopes.includes(s))) return;
    await this.d.tokens.put(tokenKey(c, c.scopes), grant, this.d.renewMarginMs);
  }

  private async verifyAgainstCorreosId(
    base: CorreosEsCredential,
    oauthClientSecret: string,
  ): Promise<CredentialPayload<CorreosEsCredential> & { grant?: CorreosEsTokenGrant }> {
    let grant: CorreosEsTokenGrant;
    try {
      grant = await this.d.tokenClient.fetchToken({
        tokenUrl: this.d.endpoints.tokenUrl(base.environment),
        clientId: base.oauthClientId,
        clientSecret: oauthClientSecret,
        scopes: base.scopes,
      });
    } catch (e) {
      const refusal = correosEsRefusal(e, base.scopes);
      if (!refusal) throw e;
      this.d.logger.info({ clientId: base.clientId, carrier: CARRIER, reason: refusal.reason }, "CorreosID refused a verification");
      return { credential: null, userErrors: [refusalError(refusal, base)], warnings: [] };
    }
    const warnings: Warning[] = [];
    const missing = base.scopes.filter((s) => !grant.grantedScopes.includes(s));
    if (missing.length) {
      warnings.push({
        code: "SCOPES_NOT_GRANTED",
        message:
          `CorreosID issued a token without ${missing.join(", ")} (granted: ${grant.grantedScopes.join(", ") || "none"}). A token is ` +
          `valid only for the scopes it was issued for: ask Correos to grant the missing scopes to this application.`,
      });
    }
    if (!base.scopes.includes(CORREOS_ES_TRACKING_SCOPE)) {
      warnings.push({
        code: "TRACKING_SCOPE_MISSING",
        message:
          `The registered scopes lack ${CORREOS_ES_TRACKING_SCOPE}, which Correos (Spain) tracking needs: tracking this client's ` +
          `Spanish parcels will fail with SCOPE_NOT_GRANTED until ${CORREOS_ES_TRACKING_SCOPE} is granted and registered.`,
      });
    }
    const credential: CorreosEsCredential = {
      ...base,
      grantedScopes: grant.grantedScopes,
      status: "ACTIVE",
      statusReason: undefined,
      verifiedAt: this.nowIso(),
      updatedAt: this.nowIso(),
      tokenExpiresAt: new Date(grant.expiresAt).toISOString(),
    };
    return { credential, userErrors: [], warnings, grant };
  }
}

/**
 * `CORREOS_ES:<clientId>:<revision>.<registration>:<sorted scopes>`. The registration part is a digest of the sealed
 * secret (a fresh random IV per registration), so a client removed and registered again with another pair, whose
 * revision restarts at 1, never picks up a token cached for the old pair.
 */
export function tokenKey(c: CorreosEsCredential, scopes: readonly string[]): string {
  const registration = registrationFingerprint(c.oauthClientSecretSealed);
  return `${CARRIER}:${c.clientId}:${c.revision}.${registration}:${scopeKey(scopes)}`;
}
