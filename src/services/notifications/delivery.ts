// Delivering webhooks: one job per delivery in the "webhook-delivery" queue. Each attempt is signed afresh (the
// webhook-timestamp is the attempt's; the webhook-id and the body never change), sent through the safe sender and
// recorded in the delivery. 2xx ends it DELIVERED; anything else runs it again after the next wait of
// WEBHOOK_RETRY_SCHEDULE (±20 % jitter), until the schedule is spent (FAILED). A 410 disables the endpoint (GONE), as
// does failing without a success for WEBHOOK_DISABLE_AFTER_HOURS (FAILING); deliveries to a disabled or removed
// endpoint end FAILED when they come due, and redeliverWebhook can send them again once it is enabled.
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import type { Job, JobQueue, JobResult } from "../../jobs/engine.js";
import { SpanKind } from "@opentelemetry/api";
import type { Metrics } from "../../telemetry/metrics.js";
import { withSpan } from "../../telemetry/tracing.js";
import type { DeliveryAttempt, DeliveryRecords, DeliveryStatus, StoredDelivery, StoredEndpoint } from "../../store/webhooks.js";
import { sendWebhook } from "../../upstream/webhook-sender.js";
import type { UserError } from "../user-errors.js";
import { signatureHeader } from "./signing.js";
import type { WebhookEndpointService } from "./webhook-endpoints.js";

export interface DeliveryJob {
  deliveryId: string;
}

export const DELIVERY_QUEUE = "webhook-delivery";
/** Deliveries sent at once by one process: each waits on a receiver, not on the CPU. */
const DELIVERY_CONCURRENCY = 16;
const JITTER = 0.2;
const USER_AGENT = "correios-subgraph-webhooks/1";

/** Job ids must not contain ':' (BullMQ refuses them). */
const jobIdOf = (deliveryId: string) => deliveryId.replaceAll(":", "|");

export interface DeliveryOptions {
  config: Pick<Config, "WEBHOOK_TIMEOUT_MS" | "WEBHOOK_RETRY_SCHEDULE" | "WEBHOOK_ALLOW_PRIVATE_URLS">;
  logger: Logger;
  records: DeliveryRecords;
  endpoints: WebhookEndpointService;
  queue: JobQueue<DeliveryJob>;
  metrics?: Metrics;
}

export class WebhookDeliveryService {
  constructor(private readonly o: DeliveryOptions) {}

  /** Starts this process's delivery worker. */
  start(): void {
    this.o.queue.work((job) => this.run(job), { concurrency: DELIVERY_CONCURRENCY });
  }

  /**
   * Records a delivery (once per id) and schedules its job; durable when it resolves. Called again with the same id
   * (a change published twice) it schedules the job again only when none is: the job ends at once on a delivery that
   * is no longer PENDING.
   */
  async enqueue(d: StoredDelivery): Promise<StoredDelivery> {
    const created = await this.o.records.createOnce(d);
    const current = created ? d : ((await this.o.records.get(d.id)) ?? d);
    if (current.status === "PENDING") await this.o.queue.add(jobIdOf(d.id), { deliveryId: d.id });
    return current;
  }

  get(id: string, clientId?: string): Promise<StoredDelivery | undefined> {
    return this.o.records.get(id, clientId);
  }

  /** An endpoint's deliveries, newest first; `clientId` limits them to one client's (undefined: an operator). */
  async list(endpointId: string, clientId: string | undefined, status?: DeliveryStatus): Promise<StoredDelivery[]> {
    return (await this.o.records.ofEndpoint(endpointId, status)).filter((d) => clientId === undefined || d.clientId === clientId);
  }

  /** Sends a delivery again now (a new attempt, the same webhook-id), whatever its status. */
  async redeliver(id: string, clientId?: string): Promise<{ delivery: StoredDelivery | null; userErrors: UserError[] }> {
    const d = await this.o.records.get(id, clientId);
    if (!d) return { delivery: null, userErrors: [{ field: "deliveryId", code: "NOT_FOUND", message: `No webhook delivery "${id}" of this client.` }] };
    const ep = await this.o.endpoints.get(d.endpointId, d.clientId);
    if (!ep) return { delivery: d, userErrors: [{ field: "deliveryId", code: "ENDPOINT_REMOVED", message: "Its endpoint was removed." }] };
    if (ep.status !== "ACTIVE") {
      return { delivery: d, userErrors: [{ field: "deliveryId", code: "ENDPOINT_DISABLED", message: `Its endpoint is disabled (${ep.disabledReason}): enable it first.` }] };
    }
    const { delivery } = await this.attempt(d, ep, "REDELIVERY");
    return { delivery, userErrors: [] };
  }

  private async run(job: Job<DeliveryJob>): Promise<JobResult<DeliveryJob>> {
    const d = await this.o.records.get(job.data.deliveryId);
    if (!d || d.status !== "PENDING") return;
    const ep = await this.o.endpoints.get(d.endpointId, d.clientId);
    if (!ep) return void (await this.fail(d.id, "its endpoint was removed"));
    if (ep.status !== "ACTIVE") return void (await this.fail(d.id, `its endpoint is disabled (${ep.disabledReason})`));
    const { delivery, attempt, endpoint } = await this.attempt(d, ep, "SCHEDULED");
    if (attempt.success || delivery.status !== "PENDING") return;
    if (endpoint?.status !== "ACTIVE") {
      return void (await this.fail(d.id, endpoint ? `its endpoint was disabled (${endpoint.disabledReason})` : "its endpoint was removed"));
    }
    const failures = delivery.attempts.filter((a) => a.trigger === "SCHEDULED" && !a.success).length;
    const wait = this.o.config.WEBHOOK_RETRY_SCHEDULE[failures - 1];
    if (wait === undefined) return void (await this.fail(d.id, `no success after ${failures} attempts`));
    const runAt = Date.now() + Math.round(wait * (1 - JITTER + Math.random() * 2 * JITTER));
    await this.o.records.update(d.id, (cur) => (cur.status === "PENDING" ? { ...cur, nextAttemptAt: new Date(runAt).toISOString() } : undefined));
    return { runAt };
  }

  /** One signed POST, recorded; the endpoint learns the outcome (failure clock, 410). */
  private async attempt(
    d: StoredDelivery,
    ep: StoredEndpoint,
    trigger: DeliveryAttempt["trigger"],
  ): Promise<{ delivery: StoredDelivery; attempt: DeliveryAttempt; endpoint: StoredEndpoint | undefined }> {
    const at = new Date();
    const headers = {
      "user-agent": USER_AGENT,
      "webhook-id": d.messageId,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signatureHeader(this.o.endpoints.signingSecrets(ep, at.getTime()), d.messageId, at, d.payload),
    };
    // The span names the endpoint by id: its URL may carry a receiver's token in the query, and the secret and
    // signature never leave the headers.
    const attemptNumber = (d.attempts.at(-1)?.number ?? 0) + 1;
    const r = await withSpan(
      "webhook delivery",
      { "webhook.endpoint_id": ep.id, "webhook.event_type": d.type, "webhook.attempt": attemptNumber, "webhook.trigger": trigger },
      async (span) => {
        const sent = await sendWebhook(ep.url, headers, d.payload, { timeoutMs: this.o.config.WEBHOOK_TIMEOUT_MS, allowPrivate: this.o.config.WEBHOOK_ALLOW_PRIVATE_URLS });
        if (sent.statusCode !== null) span.setAttribute("http.response.status_code", sent.statusCode);
        if (!sent.success) span.setAttribute("error.type", sent.statusCode !== null ? String(sent.statusCode) : "no_answer");
        return sent;
      },
      SpanKind.CLIENT,
    );
    let attempt: DeliveryAttempt = { number: attemptNumber, at: at.toISOString(), durationMs: r.durationMs, statusCode: r.statusCode, error: r.error, success: r.success, trigger };
    const delivery =
      (await this.o.records.update(d.id, (cur) => {
        attempt = { ...attempt, number: (cur.attempts.at(-1)?.number ?? 0) + 1 };
        const now = new Date().toISOString();
        const next: StoredDelivery = { ...cur, attempts: [...cur.attempts, attempt], updatedAt: now };
        if (r.success) {
          const { nextAttemptAt: _n, reason: _r, ...rest } = next;
          return { ...rest, status: "DELIVERED", deliveredAt: now };
        }
        return next;
      })) ?? d;
    this.o.metrics?.webhookDelivery(r.success ? "delivered" : r.statusCode !== null ? "rejected" : "failed", r.durationMs / 1000);
    this.o.logger.info(
      { deliveryId: d.id, endpointId: ep.id, clientId: d.clientId, type: d.type, attempt: attempt.number, statusCode: r.statusCode, durationMs: r.durationMs, error: r.error },
      r.success ? "webhook delivered" : "webhook attempt failed",
    );
    const endpoint = r.success ? (await this.o.endpoints.noteSuccess(ep), ep) : await this.o.endpoints.noteFailure(ep, r.statusCode);
    return { delivery, attempt, endpoint };
  }

  private async fail(id: string, reason: string): Promise<void> {
    let ended = false;
    await this.o.records.update(id, (cur) => {
      if (cur.status !== "PENDING") return undefined;
      ended = true;
      const { nextAttemptAt: _n, ...rest } = cur;
      return { ...rest, status: "FAILED", reason, updatedAt: new Date().toISOString() };
    });
    if (!ended) return;
    this.o.metrics?.webhookDelivery("dropped");
    this.o.logger.warn({ deliveryId: id, reason }, "webhook delivery failed for good");
  }
}
