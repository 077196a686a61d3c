// What the watcher detects and the webhook dispatcher delivers: one change of one watched parcel.
// The watcher (watches.ts / poller.ts) builds it; the dispatcher (dispatcher.ts) fans it out to the client's endpoints.

export const WEBHOOK_EVENT_TYPES = [
  "SHIPMENT_UPDATED",
  "SHIPMENT_STATUS_CHANGED",
  "SHIPMENT_DELIVERED",
  "SHIPMENT_DELIVERY_FAILED",
  "SHIPMENT_AWAITING_PICKUP",
  "SHIPMENT_RETURNED",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface ChangeEvent {
  /** Correios' event code and type (e.g. "BDE", "01"). */
  code: string;
  type: string;
  description: string;
  /** ISO 8601. */
  at: string;
  location?: string;
}

export interface ShipmentChange {
  /** Deterministic for one change of one watch (client, code, newest event, status): a change detected again after a
   * restart or by another replica has the same id, so it is published once. */
  id: string;
  clientId: string;
  code: string;
  /** The event types this change matches (always SHIPMENT_UPDATED for a new event, plus the status ones). */
  types: WebhookEventType[];
  status: string;
  previousStatus: string | null;
  event: ChangeEvent | null;
  /** The watch's metadata, as given to watchShipments. */
  metadata: unknown;
  /** ISO 8601. */
  detectedAt: string;
}

/** Where detected changes go. `publish` is durable once it resolves and idempotent by change.id. */
export interface ChangeSink {
  publish(change: ShipmentChange): Promise<void>;
}
