// Pre-postings: validated before any upstream call, created once per idempotency key, stored with their owner, kept
// current from Correios (which has no push) when read, cancelled through Correios. A client sees only its own.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { PrepostClient, PrepostRecord, PrepostRequest } from "../../correios/client/prepost.js";
import { PRE_POSTING_VALID_DAYS, POSTING_ID, type PostingStatus } from "../../correios/domain/posting-rules.js";
import { UpstreamError } from "../../upstream/errors.js";
import type { TokenManager } from "../../upstream/token-manager.js";
import type { CorreiosBrCredential } from "../../store/credentials.js";
import type { OwnedRecords, StoredPosting } from "../../store/postings.js";
import type { AddressService } from "../addresses.js";
import type { CredentialService } from "../credentials.js";
import { fingerprintOf, type Idempotency } from "../idempotency.js";
import type { UserError, Warning } from "../user-errors.js";
import { validatePostingInput, type CreatePostingInput, type Party, type PostingRequest } from "./posting-input.js";

export interface PostingOptions {
  /** A stored posting older than this is refreshed from Correios when read (unless its status is final). */
  refreshAfterMs: number;
}

export interface PostingDeps {
  logger: Logger;
  postings: OwnedRecords<StoredPosting>;
  idempotency: Idempotency;
  client: PrepostClient;
  tokens: TokenManager;
  credentials: CredentialService;
  addresses: AddressService;
  options: PostingOptions;
  now?: () => Date;
  /** Told of every posting or return saved (the watcher watches a tracking code once it appears); never throws. */
  onSaved?: (before: StoredPosting | undefined, after: StoredPosting) => Promise<void>;
}

export interface PostingPayload {
  posting: StoredPosting | null;
  userErrors: UserError[];
  warnings: Warning[];
}

export interface PostingFilter {
  status?: PostingStatus | null;
  trackingCode?: string | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
}

const FINAL: ReadonlySet<string> = new Set(["EXPIRED", "CANCELLED", "REVERSED"]);

/**
 * A timeout or an unreadable success may have reached Correios and created the pre-posting: the key is then in doubt.
 * An error status (Correios answered that it failed), a refusal, an unreachable host or an open circuit did not act.
 */
export function mayHaveActed(e: unknown): boolean {
  return e instanceof UpstreamError && (e.kind === "TIMEOUT" || e.kind === "BAD_RESPONSE");
}

export class PostingService {
  constructor(private readonly d: PostingDeps) {}

  private now(): Date {
    return this.d.now?.() ?? new Date();
  }

  async create(clientId: string, input: CreatePostingInput): Promise<PostingPayload> {
    const { request, userErrors } = validatePostingInput(input);
    if (!request) return { posting: null, userErrors, warnings: [] };
    const credential = await this.d.credentials.usable(clientId);
    const warnings: Warning[] = [];
    const cepErrors = await this.checkRecipientCep(clientId, request.recipient, "input.recipient.address", warnings);
    if (cepErrors.length) return { posting: null, userErrors: cepErrors, warnings };
    return this.createOnce(clientId, credential, input.idempotencyKey, "posting", request, warnings, undefined);
  }

  /** Shared with returns: the same pre-posting API, with the reverse fields set. */
  async createOnce(
    clientId: string,
    credential: CorreiosBrCredential,
    idempotencyKey: string,
    scope: "posting" | "return",
    request: PostingRequest,
    warnings: Warning[],
    reverse: (PrepostRequest["reverse"] & { mode: "DROP_OFF" | "PICKUP" }) | undefined,
  ): Promise<PostingPayload> {
    const fingerprint = fingerprintOf({ request, reverse: reverse ?? null });
    const outcome = await this.d.idempotency.run<StoredPosting>({
      scope,
      clientId,
      key: idempotencyKey,
      fingerprint,
      load: (id) => this.d.postings.get(id, clientId),
      act: async () => {
        const record = await this.d.tokens.withToken(this.d.credentials.tokenSubject(credential), (token) =>
          this.d.client.create(token, { ...request, apiLogin: credential.apiLogin, postingCard: credential.postingCard, ...(reverse ? { reverse } : {}) }),
        );
        const stored = this.toStored(clientId, scope === "return" ? "RETURN" : "OUTBOUND", request, record, reverse);
        await this.d.postings.save(stored);
        await this.d.onSaved?.(undefined, stored);
        return { id: stored.id, value: stored };
      },
      isAmbiguous: mayHaveActed,
    });
    if (outcome.kind === "KEY_REUSED") {
      return {
        posting: null,
        warnings,
        userErrors: [{ field: "input.idempotencyKey", code: "IDEMPOTENCY_KEY_REUSED", message: "This idempotency key was already used with a different request; use a new key for a new request." }],
      };
    }
    if (outcome.kind === "IN_DOUBT") {
      return {
        posting: null,
        warnings,
        userErrors: [
          {
            field: "input.idempotencyKey",
            code: "IDEMPOTENCY_IN_DOUBT",
            message: `${outcome.reason} It is not sent again, so no second pre-posting can be made: check the postings list (or Correios' PPN screen) and, if it is not there, retry with a new key.`,
          },
        ],
      };
    }
    if (outcome.replayed) warnings.push({ code: "IDEMPOTENT_REPLAY", message: "This key was used before: the first result is returned and Correios was not asked again." });
    return { posting: outcome.value, userErrors: [], warnings };
  }

  /** The recipient CEP must exist; a city or state other than the CEP's is a warning (people abbreviate). */
  async checkRecipientCep(clientId: string, party: Party, field: string, warnings: Warning[]): Promise<UserError[]> {
    const [found] = await this.d.addresses.lookupMany(clientId, [party.address.cep]);
    if (found instanceof Error) {
      warnings.push({ code: "CEP_NOT_CHECKED", message: `The CEP could not be checked with Correios (${found.message.slice(0, 120)}); it was sent as given.` });
      return [];
    }
    if (!found) return [{ field: `${field}.cep`, code: "CEP_NOT_FOUND", message: `Correios does not know the CEP ${party.address.cep}.` }];
    const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
    if (fold(found.city) !== fold(party.address.city) || found.state !== party.address.state) {
      warnings.push({
        code: "CEP_CITY_MISMATCH",
        message: `CEP ${found.cep} is in ${found.city}/${found.state}, but ${party.address.city}/${party.address.state} was given; Correios delivers by the CEP.`,
      });
    }
    return [];
  }

  private toStored(
    clientId: string,
    kind: StoredPosting["kind"],
    request: PostingRequest,
    r: PrepostRecord,
    reverse: (PrepostRequest["reverse"] & { mode: "DROP_OFF" | "PICKUP" }) | undefined,
  ): StoredPosting {
    const now = this.now();
    return {
      id: r.id,
      clientId,
      kind,
      trackingCode: r.trackingCode,
      status: r.status,
      statusHistory: r.history.length ? r.history : [{ status: r.status, at: r.statusAt ?? now.toISOString() }],
      request,
      priceCents: r.priceCents,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + PRE_POSTING_VALID_DAYS * 86_400_000).toISOString(),
      refreshedAt: now.toISOString(),
      ...(reverse
        ? {
            reverse: {
              mode: reverse.mode,
              validUntil: r.validUntil ?? reverse.validUntil,
              authorizationCode: authorizationCodeOf(r),
              eticket: r.eticket,
              collectionNumber: r.collectionNumber,
              originalTrackingCode: r.originalTrackingCode ?? reverse.originalTrackingCode,
            },
          }
        : {}),
    };
  }

  /** One posting; `owner` undefined is an operator (any client). Refreshed from Correios when old and not final. */
  async get(id: string, owner: string | undefined, kind?: StoredPosting["kind"]): Promise<StoredPosting | undefined> {
    if (typeof id !== "string" || !POSTING_ID.test(id)) return undefined;
    const p = await this.d.postings.get(id, owner);
    if (!p || (kind && p.kind !== kind)) return undefined;
    return this.refreshIfOld(p);
  }

  private async refreshIfOld(p: StoredPosting): Promise<StoredPosting> {
    if (FINAL.has(p.status) || (p.status === "POSTED" && p.chargedCents !== undefined)) return p;
    if (this.now().getTime() - Date.parse(p.refreshedAt) < this.d.options.refreshAfterMs) return p;
    try {
      return await this.refresh(p);
    } catch (e) {
      this.d.logger.warn({ err: String(e), posting: p.id }, "posting refresh failed; answering the stored record");
      return p;
    }
  }

  /** Asks Correios for the posting's current status (and, once posted, what was charged). */
  async refresh(p: StoredPosting): Promise<StoredPosting> {
    const credential = await this.d.credentials.usable(p.clientId);
    const subject = this.d.credentials.tokenSubject(credential);
    const current = await this.d.tokens.withToken(subject, (token) => this.d.client.get(token, p.id));
    const next: StoredPosting = { ...p, refreshedAt: this.now().toISOString() };
    if (current) {
      next.status = current.status;
      if (current.history.length) next.statusHistory = current.history;
      else if (current.status !== p.status) next.statusHistory = [...p.statusHistory, { status: current.status, at: current.statusAt }];
      if (current.cancelReason) next.cancelReason = current.cancelReason;
      if (current.trackingCode) next.trackingCode = current.trackingCode;
    }
    if (next.status === "POSTED" && next.trackingCode && next.chargedCents === undefined) {
      const posted = await this.d.tokens.withToken(subject, (token) => this.d.client.posted(token, next.trackingCode!));
      if (posted?.chargedCents !== undefined) next.chargedCents = posted.chargedCents;
      if (posted?.postedAt) next.postedAt = posted.postedAt;
    }
    await this.d.postings.save(next);
    await this.d.onSaved?.(p, next);
    return next;
  }

  async list(owner: string | undefined, filter: PostingFilter, kind: StoredPosting["kind"]): Promise<StoredPosting[]> {
    const all = await this.d.postings.list(owner);
    const code = filter.trackingCode?.trim().toUpperCase();
    return all
      .filter((p) => p.kind === kind)
      .filter((p) => !filter.status || p.status === filter.status)
      .filter((p) => !code || p.trackingCode === code)
      .filter((p) => !filter.createdFrom || Date.parse(p.createdAt) >= filter.createdFrom.getTime())
      .filter((p) => !filter.createdTo || Date.parse(p.createdAt) <= filter.createdTo.getTime())
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  }

  /** Cancels through Correios; its refusal (already posted, say) comes back as a userError with its message. */
  async cancel(id: string, owner: string | undefined, kind: StoredPosting["kind"]): Promise<PostingPayload> {
    const p = await this.get(id, owner, kind);
    if (!p) return { posting: null, warnings: [], userErrors: [{ field: "id", code: "NOT_FOUND", message: `No ${kind === "RETURN" ? "return" : "posting"} ${String(id).slice(0, 40)} for this client.` }] };
    if (p.status === "CANCELLED") return { posting: p, warnings: [{ code: "ALREADY_CANCELLED", message: "This was already cancelled." }], userErrors: [] };
    const credential = await this.d.credentials.usable(p.clientId);
    let result: { cancelled: boolean; message?: string };
    try {
      result = await this.d.tokens.withToken(this.d.credentials.tokenSubject(credential), (token) => this.d.client.cancel(token, p.id, credential.apiLogin));
    } catch (e) {
      if (e instanceof UpstreamError && e.kind === "REQUEST_REJECTED") {
        const said = e.details.upstreamMessages?.join(" / ") || e.message;
        return { posting: p, warnings: [], userErrors: [{ field: "id", code: "CANCEL_REFUSED", message: `Correios refused the cancellation: ${said}` }] };
      }
      throw e;
    }
    if (!result.cancelled) {
      return { posting: p, warnings: [], userErrors: [{ field: "id", code: "CANCEL_REFUSED", message: `Correios refused the cancellation: ${result.message ?? "no reason given"}` }] };
    }
    const next: StoredPosting = {
      ...p,
      status: "CANCELLED",
      statusHistory: [...p.statusHistory, { status: "CANCELLED", at: this.now().toISOString() }],
      refreshedAt: this.now().toISOString(),
    };
    await this.d.postings.save(next);
    await this.d.onSaved?.(p, next);
    return { posting: next, userErrors: [], warnings: result.message ? [{ code: "CORREIOS_MESSAGE", message: result.message }] : [] };
  }

  async declaration(id: string, owner: string | undefined): Promise<string | undefined> {
    const p = await this.get(id, owner);
    if (!p) return undefined;
    const credential = await this.d.credentials.usable(p.clientId);
    return this.d.tokens.withToken(this.d.credentials.tokenSubject(credential), (token) => this.d.client.declaration(token, [p.id]));
  }
}

/**
 * Which answer field is the code a customer shows at the agency is not settled in public material
 * (../shared/correios-postings.md §2: eticket vs codigoObjeto) [UNCONFIRMED]: the e-ticket when present, else the
 * object code. This is the one place to change once staging (apihom) says otherwise.
 */
export function authorizationCodeOf(r: PrepostRecord): string | undefined {
  return r.eticket ?? r.trackingCode;
}

export const newJobId = () => `LJ${randomUUID().replace(/-/g, "")}`;
