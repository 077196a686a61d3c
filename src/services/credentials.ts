// Registering, verifying and using a client's Correios (Brazil) credential. Validation happens before any upstream
// call; verification always asks Correios for a fresh token; the access code is sealed at once and never returned.
import type { Logger } from "pino";
import { CREDENTIAL_REJECTED_HELP, UpstreamError } from "../upstream/errors.js";
import { API_ID } from "../correios/client/endpoints.js";
import { parseAccessCode, parseApiLogin, parseContract, parseDr, parsePostingCard } from "../correios/domain/formats.js";
import type { CwsTokenClient, CwsTokenGrant } from "../correios/client/token.js";
import type { TokenManager, TokenSubject } from "../upstream/token-manager.js";
import type { CorreiosBrCredential, CredentialRepository } from "../store/credentials.js";
import { maskSecret, registrationFingerprint } from "../store/secret-box.js";
import { notRegistered, parseClientId, type UserError, type Warning } from "./user-errors.js";
import { noCredential, ServiceError } from "./service-error.js";

export interface RegisterCredentialInput {
  clientId: string;
  apiLogin: string;
  accessCode: string;
  postingCard: string;
  contract?: string | null;
  dr?: number | null;
  verify?: boolean | null;
}

export interface CredentialPayload<C> {
  credential: C | null;
  userErrors: UserError[];
  warnings: Warning[];
}

export function credentialRejectedMessage(clientId: string, upstream?: string[]): string {
  const said = upstream?.length ? ` Correios said: "${upstream.join(" / ")}".` : "";
  return `Correios refused the API login or access code of client "${clientId}" (HTTP 401).${said} ${CREDENTIAL_REJECTED_HELP}`;
}

export interface CredentialServiceDeps {
  repo: CredentialRepository;
  tokens: TokenManager;
  cwsTokens: CwsTokenClient;
  correiosEnvironment: string;
  logger: Logger;
  now?: () => Date;
}

export class CredentialService {
  constructor(private readonly d: CredentialServiceDeps) {}

  private nowIso(): string {
    return (this.d.now?.() ?? new Date()).toISOString();
  }

  get(clientId: string): Promise<CorreiosBrCredential | undefined> {
    return this.d.repo.get("CORREIOS_BR", clientId);
  }

  /** The credential a business call may use: missing → CREDENTIAL_MISSING, refused earlier → CREDENTIAL_REJECTED. */
  async usable(clientId: string): Promise<CorreiosBrCredential> {
    const c = await this.get(clientId);
    if (!c) throw noCredential(clientId);
    if (c.status === "INVALID") {
      throw new ServiceError("CREDENTIAL_REJECTED", c.statusReason ?? credentialRejectedMessage(clientId), { clientId });
    }
    return c;
  }

  async register(input: RegisterCredentialInput): Promise<CredentialPayload<CorreiosBrCredential>> {
    const userErrors: UserError[] = [];
    const warnings: Warning[] = [];
    const field = <T>(name: string, r: { ok: true; value: T } | { ok: false; message: string }, code: string): T | undefined => {
      if (r.ok) return r.value;
      userErrors.push({ field: `input.${name}`, message: r.message, code });
      return undefined;
    };
    const clientId = field("clientId", parseClientId(input.clientId), "INVALID_CLIENT_ID");
    const apiLogin = field("apiLogin", parseApiLogin(input.apiLogin), "INVALID_API_LOGIN");
    const accessCode = field("accessCode", parseAccessCode(input.accessCode), "INVALID_ACCESS_CODE");
    const card = field("postingCard", parsePostingCard(input.postingCard), "INVALID_POSTING_CARD");
    const contract = input.contract != null && input.contract !== "" ? field("contract", parseContract(input.contract), "INVALID_CONTRACT") : undefined;
    const dr = input.dr != null ? field("dr", parseDr(input.dr), "INVALID_DR") : undefined;
    if (userErrors.length || !clientId || !apiLogin || !accessCode || !card) return { credential: null, userErrors, warnings };

    warnings.push({
      code: "POSTING_CARD_FORM",
      message:
        `Posting card stored as ${card.canonical} (10 digits with the leading 00: the form the CWS screen and the token API ` +
        `take). Merchant portals show it without the 00: ${card.short}. ` +
        (card.givenForm === "WITHOUT_LEADING_00" ? "You gave the short form; the 00 was added." : "You gave the CWS form."),
    });

    const existing = await this.get(clientId);
    const base: CorreiosBrCredential = {
      clientId,
      carrier: "CORREIOS_BR",
      apiLogin,
      accessCodeSealed: this.d.repo.seal({ carrier: "CORREIOS_BR", clientId }, "accessCode", accessCode),
      accessCodeHint: maskSecret(accessCode),
      postingCard: card.canonical,
      contract,
      dr,
      enabledApis: [],
      status: "UNVERIFIED",
      revision: (existing?.revision ?? 0) + 1,
      createdAt: existing?.createdAt ?? this.nowIso(),
      updatedAt: this.nowIso(),
    };
    if (existing && this.storedAccessCode(existing) !== accessCode) {
      warnings.push({
        code: "ACCESS_CODE_REPLACED",
        message:
          "This replaces the access code stored for this client. If the new code was generated in CWS, the old one no " +
          "longer works: every other system that used it (ERPs, shop plugins) must be updated too.",
      });
    }

    if (input.verify === false) {
      warnings.push({ code: "NOT_VERIFIED", message: "Saved without asking Correios: call verifyCredential before use to check it." });
      await this.save(base, existing);
      return { credential: base, userErrors, warnings };
    }

    const outcome = await this.verifyAgainstCorreios(base, { login: apiLogin, accessCode, card: card.canonical }, contract, dr);
    userErrors.push(...outcome.userErrors);
    warnings.push(...outcome.warnings);
    if (!outcome.credential) return { credential: null, userErrors, warnings };
    await this.save(outcome.credential, existing);
    if (outcome.grant) await this.d.tokens.put(tokenKey(outcome.credential), outcome.grant);
    return { credential: outcome.credential, userErrors, warnings };
  }

  async verify(clientId: string): Promise<CredentialPayload<CorreiosBrCredential>> {
    const existing = await this.get(clientId);
    if (!existing) {
      return { credential: null, userErrors: [notRegistered(clientId)], warnings: [] };
    }
    const accessCode = this.d.repo.open(existing, "accessCode", existing.accessCodeSealed);
    const outcome = await this.verifyAgainstCorreios(existing, { login: existing.apiLogin, accessCode, card: existing.postingCard }, existing.contract, existing.dr);
    if (outcome.credential) {
      await this.d.repo.save(outcome.credential);
      if (outcome.grant) await this.d.tokens.put(tokenKey(outcome.credential), outcome.grant);
      return outcome;
    }
    if (outcome.rejected) {
      const invalid: CorreiosBrCredential = { ...existing, status: "INVALID", statusReason: outcome.userErrors[0]?.message, updatedAt: this.nowIso() };
      await this.d.repo.save(invalid);
      return { ...outcome, credential: invalid };
    }
    return { ...outcome, credential: existing };
  }

  async list(): Promise<CorreiosBrCredential[]> {
    return (await this.d.repo.list({ carrier: "CORREIOS_BR" })) as CorreiosBrCredential[];
  }

  async remove(clientId: string): Promise<{ removed: boolean; userErrors: UserError[] }> {
    const existing = await this.get(clientId);
    if (!existing) return { removed: false, userErrors: [notRegistered(clientId)] };
    await this.d.tokens.discard(tokenKey(existing));
    await this.d.tokens.forget(`CORREIOS_BR:${clientId}:`);
    return { removed: await this.d.repo.remove("CORREIOS_BR", clientId), userErrors: [] };
  }

  /** The token subject for a stored credential: the token manager uses it to fetch and cache bearer tokens. */
  tokenSubject(c: CorreiosBrCredential): TokenSubject {
    return {
      key: tokenKey(c),
      fetch: async () => {
        const grant = await this.d.cwsTokens.fetchToken({
          login: c.apiLogin,
          accessCode: this.d.repo.open(c, "accessCode", c.accessCodeSealed),
          postingCard: c.postingCard,
        });
        return grant;
      },
      onRejected: async (e) => {
        const current = await this.get(c.clientId);
        if (current && current.revision === c.revision) {
          await this.d.repo.save({ ...current, status: "INVALID", statusReason: credentialRejectedMessage(c.clientId, e.details.upstreamMessages), updatedAt: this.nowIso() });
        }
        this.d.logger.warn({ clientId: c.clientId }, "credential refused by the Correios token API; marked INVALID");
      },
    };
  }

  /** The stored access code, or undefined when its ciphertext fails authentication (then it is being replaced). */
  private storedAccessCode(c: CorreiosBrCredential): string | undefined {
    try {
      return this.d.repo.open(c, "accessCode", c.accessCodeSealed);
    } catch {
      return undefined;
    }
  }

  private async save(c: CorreiosBrCredential, existing: CorreiosBrCredential | undefined): Promise<void> {
    await this.d.repo.save(c);
    if (existing) await this.d.tokens.forget(`CORREIOS_BR:${c.clientId}:`);
  }

  private async verifyAgainstCorreios(
    base: CorreiosBrCredential,
    creds: { login: string; accessCode: string; card: string },
    givenContract: string | undefined,
    givenDr: number | undefined,
  ): Promise<CredentialPayload<CorreiosBrCredential> & { grant?: CwsTokenGrant; rejected?: boolean }> {
    const warnings: Warning[] = [];
    let grant: CwsTokenGrant;
    try {
      grant = await this.d.cwsTokens.fetchToken({ login: creds.login, accessCode: creds.accessCode, postingCard: creds.card });
    } catch (e) {
      const refusal = refusalOf(e, base.clientId);
      if (refusal) return { credential: null, userErrors: [refusal], warnings, rejected: true };
      throw e;
    }
    if (grant.environment && grant.environment !== this.d.correiosEnvironment) {
      warnings.push({
        code: "ENVIRONMENT_MISMATCH",
        message: `Correios answered from environment ${grant.environment}, but this service is configured for ${this.d.correiosEnvironment}. Check CORREIOS_BASE_URL.`,
      });
    }
    if (givenContract && grant.contract && givenContract !== grant.contract) {
      warnings.push({ code: "CONTRACT_MISMATCH", message: `Correios ties this posting card to contract ${grant.contract}, not ${givenContract}; the Correios value was kept.` });
    }
    if (givenDr !== undefined && grant.dr !== undefined && givenDr !== grant.dr) {
      warnings.push({ code: "DR_MISMATCH", message: `Correios ties this posting card to DR ${grant.dr}, not ${givenDr}; the Correios value was kept.` });
    }
    if (grant.apis.length === 0) {
      warnings.push({
        code: "NO_API_ENABLED",
        message: "This posting card has no API enabled: price, deadline and delivery-proof images still work; tracking needs SRO Rastro (API 87) enabled in CWS.",
      });
    } else if (!grant.apis.includes(API_ID.tracking)) {
      warnings.push({
        code: "TRACKING_NOT_ENABLED",
        message:
          "Tracking (SRO Rastro, API 87) is not in this posting card's API list. Tracking calls are still sent (the lists " +
          "Correios returns are not always complete) and Correios' answer decides; if it refuses, ask Correios to enable API 87 in CWS.",
      });
    }
    const credential: CorreiosBrCredential = {
      ...base,
      contract: grant.contract ?? givenContract,
      dr: grant.dr ?? givenDr,
      cnpj: grant.cnpj,
      environment: grant.environment,
      enabledApis: grant.apis,
      loginApis: grant.loginApis,
      status: "ACTIVE",
      statusReason: undefined,
      verifiedAt: this.nowIso(),
      updatedAt: this.nowIso(),
      tokenExpiresAt: new Date(grant.expiresAt).toISOString(),
    };
    return { credential, userErrors: [], warnings, grant };
  }
}

export function tokenKey(c: { clientId: string; revision: number; accessCodeSealed: string }): string {
  return `CORREIOS_BR:${c.clientId}:${c.revision}.${registrationFingerprint(c.accessCodeSealed)}`;
}

/** Turns an answer of the token API that the user can act on into a userError; anything else is rethrown. */
function refusalOf(e: unknown, clientId: string): UserError | undefined {
  if (!(e instanceof UpstreamError)) return undefined;
  const msgs = e.details.upstreamMessages ?? [];
  if (e.kind === "CREDENTIAL_REJECTED") {
    return { field: "input.accessCode", code: "CREDENTIAL_REJECTED", message: credentialRejectedMessage(clientId, msgs) };
  }
  if (e.kind === "REQUEST_REJECTED" && msgs.some((m) => /cart[aã]o/i.test(m))) {
    return {
      field: "input.postingCard",
      code: "POSTING_CARD_REJECTED",
      message: `Correios refused the posting card: "${msgs.join(" / ")}". Check that the card belongs to this login and contract (CWS shows it with the leading 00).`,
    };
  }
  if (e.kind === "API_NOT_ENABLED") {
    return { field: "input.apiLogin", code: "API_NOT_ENABLED", message: `Correios refused the token API for this login: "${msgs.join(" / ")}". Ask Correios to enable API access for the contract.` };
  }
  if (e.kind === "REQUEST_REJECTED") {
    return { field: "input", code: "CREDENTIAL_REJECTED", message: `Correios refused the request: "${msgs.join(" / ")}".` };
  }
  return undefined;
}
