// The webhook dispatcher: the ChangeSink the watcher publishes to. A change becomes one delivery for each ACTIVE
// endpoint of its client subscribed to any of its types, with id `${change.id}.${endpoint.id}`: recorded and
// scheduled before publish resolves, and created once however often the change is published (the watcher publishes
// again after a crash, with the same change id).
//
// One delivery per (change, endpoint), typed with the most specific event the endpoint asked for: a parcel delivered
// is `shipment.delivered` to an endpoint subscribed to SHIPMENT_DELIVERED, `shipment.status_changed` to one that
// asked only for status changes, and `shipment.updated` to one that asked only for new events.
import { randomBytes } from "node:crypto";
import type { DeliveryStatus, StoredDelivery, StoredEndpoint } from "../../store/webhooks.js";
import type { UserError } from "../user-errors.js";
import type { ChangeSink, ShipmentChange, WebhookEventType } from "./change.js";
import type { WebhookDeliveryService } from "./delivery.js";
import { messageIdOf } from "./signing.js";
import type { WebhookEndpointService } from "./webhook-endpoints.js";

/** Most specific first: a final or notable status, then any status change, then any new event. */
const SPECIFICITY: readonly WebhookEventType[] = [
  "SHIPMENT_DELIVERED",
  "SHIPMENT_DELIVERY_FAILED",
  "SHIPMENT_AWAITING_PICKUP",
  "SHIPMENT_RETURNED",
  "SHIPMENT_STATUS_CHANGED",
  "SHIPMENT_UPDATED",
];

/** The body's `type`: the Standard Webhooks dotted form of our enum (SHIPMENT_DELIVERY_FAILED → shipment.delivery_failed). */
export const dottedType = (t: WebhookEventType): string => t.toLowerCase().replace(/^shipment_/, "shipment.");

export const TEST_EVENT_TYPE = "webhook.test";

/** The type an endpoint gets for a change, or undefined when it asked for none of the change's types. */
export function typeFor(endpointEvents: readonly string[], changeTypes: readonly WebhookEventType[]): WebhookEventType | undefined {
  return SPECIFICITY.find((t) => changeTypes.includes(t) && endpointEvents.includes(t));
}

export class WebhookDispatcher implements ChangeSink {
  constructor(
    private readonly endpoints: WebhookEndpointService,
    private readonly deliveries: WebhookDeliveryService,
  ) {}

  async publish(change: ShipmentChange): Promise<void> {
    const endpoints = (await this.endpoints.list(change.clientId)).filter((e) => e.status === "ACTIVE");
    await Promise.all(
      endpoints.map(async (e) => {
        const type = typeFor(e.events, change.types);
        if (!type) return;
        const body = {
          type: dottedType(type),
          timestamp: change.detectedAt,
          data: { code: change.code, status: change.status, previousStatus: change.previousStatus, event: change.event, metadata: change.metadata ?? null },
        };
        await this.deliveries.enqueue(newDelivery(`${change.id}.${e.id}`, e, body.type, JSON.stringify(body), change));
      }),
    );
  }

  /** A `webhook.test` event to one endpoint, through the same records, queue and sender as a change. */
  async sendTest(endpointId: string, clientId?: string): Promise<{ delivery: StoredDelivery | null; userErrors: UserError[] }> {
    const e = await this.endpoints.get(endpointId, clientId);
    if (!e) return { delivery: null, userErrors: [{ field: "endpointId", code: "NOT_FOUND", message: `No webhook endpoint "${endpointId}" of this client.` }] };
    if (e.status !== "ACTIVE") {
      return { delivery: null, userErrors: [{ field: "endpointId", code: "ENDPOINT_DISABLED", message: `The endpoint is disabled (${e.disabledReason}): enable it first.` }] };
    }
    const now = new Date().toISOString();
    const body = { type: TEST_EVENT_TYPE, timestamp: now, data: { endpointId: e.id, message: "A test event from the Correios subgraph: the signature verifies with this endpoint's secret." } };
    const delivery = await this.deliveries.enqueue(newDelivery(`test.${randomBytes(9).toString("base64url")}.${e.id}`, e, TEST_EVENT_TYPE, JSON.stringify(body), null));
    return { delivery, userErrors: [] };
  }
}

function newDelivery(id: string, e: StoredEndpoint, type: string, payload: string, change: ShipmentChange | null): StoredDelivery {
  const now = new Date().toISOString();
  return {
    id,
    clientId: e.clientId,
    endpointId: e.id,
    messageId: messageIdOf(id),
    type,
    changeId: change?.id ?? null,
    code: change?.code ?? null,
    payload,
    status: "PENDING" satisfies DeliveryStatus,
    attempts: [],
    createdAt: now,
    updatedAt: now,
  };
}
