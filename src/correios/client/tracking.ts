// SRO Rastro: one batch call for up to L codes, and the one mapping from its Portuguese fields to ours.
import type { Logger } from "pino";
import type { CorreiosHttpClient } from "../../upstream/http-client.js";
import { CWS_PATHS, DEFAULT_ZONE_OFFSET } from "./endpoints.js";
import { UpstreamError } from "../../upstream/errors.js";
import { serviceForTrackingCode } from "../domain/products.js";
import {
  eventKey,
  isFinalStatus,
  isInvalidObjectMessage,
  isKnownEvent,
  messageCodeOf,
  SRO_NOT_FOUND,
  statusOfEvent,
  type ShipmentStatus,
} from "../domain/tracking-status.js";

export interface Place {
  unitName?: string;
  unitType?: string;
  city?: string;
  /** Two-letter Brazilian state (UF); absent for a unit abroad or one given only as "BR". */
  state?: string;
  /** ISO 3166 alpha-2: "BR" for a unit in Brazil, else the country Correios put where the state would be. */
  country?: string;
}

export interface TrackingEvent {
  code: string;
  type: string;
  status: ShipmentStatus;
  description: string;
  detail?: string;
  /** ISO 8601; with the Brasília offset for events in Brazil, without an offset abroad (see eventTime). */
  time: string;
  location?: Place;
  destination?: Place;
}

export interface TrackedObject {
  code: string;
  status: ShipmentStatus;
  /** Correios' message when the object has no history (SRO-020 not found, SRO-019 invalid). */
  message?: string;
  messageCode?: string;
  /**
   * Set when Correios calls the code itself invalid (SRO-019), with status NOT_FOUND and no events. Unlike SRO-020
   * (often just posted, worth asking again) this is permanent: an error for the caller, not an answer to cache.
   */
  invalid?: true;
  service?: { prefix: string; name?: string; category?: string; family?: string };
  expectedDelivery?: string;
  /** Newest first. */
  events: TrackingEvent[];
}

interface SroUnit {
  nome?: string;
  tipo?: string;
  endereco?: { cidade?: string; uf?: string };
}
interface SroEvent {
  codigo?: string;
  tipo?: string;
  dtHrCriado?: string;
  descricao?: string;
  detalhe?: string;
  unidade?: SroUnit;
  unidadeDestino?: SroUnit;
}
interface SroObject {
  codObjeto?: string;
  mensagem?: string;
  tipoPostal?: { sigla?: string; descricao?: string; nome?: string; categoria?: string };
  dtPrevista?: string;
  eventos?: SroEvent[];
}
interface SroResponse {
  objetos?: SroObject[];
}

export class TrackingClient {
  constructor(
    private readonly http: CorreiosHttpClient,
    private readonly baseUrl: string,
    /** Where events that no rule of the status table covers are reported (once per pair per process). */
    private readonly logger?: Logger,
  ) {}

  /** One upstream call; the caller chunks to the per-call limit. Codes Correios leaves out come back NOT_FOUND. */
  async fetchBatch(token: string, codes: string[], signal?: AbortSignal): Promise<Map<string, TrackedObject>> {
    const query = new URLSearchParams();
    for (const c of codes) query.append("codigosObjetos", c);
    query.set("resultado", "T");
    const res = await this.http.request<SroResponse>({
      api: "tracking",
      method: "GET",
      url: `${this.baseUrl}${CWS_PATHS.trackingBatch}?${query}`,
      headers: { authorization: `Bearer ${token}` },
      signal,
    });
    const parsed = parseTrackingBody(res.body, codes);
    if (this.logger) for (const o of parsed.values()) reportUncoveredEvents(o, this.logger);
    return parsed;
  }
}

/** Pairs already reported by this process; bounded, so a Correios answer full of junk cannot grow it for ever. */
const REPORTED_EVENTS = new Set<string>();
const MAX_REPORTED_EVENTS = 1000;

/** Logs, once per process, each event pair of the object that the status table has no rule for. */
export function reportUncoveredEvents(o: TrackedObject, logger: Logger): void {
  for (const e of o.events) {
    if (isKnownEvent(e.code, e.type)) continue;
    const key = eventKey(e.code, e.type);
    if (REPORTED_EVENTS.has(key) || REPORTED_EVENTS.size >= MAX_REPORTED_EVENTS) continue;
    REPORTED_EVENTS.add(key);
    logger.warn(
      { event: key, description: e.description.slice(0, 120), trackingCode: o.code },
      "tracking event not in the status table (mapped to UNKNOWN): add a rule in src/correios/domain/tracking-status.ts",
    );
  }
}

/** Maps a tracking answer to one object per code asked; codes Correios leaves out come back NOT_FOUND. */
export function parseTrackingBody(body: unknown, codes: readonly string[]): Map<string, TrackedObject> {
  const objetos = (body as SroResponse | null | undefined)?.objetos;
  if (!Array.isArray(objetos)) {
    throw new UpstreamError("BAD_RESPONSE", "tracking", "Correios tracking API answered without an objetos list");
  }
  const out = new Map<string, TrackedObject>();
  for (const o of objetos as Array<SroObject | null | undefined>) {
    if (typeof o?.codObjeto !== "string") continue;
    out.set(o.codObjeto.toUpperCase(), mapObject(o));
  }
  for (const c of codes) {
    if (!out.has(c)) out.set(c, { code: c, status: "NOT_FOUND", message: "Correios returned no data for this code.", events: [] });
  }
  return out;
}

export function localToOffset(local: string | undefined): string | undefined {
  const naive = naiveLocal(local);
  if (naive === undefined) return undefined;
  return /([+-]\d{2}:\d{2}|Z)$/.test(naive) ? naive : `${naive}${DEFAULT_ZONE_OFFSET}`;
}

/** `YYYY-MM-DDTHH:mm:ss` from a Correios local date-time (seconds added when missing); kept as is when it has an offset. */
function naiveLocal(local: string | undefined): string | undefined {
  if (typeof local !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(local)) return undefined;
  if (/([+-]\d{2}:\d{2}|Z)$/.test(local)) return local;
  return local.length === 16 ? `${local}:00` : local.slice(0, 19);
}

/**
 * The one rule for the offset of an event time. What is known: `dtHrCriado` is a local date-time without offset, in
 * Brasília time for events in Brazil [2+] (Brasília has kept UTC−3 all year since 2019; Correios uses it for every
 * state, as the manual's example shows: a delivery in Acre, UTC−5, stamped 17:03 one minute after São Paulo's event).
 * For a unit abroad nothing says whether the time is Brasília's or the foreign unit's own clock, so no offset is
 * invented: the time is given as Correios wrote it, without one. Change it here when a source settles it.
 */
export function eventTime(local: string | undefined, where: Place | undefined): string {
  if (where?.country !== undefined && where.country !== "BR") return naiveLocal(local) ?? "";
  return localToOffset(local) ?? "";
}

/** The 27 Brazilian UFs: an `uf` outside this list is a country code (units abroad carry one there, e.g. "HK"). */
const BRAZILIAN_STATES = new Set(
  "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO".split(" "),
);

function place(u: SroUnit | undefined): Place | undefined {
  if (!u || typeof u !== "object") return undefined;
  const uf = clean(u.endereco?.uf)?.toUpperCase();
  const unitType = clean(u.tipo);
  // Some UFs are also country codes (ES Spain, PE Peru, ...): a unit whose type says it is a country is read as one.
  const isCountry = uf !== undefined && /^[A-Z]{2}$/.test(uf) && (!BRAZILIAN_STATES.has(uf) || /^pa[ií]s$/i.test(unitType ?? ""));
  return {
    unitName: clean(u.nome),
    unitType,
    city: clean(u.endereco?.cidade),
    state: isCountry ? undefined : uf,
    country: isCountry ? uf : uf !== undefined ? "BR" : undefined,
  };
}

/** Text as shown to people: ends trimmed (Correios' `detalhe` may end in "\r\n"), inner CRLF made "\n"; empty → undefined. */
function clean(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = v.replace(/\r\n?/g, "\n").trim();
  return t === "" ? undefined : t;
}

const wallClock = (e: TrackingEvent) => e.time.slice(0, 19);

function mapObject(o: SroObject): TrackedObject {
  const code = o.codObjeto!.toUpperCase();
  const prefixInfo = serviceForTrackingCode(code);
  const service = {
    prefix: code.slice(0, 2),
    name: o.tipoPostal?.descricao ?? o.tipoPostal?.nome,
    category: o.tipoPostal?.categoria,
    family: prefixInfo?.family,
  };
  const events: TrackingEvent[] = (o.eventos ?? []).map((e) => {
    const location = place(e.unidade);
    return {
      code: clean(e.codigo) ?? "",
      type: clean(e.tipo) ?? "",
      status: statusOfEvent(e.codigo ?? "", e.tipo ?? ""),
      description: clean(e.descricao) ?? "",
      detail: clean(e.detalhe),
      time: eventTime(e.dtHrCriado, location),
      location,
      destination: place(e.unidadeDestino),
    };
  });
  // Newest first is what Correios sends [2+ observed, not guaranteed]: sort to be sure, on the wall-clock text, which
  // also orders events abroad (no offset) among the others.
  events.sort((a, b) => wallClock(b).localeCompare(wallClock(a)));
  if (events.length === 0) {
    const messageCode = o.mensagem ? messageCodeOf(o.mensagem) : undefined;
    return {
      code,
      status: "NOT_FOUND",
      message: o.mensagem ?? "Correios has no events for this object.",
      messageCode: messageCode ?? (o.mensagem ? undefined : SRO_NOT_FOUND),
      ...(o.mensagem && isInvalidObjectMessage(o.mensagem) ? { invalid: true as const } : {}),
      service,
      events,
    };
  }
  const status = events[0]!.status;
  return {
    code,
    status,
    service,
    expectedDelivery: isFinalStatus(status) ? undefined : localToOffset(o.dtPrevista),
    events,
  };
}
