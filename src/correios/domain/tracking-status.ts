// The one table from SRO events (codigo + tipo) to our normalised shipment status.
//
// Sources: the event list of Correios' legacy tracking web-service manual ("Lista de Status de eventos"), as copied
// into two independent code bases found with the search tool (no repository name shown: index ids 23206353789, a
// Ruby carrier table, and 31391090500, a PHP status list). A row marked [2+] reads the same in both; [1] is in one
// of them only. The CWS API (srorastro) keeps the same codigo/tipo pairs: a CWS-era test shows BDE/01 "Objeto
// entregue ao destinatário" [1]. Pairs not listed map to UNKNOWN; callers keep the Correios description, and the
// tracking client logs each such pair once (src/correios/client/tracking.ts), so a missing row shows up in the logs.
//
// Reviewed against the event list of the facts files (/work/shared/correios-api.md: PO 01, RO/DO 01, OEC 01,
// BDE/BDI/BDR 01, LDI 01/02/03/14, BDE/BDI/BDR 20, FC, BDE/BDI 23) and the official integration manual (V2.2, 09/2023),
// whose tracking example adds OEC/03 "Objeto em rota de entrega" right before BDE/01: out for delivery, like OEC/01.
//
// Choices:
// - "Not delivered, another attempt / delay / pickup follows" → DELIVERY_FAILED.
// - "Not delivered, the object will be returned to the sender" (refused, moved, unknown addressee, not collected in
//   time, ...) → RETURNING: no further delivery attempt happens, and what the merchant needs to know is that the
//   parcel is on its way back.
// - Lost, stolen, damaged, seized and customs-hold events have no status of ours that fits; they stay UNKNOWN
//   rather than being forced into IN_TRANSIT.

export const SHIPMENT_STATUSES = [
  "POSTED",
  "IN_TRANSIT",
  "OUT_FOR_DELIVERY",
  "AWAITING_PICKUP",
  "DELIVERED",
  "DELIVERY_FAILED",
  "RETURNING",
  "RETURNED",
  "NOT_FOUND",
  "UNKNOWN",
] as const;

export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export interface TrackingEventRule {
  readonly codigos: readonly string[];
  readonly tipos: readonly string[];
  readonly status: ShipmentStatus;
  readonly confidence: "2+" | "1" | "?";
  /** What the event says, in short (from the Correios description). */
  readonly meaning: string;
}

/** The three "baixa" event types share their status numbers. */
const BD = ["BDE", "BDI", "BDR"] as const;

function rule(
  codigos: readonly string[],
  tipos: readonly string[],
  status: ShipmentStatus,
  confidence: TrackingEventRule["confidence"],
  meaning: string,
): TrackingEventRule {
  return Object.freeze({ codigos, tipos, status, confidence, meaning });
}

export const TRACKING_EVENT_RULES: readonly TrackingEventRule[] = Object.freeze([
  // Posting
  rule(["PO"], ["01"], "POSTED", "2+", "posted"),
  rule(["PO"], ["09"], "POSTED", "2+", "posted after the agency's cut-off time; moves on the next working day"),
  rule(["CO"], ["01"], "POSTED", "2+", "collected from the sender"),

  // On the way
  rule(["RO", "DO"], ["01"], "IN_TRANSIT", "2+", "forwarded between units"),
  rule(["DO"], ["02"], "IN_TRANSIT", "2+", "forwarded between units"),
  rule(["PAR"], ["16"], "IN_TRANSIT", "2+", "international object received in Brazil"),
  rule(["PAR"], ["18"], "IN_TRANSIT", "2+", "received at the export unit in the country of origin"),
  rule(["FC"], ["02"], "IN_TRANSIT", "2+", "delivery date scheduled"),
  rule(["FC"], ["03"], "IN_TRANSIT", "2+", "mis-sorted; routing being corrected"),
  rule(["FC"], ["08"], "IN_TRANSIT", "2+", "area with a longer delivery time (temporary restriction)"),
  rule(["FC"], ["10"], "IN_TRANSIT", "2+", "received at the delivery unit; delivery expected next working day"),
  rule(BD, ["32"], "IN_TRANSIT", "2+", "delivery date scheduled"),
  rule(BD, ["45"], "IN_TRANSIT", "2+", "received at the delivery unit; delivery expected next working day"),
  rule(BD, ["47"], "IN_TRANSIT", "2+", "departure for delivery cancelled; it will go out again"),
  rule(BD, ["53"], "IN_TRANSIT", "2+", "reprinted and sent again"),
  rule(BD, ["57"], "IN_TRANSIT", "2+", "tax review done; object released"),
  rule(BD, ["66"], "IN_TRANSIT", "1", "area with a longer delivery time (temporary restriction)"),

  // Last mile
  rule(["OEC"], ["01"], "OUT_FOR_DELIVERY", "2+", "out for delivery to the addressee"),
  rule(["OEC"], ["03"], "OUT_FOR_DELIVERY", "1", "on the delivery route (official manual's tracking example)"),

  // Pickup
  rule(["LDI"], ["01", "03", "04"], "AWAITING_PICKUP", "2+", "waiting to be collected at the address given"),
  rule(["LDI"], ["02"], "AWAITING_PICKUP", "2+", "available at a PO box"),
  rule(["LDI"], ["14"], "AWAITING_PICKUP", "2+", "sent for collection at the address given"),
  rule(["LDI"], ["11"], "AWAITING_PICKUP", "1", "sent for collection at the address given"),
  rule(BD, ["24"], "AWAITING_PICKUP", "2+", "available at a PO box"),

  // Delivered
  rule(BD, ["01"], "DELIVERED", "2+", "delivered to the addressee"),
  rule(["BDE"], ["67"], "DELIVERED", "1", "delivered to a neighbour, as the sender allowed"),
  rule(["BDE"], ["68"], "DELIVERED", "1", "delivered to a smart locker"),
  rule(["BDE"], ["70"], "DELIVERED", "1", "delivered to the addressee"),

  // Not delivered; another attempt, a delay or a pickup follows
  rule(BD, ["02"], "DELIVERY_FAILED", "2+", "nobody answered; the object will wait at a unit"),
  rule(BD, ["07"], "DELIVERY_FAILED", "2+", "wrong address (sources differ: delay or return)"),
  rule(["BDE"], ["18"], "DELIVERY_FAILED", "2+", "nobody answered; another attempt on Saturday"),
  rule(["BDR"], ["18"], "DELIVERY_FAILED", "1", "nobody answered; another attempt on Saturday"),
  rule(BD, ["19"], "DELIVERY_FAILED", "2+", "wrong address; delay or return to sender possible"),
  rule(BD, ["20"], "DELIVERY_FAILED", "2+", "nobody answered; another attempt will be made"),
  rule(BD, ["25"], "DELIVERY_FAILED", "2+", "company closed; delivery on the next working day"),
  rule(BD, ["33"], "DELIVERY_FAILED", "2+", "addressee did not show the required document"),
  rule(BD, ["34"], "DELIVERY_FAILED", "2+", "irregular street numbering; delay or return possible"),
  rule(BD, ["35"], "DELIVERY_FAILED", "2+", "collection or delivery not made; another attempt will be made"),
  rule(BD, ["46"], "DELIVERY_FAILED", "2+", "delivery attempt failed; expected next working day"),
  rule(["FC"], ["04"], "DELIVERY_FAILED", "2+", "wrong address; delay or return to sender possible"),
  rule(["FC"], ["07"], "DELIVERY_FAILED", "2+", "company closed; delivery on the next working day"),

  // Not delivered; going back to the sender
  rule(["FC"], ["01"], "RETURNING", "2+", "will be returned at the sender's request"),
  rule(["FC"], ["47"], "RETURNING", "1", "will be returned at the sender's request"),
  rule(BD, ["04"], "RETURNING", "2+", "addressee refused it; returning to sender"),
  rule(BD, ["05"], "RETURNING", "2+", "delivery not possible; returning to sender"),
  rule(BD, ["06"], "RETURNING", "2+", "addressee unknown at the address; returning to sender"),
  rule(BD, ["08"], "RETURNING", "2+", "wrong address; returning to sender"),
  rule(BD, ["10"], "RETURNING", "2+", "addressee moved; returning to sender"),
  rule(BD, ["21"], "RETURNING", "2+", "nobody answered; returning to sender"),
  rule(BD, ["26"], "RETURNING", "2+", "not collected in time; returning to sender"),
  rule(BD, ["36"], "RETURNING", "2+", "collection or delivery not made; returning to sender"),
  rule(BD, ["42"], "RETURNING", "2+", "incomplete batch; returning to sender"),
  rule(BD, ["48"], "RETURNING", "2+", "collection at a unit not allowed by the sender; returning"),
  rule(BD, ["49"], "RETURNING", "2+", "dimensions prevent handling; returning to sender"),
  rule(["OEC"], ["09"], "RETURNING", "2+", "out for delivery to the sender"),

  // Back with the sender
  rule(BD, ["23"], "RETURNED", "2+", "delivered back to the sender"),
]);

const STATUS_BY_EVENT: ReadonlyMap<string, ShipmentStatus> = (() => {
  const map = new Map<string, ShipmentStatus>();
  for (const r of TRACKING_EVENT_RULES) {
    for (const codigo of r.codigos) for (const tipo of r.tipos) map.set(`${codigo}/${tipo}`, r.status);
  }
  return map;
})();

/** Our status for one SRO event; pairs the table does not know give "UNKNOWN". Never throws. */
export function statusOfEvent(codigo: string, tipo: string): ShipmentStatus {
  return STATUS_BY_EVENT.get(eventKey(codigo, tipo)) ?? "UNKNOWN";
}

/** True when a rule of the table covers the pair (UNKNOWN from statusOfEvent is then a choice, not a gap). */
export function isKnownEvent(codigo: string, tipo: string): boolean {
  return STATUS_BY_EVENT.has(eventKey(codigo, tipo));
}

/** The table key of a pair, e.g. "OEC/03"; at most 8 characters each side, so a hostile value stays short. */
export function eventKey(codigo: string, tipo: string): string {
  const c = text(codigo).trim().toUpperCase().slice(0, 8);
  let t = text(tipo).trim().slice(0, 8);
  // Some clients turn "01" into 1 on the way; the table keys are two-digit strings.
  if (/^\d$/.test(t)) t = `0${t}`;
  return `${c}/${t}`;
}

/** Statuses after which polling can stop. */
export function isFinalStatus(s: ShipmentStatus): boolean {
  return s === "DELIVERED" || s === "RETURNED";
}

// ---------------------------------------------------------------------------------------------------------------
// Object-level messages. An unknown code answers HTTP 200 with mensagem "SRO-020: Objeto não encontrado na base de
// dados dos Correios." (often transient: just posted) [2+]; a malformed one "SRO-019: Objeto inválido" [2+].

export const SRO_NOT_FOUND = "SRO-020";
export const SRO_INVALID_OBJECT = "SRO-019";

/** The code at the start of a Correios message ("SRO-020", "ERP-010", "GTW-008"), upper-cased; undefined if none. */
export function messageCodeOf(mensagem: string): string | undefined {
  const head = text(mensagem).slice(0, 200);
  const m = /(?:^|[^A-Za-z0-9])([A-Za-z]{2,5}-\d{3})(?![0-9])/.exec(head);
  return m ? m[1]!.toUpperCase() : undefined;
}

export function isNotFoundMessage(mensagem: string): boolean {
  return messageCodeOf(mensagem) === SRO_NOT_FOUND;
}

export function isInvalidObjectMessage(mensagem: string): boolean {
  return messageCodeOf(mensagem) === SRO_INVALID_OBJECT;
}

function text(input: unknown): string {
  if (typeof input === "string") return input;
  if (typeof input === "number" && Number.isFinite(input)) return String(input);
  return "";
}
