// The simulator's tariff, invented but documented so tests can compute expected prices by hand.
//
// Distance band from the CEPs: same first 5 digits LOCAL; same first digit STATE; first digits at most 2 apart
// REGIONAL; otherwise NATIONAL.
//
// PAC base price in R$ (service factor 1.0) by band × charged-weight bracket:
//
//   bracket      LOCAL   STATE   REGIONAL  NATIONAL
//   ≤ 300 g      15,40   18,90    24,80     31,20
//   ≤ 1 kg       17,20   21,50    29,60     38,90
//   ≤ 2 kg       19,80   25,60    36,40     49,80
//   ≤ 5 kg       26,50   34,20    51,20     73,40
//   ≤ 10 kg      38,90   49,70    76,80    112,50
//   ≤ 30 kg      64,20   83,50   134,80    198,70
//
// Product price (pcBase) = round(base × factor) in cents; factors: SEDEX 03220 1.6, PAC 03298 1.0, SEDEX 12 03140 2.2,
// SEDEX 10 03158 2.0, Mini Envios 04227 0.6 (other contracted codes: 1.0, PAC family).
// Cubic weight in grams = ceil(L × W × H / 6) (i.e. cm³ / 6000 kg; rolls use L × D × D); it is charged instead of the
// real weight when it exceeds both 5 kg and the real weight (inPesoCubico "S"). Charged weights over 30 kg use the
// top bracket. Weight limit: 30 kg real weight, 300 g for Mini Envios.
// Additional services: 001 AR R$ 7,25; 002 MP R$ 8,40; 019/064 declared value 1,5 % of the part of vlDeclarado
// above R$ 25,00 (the automatic insurance, vlSeguroAutomatico).
// Retail reference (pcReferencia) = pcBase + 20 %.
//
// Deadline days by band: LOCAL 1, STATE 2, REGIONAL 4, NATIONAL 7; SEDEX family × 0.5 rounded up (min 1) and
// delivers on Saturday; PAC family + 2. Days are counted from the posting date, skipping Sundays.

export type Band = "LOCAL" | "STATE" | "REGIONAL" | "NATIONAL";
export type Family = "SEDEX" | "PAC";

export const WEIGHT_BRACKETS_G: readonly number[] = [300, 1_000, 2_000, 5_000, 10_000, 30_000];

export const BASE_CENTS: Record<Band, readonly number[]> = {
  LOCAL: [1540, 1720, 1980, 2650, 3890, 6420],
  STATE: [1890, 2150, 2560, 3420, 4970, 8350],
  REGIONAL: [2480, 2960, 3640, 5120, 7680, 13480],
  NATIONAL: [3120, 3890, 4980, 7340, 11250, 19870],
};

export interface ProductRule {
  name: string;
  /** Service factor × 10, to stay in integers. */
  factorTenths: number;
  family: Family;
  maxWeightG: number;
}

export const PRODUCT_RULES: Record<string, ProductRule> = {
  "03220": { name: "SEDEX CONTRATO AG", factorTenths: 16, family: "SEDEX", maxWeightG: 30_000 },
  "03298": { name: "PAC CONTRATO AG", factorTenths: 10, family: "PAC", maxWeightG: 30_000 },
  "03140": { name: "SEDEX 12 CONTRATO AG", factorTenths: 22, family: "SEDEX", maxWeightG: 30_000 },
  "03158": { name: "SEDEX 10 CONTRATO AG", factorTenths: 20, family: "SEDEX", maxWeightG: 30_000 },
  "04227": { name: "CORREIOS MINI ENVIOS CTR AG", factorTenths: 6, family: "PAC", maxWeightG: 300 },
};

export function productRule(code: string): ProductRule {
  return PRODUCT_RULES[code] ?? { name: `PRODUTO ${code}`, factorTenths: 10, family: "PAC", maxWeightG: 30_000 };
}

export const CUBIC_THRESHOLD_G = 5_000;
export const AUTOMATIC_INSURANCE_CENTS = 2_500;
/** Declared-value rate in tenths of a percent (15 = 1,5 %). */
export const DECLARED_VALUE_RATE_PER_MILLE = 15;
export const DECLARED_VALUE_SERVICES: readonly string[] = ["019", "064"];
export const FIXED_SERVICE_CENTS: Record<string, number> = { "001": 725, "002": 840 };

export const DEADLINE_DAYS: Record<Band, number> = { LOCAL: 1, STATE: 2, REGIONAL: 4, NATIONAL: 7 };

export function bandOf(cepOrigem: string, cepDestino: string): Band {
  if (cepOrigem.slice(0, 5) === cepDestino.slice(0, 5)) return "LOCAL";
  const a = Number(cepOrigem[0]);
  const b = Number(cepDestino[0]);
  if (a === b) return "STATE";
  return Math.abs(a - b) <= 2 ? "REGIONAL" : "NATIONAL";
}

export function bracketIndex(weightG: number): number {
  const i = WEIGHT_BRACKETS_G.findIndex((max) => weightG <= max);
  return i < 0 ? WEIGHT_BRACKETS_G.length - 1 : i;
}

export function productPriceCents(band: Band, chargedWeightG: number, rule: ProductRule): number {
  const base = BASE_CENTS[band][bracketIndex(chargedWeightG)]!;
  return Math.round((base * rule.factorTenths) / 10);
}

export function deadlineDays(band: Band, rule: ProductRule): number {
  const days = DEADLINE_DAYS[band];
  return rule.family === "SEDEX" ? Math.max(1, Math.ceil(days / 2)) : days + 2;
}

export function isValidCep(cep: string): boolean {
  return /^\d{8}$/.test(cep) && cep !== "00000000";
}

/** Cents → Correios money text with a decimal comma: 2484 → "24,84". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, "0")}`;
}

/** "150,00", "150.5", "1.234,56" or 150 → cents; undefined when not a non-negative amount. */
export function parseMoneyCents(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  let text = value.trim();
  if (text.includes(",")) text = text.replace(/\./g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return undefined;
  const [units, fraction = ""] = text.split(".");
  return Number(units) * 100 + Number(fraction.padEnd(2, "0"));
}
