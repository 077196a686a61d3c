// Webhook endpoints: where a client wants its shipment changes sent, with which events, and the signing secrets.
// A secret is shown once, when made (create, rotate); the store keeps it sealed. A rotation keeps the old secret
// signing beside the new one for WEBHOOK_SECRET_GRACE_SECONDS, so receivers can switch without losing a message.
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import type { DisabledReason, StoredEndpoint, WebhookEndpointRecords } from "../../store/webhooks.js";
import { urlProblem } from "../../upstream/webhook-sender.js";
import { parseClientId, type UserError } from "../user-errors.js";
import { WEBHOOK_EVENT_TYPES } from "./change.js";
import { newWebhookSecret } from "./signing.js";

const MAX_ENDPOINTS_PER_CLIENT = 20;
const MAX_DESCRIPTION = 500;
/** Secrets kept at once (the current one and those still in their grace period). */
const MAX_SECRETS = 3;

export interface EndpointInput {
  url: string;
  events: string[];
  description?: string | null;
}

export interface EndpointResult {
  endpoint: StoredEndpoint | null;
  /** Set only by create and rotate: the one time it is shown. */
  secret: string | null;
  userErrors: UserError[];
}

const notFound = (endpointId: string): UserError => ({ field: "endpointId", code: "NOT_FOUND", message: `No webhook endpoint "${endpointId}" of this client.` });

export class WebhookEndpointService {
  constructor(
    private readonly records: WebhookEndpointRecords,
    private readonly config: Pick<Config, "WEBHOOK_SECRET_GRACE_SECONDS" | "WEBHOOK_ALLOW_PRIVATE_URLS" | "WEBHOOK_DISABLE_AFTER_HOURS">,
    private readonly logger: Logger,
  ) {}

  get(id: string, clientId?: string): Promise<StoredEndpoint | undefined> {
    return this.records.get(id, clientId);
  }

  /** One client's endpoints, or every client's (operators: clientId undefined). */
  list(clientId?: string): Promise<StoredEndpoint[]> {
    return clientId === undefined ? this.records.all() : this.records.ofClient(clientId);
  }

  async create(clientId: string, input: EndpointInput): Promise<EndpointResult> {
    const userErrors: UserError[] = [];
    const id = parseClientId(clientId);
    if (!id.ok) userErrors.push({ field: "input.clientId", code: "INVALID", message: id.message });
    const url = typeof input.url === "string" ? input.url.trim() : "";
    const problem = urlProblem(url, this.config.WEBHOOK_ALLOW_PRIVATE_URLS);
    if (problem) userErrors.push({ field: "input.url", code: "INVALID_URL", message: problem });
    const events = [...new Set(input.events)];
    if (!events.length) userErrors.push({ field: "input.events", code: "REQUIRED", message: "Name at least one event type." });
    const unknown = events.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
    if (unknown.length) userErrors.push({ field: "input.events", code: "INVALID", message: `Unknown event types: ${unknown.join(", ")}.` });
    const description = input.description?.trim() || null;
    if (description && description.length > MAX_DESCRIPTION) {
      userErrors.push({ field: "input.description", code: "TOO_LONG", message: `A description has at most ${MAX_DESCRIPTION} characters.` });
    }
    if (!userErrors.length && (await this.records.ofClient(clientId)).length >= MAX_ENDPOINTS_PER_CLIENT) {
      userErrors.push({ field: "input.clientId", code: "LIMIT_REACHED", message: `A client has at most ${MAX_ENDPOINTS_PER_CLIENT} webhook endpoints.` });
    }
    if (userErrors.length) return { endpoint: null, secret: null, userErrors };

    const now = new Date().toISOString();
    const endpointId = `we_${randomBytes(12).toString("base64url")}`;
    const secret = newWebhookSecret();
    const endpoint: StoredEndpoint = {
      id: endpointId,
      clientId,
      url,
      events,
      description,
      status: "ACTIVE",
      secrets: [{ sealed: this.records.sealSecret(endpointId, now, secret), createdAt: now }],
      createdAt: now,
      updatedAt: now,
    };
    await this.records.create(endpoint);
    this.logger.info({ clientId, endpointId, host: new URL(url).host, events }, "webhook endpoint created");
    return { endpoint, secret, userErrors: [] };
  }

  /** `scope`: the client acting (undefined: an operator, any client's endpoint). */
  async rotateSecret(endpointId: string, scope: string | undefined): Promise<EndpointResult> {
    const found = await this.records.get(endpointId, scope);
    if (!found) return { endpoint: null, secret: null, userErrors: [notFound(endpointId)] };
    const clientId = found.clientId;
    const secret = newWebhookSecret();
    const now = new Date();
    const graceEnds = new Date(now.getTime() + this.config.WEBHOOK_SECRET_GRACE_SECONDS * 1000).toISOString();
    const endpoint = await this.records.update(clientId, endpointId, (e) => {
      const at = now.toISOString();
      const older = e.secrets
        .filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime())
        .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < graceEnds ? s.expiresAt : graceEnds }));
      const fresh = { sealed: this.records.sealSecret(e.id, at, secret), createdAt: at };
      return { ...e, secrets: [fresh, ...older].slice(0, MAX_SECRETS), updatedAt: at };
    });
    if (!endpoint) return { endpoint: null, secret: null, userErrors: [notFound(endpointId)] };
    this.logger.info({ clientId, endpointId, graceEnds }, "webhook secret rotated");
    return { endpoint, secret, userErrors: [] };
  }

  async remove(endpointId: string, scope: string | undefined): Promise<{ removed: boolean; userErrors: UserError[] }> {
    const e = await this.records.get(endpointId, scope);
    if (!e) return { removed: false, userErrors: [notFound(endpointId)] };
    await this.records.remove(e);
    this.logger.info({ clientId: e.clientId, endpointId }, "webhook endpoint removed");
    return { removed: true, userErrors: [] };
  }

  /** Back to ACTIVE after a GONE or FAILING disable; the failure clock starts again. */
  async enable(endpointId: string, scope: string | undefined): Promise<EndpointResult> {
    const found = await this.records.get(endpointId, scope);
    if (!found) return { endpoint: null, secret: null, userErrors: [notFound(endpointId)] };
    const endpoint = await this.records.update(found.clientId, endpointId, (e) => {
      const { disabledReason: _r, disabledAt: _a, failingSince: _f, ...rest } = e;
      return { ...rest, status: "ACTIVE", updatedAt: new Date().toISOString() };
    });
    if (!endpoint) return { endpoint: null, secret: null, userErrors: [notFound(endpointId)] };
    return { endpoint, secret: null, userErrors: [] };
  }

  /** The secrets that sign now: the newest, and older ones still in their grace period. */
  signingSecrets(e: StoredEndpoint, now = Date.now()): string[] {
    return e.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now).map((s) => this.records.openSecret(e.id, s));
  }

  /** A delivery to this endpoint succeeded: the failure clock stops. */
  async noteSuccess(e: StoredEndpoint): Promise<void> {
    if (!e.failingSince) return;
    await this.records.update(e.clientId, e.id, (cur) => {
      if (!cur.failingSince) return undefined;
      const { failingSince: _f, ...rest } = cur;
      return { ...rest, updatedAt: new Date().toISOString() };
    });
  }

  /**
   * A delivery failed: 410 disables the endpoint (GONE); otherwise it is disabled (FAILING) once it has failed
   * without a success for WEBHOOK_DISABLE_AFTER_HOURS. Returns the endpoint as it now is.
   */
  async noteFailure(e: StoredEndpoint, statusCode: number | null): Promise<StoredEndpoint | undefined> {
    const now = new Date();
    const at = now.toISOString();
    const limitMs = this.config.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000;
    return this.records.update(e.clientId, e.id, (cur) => {
      if (cur.status !== "ACTIVE") return undefined;
      const failingSince = cur.failingSince ?? at;
      let reason: DisabledReason | undefined;
      if (statusCode === 410) reason = "GONE";
      else if (now.getTime() - Date.parse(failingSince) >= limitMs) reason = "FAILING";
      if (!reason) return cur.failingSince ? undefined : { ...cur, failingSince, updatedAt: at };
      this.logger.warn({ clientId: cur.clientId, endpointId: cur.id, reason }, "webhook endpoint disabled");
      return { ...cur, failingSince, status: "DISABLED", disabledReason: reason, disabledAt: at, updatedAt: at };
    });
  }
}
