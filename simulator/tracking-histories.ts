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

/** The n-th valid code (check digit right) whose history is `scenario`; n from 0 to 9 999 999. */
export function codeForScenario(scenario: Scenario, n = 0, prefix = "AA"): string {
  if (!Number.isInteger(n) || n < 0 || n > 9_999_999) throw new RangeError("n must be an integer from 0 to 9999999");
  const digit = BY_LAST_DIGIT.indexOf(scenario);
  if (digit < 0) throw new RangeError(`unknown scenario ${String(scenario)}`);
  if (prefix.toUpperCase() === INVALID_OBJECT_PREFIX) throw new RangeError(`prefix ${INVALID_OBJECT_PREFIX} is kept for invalid objects`);
  return objectCode(prefix, n * 10 + digit);
}

export interface Unit {
  codSro?: string;
  tipo: string;
  nome?: string;
  endereco: { cidade: string; uf: string };
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

type Step = Omit<TrackingEvent, "dtHrCriado" | "dtLimiteRetirada"> & { pickupDays?: number };

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
  const steps = stepsFor(scenario, origin, dest, hub);

  let at = ANCHOR_NAIVE_MS - (Number(serial) % 20) * DAY_MS + d[3]! * 7 * 60_000;
  const chronological: TrackingEvent[] = steps.map((step, i) => {
    if (i > 0) at += (5 + ((d[i % 8]! + i * 3) % 14)) * HOUR_MS + ((d[(i + 4) % 8]! * 6 + i * 7) % 60) * 60_000;
    const { pickupDays, codigo, tipo, ...rest } = step;
    const out: TrackingEvent = { codigo, tipo, dtHrCriado: formatNaive(at), ...rest };
    if (pickupDays !== undefined) out.dtLimiteRetirada = formatNaive(endOfDay(at + pickupDays * DAY_MS));
    return out;
  });

  const postedAt = ANCHOR_NAIVE_MS - (Number(serial) % 20) * DAY_MS;
  const inTransit = scenario === "POSTED" || scenario === "IN_TRANSIT" || scenario === "OUT_FOR_DELIVERY";
  const envelope = d[6]! < 2;
  return {
    code: value,
    scenario,
    tipoPostal: postalTypeOf(value.slice(0, 2)),
    ...(inTransit ? { dtPrevista: formatNaive(endOfDay(postedAt + 6 * DAY_MS)) } : {}),
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

function unit(kind: keyof typeof UNIT_TYPES, place: Place, nome: string, suffix: string): Unit {
  return { codSro: `${place.cep5}${suffix}`, tipo: UNIT_TYPES[kind], nome, endereco: { cidade: place.cidade, uf: place.uf } };
}

function destinationOf(u: Unit): Unit {
  return { tipo: u.tipo, ...(u.nome ? { nome: u.nome } : {}), endereco: u.endereco };
}

function stepsFor(scenario: Scenario, origin: Place, dest: Place, hub: Place & { nome: string }): Step[] {
  const agency = unit("agency", origin, `AC ${origin.cidade}`, "970");
  const sorting = unit("sorting", hub, hub.nome, "971");
  const delivery = unit("delivery", dest, `CDD ${dest.cidade}`, "972");
  const pickup = unit("agency", dest, `AC ${dest.cidade}`, "973");

  const posted: Step = { codigo: "PO", tipo: "01", descricao: "Objeto postado", unidade: agency };
  const transfer = (from: Unit, to: Unit): Step => ({
    codigo: "RO",
    tipo: "01",
    descricao: "Objeto em transferência - por favor aguarde",
    unidade: from,
    unidadeDestino: destinationOf(to),
  });
  const out: Step = { codigo: "OEC", tipo: "01", descricao: "Objeto saiu para entrega ao destinatário", unidade: delivery };
  const toDestination = [posted, transfer(agency, sorting), transfer(sorting, delivery)];

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
