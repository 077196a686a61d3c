// Deterministic parcel histories: everything is derived from the tracking code, nothing from "now" or randomness,
// so tests can pick a parcel by scenario and assert exact events.
//
// Scenario from the last serial digit (8th digit of the serial):
//   0,1,2 DELIVERED · 3 IN_TRANSIT · 4 POSTED · 5 OUT_FOR_DELIVERY · 6 AWAITING_PICKUP · 7 DELIVERY_FAILED ·
//   8 RETURNED · 9 NOT_FOUND
// Posting time: 2026-11-02T08:00 (Brasília) minus (serial mod 20) days, plus a few minutes; each later event comes
// 5 to 18 hours after the previous one. Origin city = CITIES[1st digit], destination = CITIES[2nd digit] (next one
// when equal), sorting hub = HUBS[3rd digit mod 4].
//
// Shapes taken from the official manual's example answer (V2.2, 09/2023): units carry a type and an address but no
// name (only the pickup agency is named here, as its detalhe tells where to go); the out-for-delivery event is
// OEC/03 "Objeto em rota de entrega" with a `detalhe` ending in "\r\n" when the 6th serial digit is odd (OEC/01
// otherwise); every event has an `urlIcone`; `dtPrevista` stays after delivery. A code whose country letters are not
// BR (an inbound parcel, e.g. …CN) starts abroad: its first units have the country code where the state would be
// ("uf": "CN", then "BR" for the hand-over), with no city.
//
// Codes with the prefix XX (INVALID_OBJECT_PREFIX), check digit right, are answered "SRO-019: Objeto inválido", as
// Correios answers a malformed code: they let a test reach that answer through our own format check, which only
// lets well-formed codes out. The prefix is our choice; no source says which well-formed codes Correios calls invalid.

import { objectCode, readObjectCode } from "./object-codes.js";
import { DAY_MS, HOUR_MS, formatNaive } from "./local-time.js";
import { CITIES, HUBS, UNIT_TYPES, postalTypeOf, type Place, type PostalType } from "./tracking-places.js";

export type Scenario =
  | "DELIVERED"
  | "IN_TRANSIT"
  | "POSTED"
  | "OUT_FOR_DELIVERY"
  | "AWAITING_PICKUP"
  | "DELIVERY_FAILED"
  | "RETURNED"
  | "NOT_FOUND";

const BY_LAST_DIGIT: readonly Scenario[] = [
  "DELIVERED", "DELIVERED", "DELIVERED", "IN_TRANSIT", "POSTED",
  "OUT_FOR_DELIVERY", "AWAITING_PICKUP", "DELIVERY_FAILED", "RETURNED", "NOT_FOUND",
];

const ANCHOR_NAIVE_MS = Date.UTC(2026, 10, 2, 8, 0, 0);

export const INVALID_OBJECT_PREFIX = "XX";

/** True for a well-formed code the simulator answers with SRO-019 (prefix XX). */
export function isInvalidObjectCode(code: string): boolean {
  return readObjectCode(code)?.startsWith(INVALID_OBJECT_PREFIX) ?? false;
}

/** The n-th well-formed code (check digit right) that the simulator calls invalid (SRO-019); n from 0 to 99 999 999. */
export function invalidObjectCode(n = 0): string {
  if (!Number.isInteger(n) || n < 0 || n > 99_999_999) throw new RangeError("n must be an integer from 0 to 99999999");
  return objectCode(INVALID_OBJECT_PREFIX, n);
}

/** The scenario of a valid code; undefined when the code fails the format or check digit, or is an XX code. */
export function scenarioOf(code: string): Scenario | undefined {
  const value = readObjectCode(code);
  if (!value || isInvalidObjectCode(value)) return undefined;
  return BY_LAST_DIGIT[Number(value[9])];
}

/**
 * The n-th valid code (check digit right) whose history is `scenario`; n from 0 to 9 999 999. A country other than BR
 * gives an inbound parcel whose history starts abroad.
 */
export function codeForScenario(scenario: Scenario, n = 0, prefix = "AA", country = "BR"): string {
  if (!Number.isInteger(n) || n < 0 || n > 9_999_999) throw new RangeError("n must be an integer from 0 to 9999999");
  const digit = BY_LAST_DIGIT.indexOf(scenario);
  if (digit < 0) throw new RangeError(`unknown scenario ${String(scenario)}`);
  if (prefix.toUpperCase() === INVALID_OBJECT_PREFIX) throw new RangeError(`prefix ${INVALID_OBJECT_PREFIX} is kept for invalid objects`);
  return objectCode(prefix, n * 10 + digit, country);
}

export interface Unit {
  codSro?: string;
  tipo: string;
  nome?: string;
  /** No city for a unit abroad, whose `uf` holds a country code. */
  endereco: { cidade?: string; uf: string };
}

export interface TrackingEvent {
  codigo: string;
  tipo: string;
  dtHrCriado: string;
  descricao: string;
  detalhe?: string;
  unidade: Unit;
  unidadeDestino?: Unit;
  dtLimiteRetirada?: string;
  urlIcone: string;
}

export interface History {
  code: string;
  scenario: Exclude<Scenario, "NOT_FOUND">;
  tipoPostal: PostalType;
  dtPrevista?: string;
  largura: number;
  comprimento: number;
  altura: number;
  diametro: number;
  peso: number;
  formato: string;
  modalidade: string;
  valorDeclarado: number;
  /** Newest first, as the real API answers. */
  eventos: TrackingEvent[];
}

type Step = Omit<TrackingEvent, "dtHrCriado" | "dtLimiteRetirada" | "urlIcone"> & { pickupDays?: number };

/** The full history of a known parcel; undefined for invalid codes (XX ones too) and for the NOT_FOUND scenario. */
export function historyOf(code: string): History | undefined {
  const value = readObjectCode(code);
  if (!value || isInvalidObjectCode(value)) return undefined;
  const scenario = BY_LAST_DIGIT[Number(value[9])]!;
  if (scenario === "NOT_FOUND") return undefined;
  const serial = value.slice(2, 10);
  const d = [...serial].map(Number);

  const origin = CITIES[d[0]!]!;
  const dest = CITIES[d[1] === d[0] ? (d[1]! + 1) % CITIES.length : d[1]!]!;
  const hub = HUBS[d[2]! % HUBS.length]!;
  const abroad = value.slice(11) === "BR" ? undefined : value.slice(11);
  const steps = stepsFor(scenario, origin, dest, hub, abroad, d[5]! % 2 === 1);

  let at = ANCHOR_NAIVE_MS - (Number(serial) % 20) * DAY_MS + d[3]! * 7 * 60_000;
  const chronological: TrackingEvent[] = steps.map((step, i) => {
    if (i > 0) at += (5 + ((d[i % 8]! + i * 3) % 14)) * HOUR_MS + ((d[(i + 4) % 8]! * 6 + i * 7) % 60) * 60_000;
    const { pickupDays, codigo, tipo, ...rest } = step;
    const out: TrackingEvent = { codigo, tipo, dtHrCriado: formatNaive(at), ...rest, urlIcone: iconOf(codigo) };
    if (pickupDays !== undefined) out.dtLimiteRetirada = formatNaive(endOfDay(at + pickupDays * DAY_MS));
    return out;
  });

  const postedAt = ANCHOR_NAIVE_MS - (Number(serial) % 20) * DAY_MS;
  const envelope = d[6]! < 2;
  return {
    code: value,
    scenario,
    tipoPostal: postalTypeOf(value.slice(0, 2)),
    // Kept after delivery too, as in the manual's example.
    dtPrevista: formatNaive(endOfDay(postedAt + 6 * DAY_MS)),
    largura: 11 + d[4]!,
    comprimento: 16 + d[5]! * 2,
    altura: envelope ? 1 : 2 + d[6]!,
    diametro: 0,
    peso: (100 + (Number(serial) % 4900)) / 1000,
    formato: envelope ? "Envelope" : "Pacote",
    modalidade: "F",
    valorDeclarado: d[5]! >= 5 ? 100 + d[4]! * 10 : 0,
    eventos: chronological.reverse(),
  };
}

/** Naive time of the delivered (BDE/01) event, for the delivery proof. */
export function deliveredAt(code: string): string | undefined {
  return historyOf(code)?.eventos.find((e) => e.codigo === "BDE" && e.tipo === "01")?.dtHrCriado;
}

function endOfDay(naiveMs: number): number {
  return naiveMs - (naiveMs % DAY_MS) + DAY_MS - 1000;
}

function unit(kind: keyof typeof UNIT_TYPES, place: Place, suffix: string, nome?: string): Unit {
  const address = { cidade: place.cidade, uf: place.uf };
  return { codSro: `${place.cep5}${suffix}`, tipo: UNIT_TYPES[kind], ...(nome ? { nome } : {}), endereco: address };
}

/** A unit abroad, as the manual shows one: a country code where the state would be, no city, no name. */
function countryUnit(country: string): Unit {
  return { tipo: UNIT_TYPES.country, endereco: { uf: country } };
}

/** Icon paths by event family [ours: the field is the manual's, these paths are illustrative]. */
function iconOf(codigo: string): string {
  const icons: Record<string, string> = { PO: "agencia-cor", OEC: "caminhao-cor", BDE: "smile", LDI: "agencia-cor", FC: "devolucao-cor" };
  return `/public-resources/img/${icons[codigo] ?? "caminhao-cor"}.png`;
}

function destinationOf(u: Unit): Unit {
  return { tipo: u.tipo, ...(u.nome ? { nome: u.nome } : {}), endereco: u.endereco };
}

function stepsFor(scenario: Scenario, origin: Place, dest: Place, hub: Place, abroad: string | undefined, routeEvent: boolean): Step[] {
  const agency = unit("agency", origin, "970");
  const sorting = unit("sorting", hub, "971");
  const delivery = unit("delivery", dest, "972");
  const pickup = unit("agency", dest, "973", `AC ${dest.cidade}`);

  const posted: Step = { codigo: "PO", tipo: "01", descricao: "Objeto postado", unidade: abroad ? countryUnit(abroad) : agency };
  const transfer = (from: Unit, to: Unit): Step => ({
    codigo: "RO",
    tipo: "01",
    descricao: "Objeto em transferência - por favor aguarde",
    unidade: from,
    unidadeDestino: destinationOf(to),
  });
  const out: Step = routeEvent
    ? {
        codigo: "OEC",
        tipo: "03",
        descricao: "Objeto em rota de entrega",
        detalhe: "Aguarde envio de link para acompanhar a entrega em tempo real\r\n",
        unidade: delivery,
      }
    : { codigo: "OEC", tipo: "01", descricao: "Objeto saiu para entrega ao destinatário", unidade: delivery };
  const firstLeg = abroad
    ? [
        transfer(countryUnit(abroad), countryUnit("BR")),
        { codigo: "PAR", tipo: "16", descricao: "Objeto recebido pelos Correios do Brasil", unidade: sorting },
      ]
    : [transfer(agency, sorting)];
  const toDestination = [posted, ...firstLeg, transfer(sorting, delivery)];

  switch (scenario) {
    case "POSTED":
      return [posted];
    case "IN_TRANSIT":
      return toDestination;
    case "OUT_FOR_DELIVERY":
      return [...toDestination, out];
    case "DELIVERED":
      return [...toDestination, out, { codigo: "BDE", tipo: "01", descricao: "Objeto entregue ao destinatário", unidade: delivery }];
    case "AWAITING_PICKUP":
      return [
        ...toDestination,
        {
          codigo: "LDI",
          tipo: "01",
          descricao: "Objeto aguardando retirada no endereço indicado",
          detalhe: `Para retirá-lo, vá à ${pickup.nome} com documento de identificação.`,
          unidade: pickup,
          pickupDays: 7,
        },
      ];
    case "DELIVERY_FAILED":
      return [...toDestination, out, { codigo: "BDE", tipo: "20", descricao: "Objeto não entregue - carteiro não atendido", unidade: delivery }];
    case "RETURNED":
      return [
        ...toDestination,
        { codigo: "FC", tipo: "01", descricao: "Objeto será devolvido por solicitação do remetente", unidade: delivery },
        transfer(delivery, agency),
        { codigo: "BDE", tipo: "23", descricao: "Objeto devolvido ao remetente", unidade: agency },
      ];
    case "NOT_FOUND":
      return [];
  }
}
