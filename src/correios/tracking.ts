// SRO Rastro: one batch call for up to L codes, and the one mapping from its Portuguese fields to ours.
import type { CorreiosHttpClient } from "./http.js";
import { CWS_PATHS, DEFAULT_ZONE_OFFSET } from "./endpoints.js";
import { UpstreamError } from "./errors.js";
import { serviceForTrackingCode } from "./products.js";
import { isFinalStatus, isInvalidObjectMessage, messageCodeOf, SRO_NOT_FOUND, statusOfEvent, type ShipmentStatus } from "./tracking-status.js";

export interface Place {
  unitName?: string;
  unitType?: string;
  city?: string;
  state?: string;
}

export interface TrackingEvent {
  code: string;
  type: string;
  status: ShipmentStatus;
  description: string;
  detail?: string;
  /** ISO 8601 with the Brasília offset, e.g. 2026-10-01T11:42:00-03:00. */
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
    return parseTrackingBody(res.body, codes);
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
  if (!local || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(local)) return undefined;
  if (/([+-]\d{2}:\d{2}|Z)$/.test(local)) return local;
  return `${local.length === 16 ? `${local}:00` : local.slice(0, 19)}${DEFAULT_ZONE_OFFSET}`;
}

function place(u: SroUnit | undefined): Place | undefined {
  if (!u) return undefined;
  return { unitName: u.nome, unitType: u.tipo, city: u.endereco?.cidade, state: u.endereco?.uf };
}

function mapObject(o: SroObject): TrackedObject {
  const code = o.codObjeto!.toUpperCase();
  const prefixInfo = serviceForTrackingCode(code);
  const service = {
    prefix: code.slice(0, 2),
    name: o.tipoPostal?.descricao ?? o.tipoPostal?.nome,
    category: o.tipoPostal?.categoria,
    family: prefixInfo?.family,
  };
  const events: TrackingEvent[] = (o.eventos ?? []).map((e) => ({
    code: e.codigo ?? "",
    type: e.tipo ?? "",
    status: statusOfEvent(e.codigo ?? "", e.tipo ?? ""),
    description: e.descricao ?? "",
    detail: e.detalhe || undefined,
    time: localToOffset(e.dtHrCriado) ?? "",
    location: place(e.unidade),
    destination: place(e.unidadeDestino),
  }));
  // Newest first is what Correios sends [2+ observed, not guaranteed]: sort to be sure.
  events.sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
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
