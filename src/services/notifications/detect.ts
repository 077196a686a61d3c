// Change detection, pure: what a watched parcel shows now against what it showed at the last poll (its baseline).
// A change is a new newest event (its code, type and time) or a new status. The first answer of a watch is its
// baseline, not a change. The change id is a hash of what makes the change (client, parcel, newest event, status), so
// the same change found again (after a crash between publishing and saving the baseline, or by another replica) has
// the same id and the sink publishes it once.
import { createHash } from "node:crypto";
import type { TrackedObject, TrackingEvent } from "../../correios/client/tracking.js";
import type { ShipmentStatus } from "../../correios/domain/tracking-status.js";
import type { ChangeEvent, ShipmentChange, WebhookEventType } from "./change.js";

export interface Baseline {
  status: ShipmentStatus;
  /** `code|type|time` of the newest event; null while the parcel has no history (NOT_FOUND). */
  newestEvent: string | null;
  /** When the answer it was taken from was fetched from Correios (ms). */
  fetchedAt: number;
}

export interface Observation {
  clientId: string;
  code: string;
  object: TrackedObject;
  fetchedAt: number;
  /** When the newest answer an earlier poll saw was fetched (ms), if known. */
  seenAt?: number;
  metadata: unknown;
  now: number;
}

export interface Detection {
  /** The baseline to save once the change (if any) is published. */
  baseline: Baseline;
  change?: ShipmentChange;
}

/** The statuses with an event type of their own, beside SHIPMENT_STATUS_CHANGED. */
const STATUS_TYPES: Partial<Record<ShipmentStatus, WebhookEventType>> = {
  DELIVERED: "SHIPMENT_DELIVERED",
  DELIVERY_FAILED: "SHIPMENT_DELIVERY_FAILED",
  AWAITING_PICKUP: "SHIPMENT_AWAITING_PICKUP",
  RETURNED: "SHIPMENT_RETURNED",
};

export const eventKeyOf = (e: TrackingEvent | undefined): string | null => (e ? `${e.code}|${e.type}|${e.time}` : null);

export function baselineOf(object: TrackedObject, fetchedAt: number): Baseline {
  return { status: object.status, newestEvent: eventKeyOf(object.events[0]), fetchedAt };
}

export function changeId(clientId: string, code: string, newestEvent: string | null, status: string): string {
  const digest = createHash("sha256").update(JSON.stringify([clientId, code, newestEvent, status])).digest("hex");
  return `chg_${digest.slice(0, 32)}`;
}

/** Compares one answer with the baseline; `previous` undefined means this answer is the baseline. */
export function detect(previous: Baseline | undefined, o: Observation): Detection {
  const next = baselineOf(o.object, o.fetchedAt);
  if (!previous) return { baseline: next };
  // An answer no newer than one already compared (another replica's memory cache, say) says nothing new: it could
  // even be older than the baseline, and going back is not a change.
  if (o.fetchedAt <= Math.max(previous.fetchedAt, o.seenAt ?? 0)) return { baseline: previous };
  // A parcel with a history that comes back without one (SRO-020 for a moment) has not moved: keep what it showed.
  if (previous.newestEvent !== null && next.newestEvent === null) return { baseline: previous };
  const newEvent = next.newestEvent !== previous.newestEvent;
  const newStatus = next.status !== previous.status;
  // Unchanged: the baseline stays as it is (nothing to save).
  if (!newEvent && !newStatus) return { baseline: previous };

  const newest = o.object.events[0];
  const types: WebhookEventType[] = [];
  if (newEvent) types.push("SHIPMENT_UPDATED");
  if (newStatus) types.push("SHIPMENT_STATUS_CHANGED");
  // A status of its own is told when the parcel reaches it, and again on a new event of that status (a second failed
  // delivery attempt is news even though the status stays DELIVERY_FAILED).
  const own = STATUS_TYPES[next.status];
  if (own && (newStatus || (newEvent && newest?.status === next.status))) types.push(own);

  return {
    baseline: next,
    change: {
      id: changeId(o.clientId, o.code, next.newestEvent, next.status),
      clientId: o.clientId,
      code: o.code,
      types,
      status: next.status,
      previousStatus: previous.status,
      event: newest ? changeEvent(newest) : null,
      metadata: o.metadata,
      detectedAt: new Date(o.now).toISOString(),
    },
  };
}

function changeEvent(e: TrackingEvent): ChangeEvent {
  const place = e.location ? [e.location.city, e.location.state ?? e.location.country].filter(Boolean).join("/") || e.location.unitName : undefined;
  return { code: e.code, type: e.type, description: e.description, at: e.time, ...(place ? { location: place } : {}) };
}
