// Events a test appends to a parcel's history (POST /__simulator/tracking/{code}/events, or sim.addTrackingEvent), so
// a parcel can move while a watch looks at it. The deterministic histories (tracking-histories.ts) stay as they are;
// these events go on top of them, newest first, timed "now" (Brasília). A code with no history (the NOT_FOUND
// scenario, a fresh pre-posting's code) gets one from its first appended event. Kept by reset(), like pre-postings.

import { brasiliaLocal } from "./local-time.js";
import { readObjectCode } from "./object-codes.js";
import { isInvalidObjectCode, type History, type TrackingEvent, type Unit } from "./tracking-histories.js";
import { CITIES, UNIT_TYPES, postalTypeOf } from "./tracking-places.js";

export interface EventInput {
  codigo: string;
  tipo: string;
  /** The event's text; by default the usual one for the pair, or a generic one. */
  descricao?: string;
}

/** Correios' texts for the pairs a test most often appends [from the histories and the manual's event list]. */
const DESCRIPTIONS: Record<string, string> = {
  "PO/01": "Objeto postado",
  "RO/01": "Objeto em transferência - por favor aguarde",
  "DO/01": "Objeto em transferência - por favor aguarde",
  "OEC/01": "Objeto saiu para entrega ao destinatário",
  "OEC/03": "Objeto em rota de entrega",
  "BDE/01": "Objeto entregue ao destinatário",
  "BDE/20": "Objeto não entregue - carteiro não atendido",
  "BDE/23": "Objeto devolvido ao remetente",
  "LDI/01": "Objeto aguardando retirada no endereço indicado",
  "FC/01": "Objeto será devolvido por solicitação do remetente",
};

const ICONS: Record<string, string> = { PO: "agencia-cor", OEC: "caminhao-cor", BDE: "smile", LDI: "agencia-cor", FC: "devolucao-cor" };

export class TrackingMoves {
  /** Appended events by code, newest first. */
  private readonly byCode = new Map<string, TrackingEvent[]>();

  /** Appends one event timed now; throws TypeError for a bad code or pair (the control API answers 400). */
  add(rawCode: string, input: EventInput, nowMs = Date.now(), base?: History): TrackingEvent {
    const code = readObjectCode(rawCode);
    if (!code || isInvalidObjectCode(code)) throw new TypeError(`${String(rawCode).slice(0, 20)} is not a valid object code`);
    const codigo = typeof input?.codigo === "string" ? input.codigo.trim().toUpperCase() : "";
    let tipo = typeof input?.tipo === "string" ? input.tipo.trim() : "";
    if (/^\d$/.test(tipo)) tipo = `0${tipo}`;
    if (!/^[A-Z]{2,4}$/.test(codigo)) throw new TypeError("codigo must be 2 to 4 letters, such as BDE");
    if (!/^\d{2}$/.test(tipo)) throw new TypeError("tipo must be 2 digits, such as 01");
    if (input.descricao !== undefined && (typeof input.descricao !== "string" || input.descricao.length > 200)) {
      throw new TypeError("descricao must be text of at most 200 characters");
    }
    const previous = this.byCode.get(code)?.[0] ?? base?.eventos[0];
    const event: TrackingEvent = {
      codigo,
      tipo,
      dtHrCriado: brasiliaLocal(nowMs),
      descricao: input.descricao ?? DESCRIPTIONS[`${codigo}/${tipo}`] ?? `Evento ${codigo}/${tipo}`,
      unidade: previous?.unidade ?? defaultUnit(),
      urlIcone: `/public-resources/img/${ICONS[codigo] ?? "caminhao-cor"}.png`,
    };
    this.byCode.set(code, [event, ...(this.byCode.get(code) ?? [])]);
    return event;
  }

  /** The history with the appended events on top; a code without history gets one once an event was appended. */
  apply(code: string, history: History | undefined): History | undefined {
    const added = this.byCode.get(code);
    if (!added) return history;
    return { ...(history ?? emptyHistory(code)), eventos: [...added, ...(history?.eventos ?? [])] };
  }
}

function defaultUnit(): Unit {
  const place = CITIES[0]!;
  return { codSro: `${place.cep5}971`, tipo: UNIT_TYPES.sorting, endereco: { cidade: place.cidade, uf: place.uf } };
}

function emptyHistory(code: string): History {
  return {
    code,
    scenario: "POSTED",
    tipoPostal: postalTypeOf(code.slice(0, 2)),
    largura: 11,
    comprimento: 16,
    altura: 2,
    diametro: 0,
    peso: 0.3,
    formato: "Pacote",
    modalidade: "F",
    valorDeclarado: 0,
    eventos: [],
  };
}
