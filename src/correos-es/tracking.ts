// Correos (Spain) tracking, "trackpub" v2: `GET /search/{code}`, and the one mapping from its Spanish fields to the
// TrackedObject the Brazilian client returns, so the Shipment type serves both carriers.
// The answer's shape differs between sources (/work/shared/correos-es-apis.md §1): a production capture is an array of
// shipments with `error` an object; an SDK types it as one object with `error` an array. Both are read; `codError`
// may be a number or a string. The token and the gateway pair travel only in headers.
import type { CorreiosHttpClient } from "../upstream/http-client.js";
import { UpstreamError } from "../upstream/errors.js";
import type { TrackedObject, TrackingEvent } from "../correios/client/tracking.js";
import type { ShipmentStatus } from "../correios/domain/tracking-status.js";
import { CORREOS_ES_PATHS } from "./endpoints.js";

export const MADRID_ZONE = "Europe/Madrid";

interface EsError {
  codError?: unknown;
  desError?: unknown;
}
interface EsEvent {
  eventDate?: unknown;
  eventHours?: unknown;
  eventCode?: unknown;
  phase?: unknown;
  phaseDes?: unknown;
  summaryText?: unknown;
  expandedText?: unknown;
  unit?: unknown;
  location?: unknown;
}
interface EsShipment {
  code?: unknown;
  deliveryDate?: unknown;
  events?: unknown;
  error?: EsError | EsError[] | null;
}

export class CorreosEsTrackingClient {
  constructor(private readonly http: CorreiosHttpClient) {}

  /**
   * One call for `codes` (comma-separated when more than one: the multi-code syntax is not documented, so the caller
   * asks again one by one for any code missing from the answer). A 404 means "not found" for every code asked.
   */
  async search(baseUrl: string, headers: Record<string, string>, codes: readonly string[], signal?: AbortSignal): Promise<Map<string, TrackedObject>> {
    const path = codes.map((c) => encodeURIComponent(c)).join(",");
    try {
      const res = await this.http.request<unknown>({
        api: "correosEsTracking",
        method: "GET",
        url: `${baseUrl}${CORREOS_ES_PATHS.tracking}/search/${path}`,
        headers: { ...headers, accept: "application/json" },
        signal,
      });
      return parseTrackpubBody(res.body, codes);
    } catch (e) {
      if (e instanceof UpstreamError && e.kind === "REQUEST_REJECTED" && e.details.status === 404) {
        const said = e.details.upstreamMessages?.[0];
        return new Map(codes.map((c) => [c, notFound(c, said ?? "Correos (Spain) has no shipment with this code.")]));
      }
      throw e;
    }
  }
}

/** Codes the answer left out are not in the map: the caller decides whether to ask again singly. */
export function parseTrackpubBody(body: unknown, codes: readonly string[]): Map<string, TrackedObject> {
  const list: unknown[] = Array.isArray(body) ? body : body && typeof body === "object" ? [body] : [];
  if (list.length === 0 && !Array.isArray(body)) {
    throw new UpstreamError("BAD_RESPONSE", "correosEsTracking", "Correos (Spain) tracking API answered without a shipment");
  }
  const out = new Map<string, TrackedObject>();
  for (const item of list) {
    if (!item || typeof item !== "object") continue;
    const s = item as EsShipment;
    const code = text(s.code)?.toUpperCase() ?? (codes.length === 1 ? codes[0] : undefined);
    if (!code) continue;
    out.set(code, mapShipment(code, s));
  }
  return out;
}

function mapShipment(code: string, s: EsShipment): TrackedObject {
  const errors = Array.isArray(s.error) ? s.error : s.error ? [s.error] : [];
  const failed = errors.find((e) => e && Number(e.codError ?? 0) !== 0 && String(e.codError).trim() !== "");
  const events = (Array.isArray(s.events) ? (s.events as EsEvent[]) : []).filter((e) => e && typeof e === "object").map(mapEvent);
  events.sort((a, b) => b.time.localeCompare(a.time));
  if (failed || events.length === 0) {
    const message = text(failed?.desError) ?? "Correos (Spain) has no events for this shipment.";
    return { ...notFound(code, message), ...(failed ? { messageCode: String(failed.codError).trim() } : {}) };
  }
  const status = events[0]!.status;
  return {
    code,
    status,
    service: { prefix: code.slice(0, 2) },
    expectedDelivery: status === "DELIVERED" ? undefined : madridDateTime(text(s.deliveryDate), undefined),
    events,
  };
}

function mapEvent(e: EsEvent): TrackingEvent {
  const code = text(e.eventCode) ?? "";
  const phase = text(e.phaseDes) ?? "";
  const where = text(e.unit) ?? text(e.location);
  return {
    code,
    type: phase,
    status: statusOfEsEvent(code, phase),
    description: text(e.summaryText) ?? phase,
    detail: text(e.expandedText),
    time: madridDateTime(text(e.eventDate), text(e.eventHours)) ?? "",
    ...(where ? { location: { unitName: where, country: "ES" } } : {}),
  };
}

function notFound(code: string, message: string): TrackedObject {
  return { code, status: "NOT_FOUND", message, service: { prefix: code.slice(0, 2) }, events: [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Status: the one table. Exact eventCode values are confirmed for three codes only [1]; the official event matrix was
// not found, so the phase (phaseDes) decides otherwise [1, Return-Shield state-map]. Unknown → UNKNOWN, text kept.

const EVENT_CODES: Readonly<Record<string, ShipmentStatus>> = {
  A090000V: "POSTED", // Prerregistrado
  A010000V: "POSTED", // Admitido
  P040000V: "IN_TRANSIT", // Clasificado
};

const PHASES: Readonly<Record<string, ShipmentStatus>> = {
  "PRE-ADMISION": "POSTED",
  "EN CAMINO": "IN_TRANSIT",
  "EN ENTREGA": "OUT_FOR_DELIVERY",
  ENTREGADO: "DELIVERED",
};

export function statusOfEsEvent(eventCode: string, phaseDes: string): ShipmentStatus {
  const byCode = EVENT_CODES[eventCode.trim().toUpperCase()];
  if (byCode) return byCode;
  const phase = phaseDes.normalize("NFD").replace(/\p{M}/gu, "").trim().toUpperCase();
  return PHASES[phase] ?? "UNKNOWN";
}

// ---------------------------------------------------------------------------------------------------------------
// Time: "DD/MM/YYYY" + "HH:MM:SS" in Madrid local time → ISO 8601 with Madrid's offset on that date, from the IANA
// zone via Intl (no DST table here).

export function madridDateTime(date: string | undefined, hours: string | undefined): string | undefined {
  const d = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(date ?? "");
  if (!d) return undefined;
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(hours ?? "00:00:00");
  if (!t) return undefined;
  const local = `${d[3]}-${d[2]}-${d[1]}T${t[1]}:${t[2]}:${t[3] ?? "00"}`;
  return `${local}${madridOffset(local)}`;
}

/** The offset (e.g. +02:00) of Europe/Madrid at a wall-clock time there. */
export function madridOffset(localIso: string): string {
  const asUtc = Date.parse(`${localIso}Z`);
  // The offset at the instant first guessed, then at the instant it gives: right on both sides of a change.
  let offset = offsetMinutesAt(asUtc);
  offset = offsetMinutesAt(asUtc - offset * 60_000);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const ZONE_FORMAT = new Intl.DateTimeFormat("en-US", { timeZone: MADRID_ZONE, timeZoneName: "longOffset" });

function offsetMinutesAt(epochMs: number): number {
  const name = ZONE_FORMAT.formatToParts(new Date(epochMs)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function text(v: unknown): string | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const t = String(v).replace(/\r\n?/g, "\n").trim();
  return t === "" ? undefined : t;
}
