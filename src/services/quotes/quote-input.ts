// What a quote asks for, checked before any upstream call and normalized so equal questions get equal cache keys.
// Every problem is collected (not just the first), each naming its input field.
import { parseCep, parseServiceCode } from "../../correios/domain/formats.js";
import { parseDecimalInput } from "../../correios/domain/money.js";
import { brasiliaDate } from "../../correios/client/pricing.js";
import { validateDeclaredValue, validatePackage, type PackageFormat, type PackageInput } from "../../correios/domain/package-limits.js";
import { additionalServiceCode, PRODUCTS, type AdditionalServiceKey } from "../../correios/domain/products.js";
import { ServiceError } from "../service-error.js";

/** Declared value is not chosen here: giving a declared value adds the product's own declared-value service. */
export type QuoteAdditionalService = Exclude<AdditionalServiceKey, "DECLARED_VALUE">;

/**
 * The posting dates sent to Correios: from this many days before today (Brasília) to this many after. No source gives
 * the range Correios accepts [guess]; the manual's examples use a date of the week they were written. A year back
 * covers re-pricing past postings, a quarter ahead covers planned ones; 9999-12-31 or 1900-01-01 never reach Correios.
 */
export const POSTING_DATE_WINDOW = { pastDays: 365, futureDays: 90 } as const;

/** More than this many services in one quote is almost certainly a mistake (there are about 20 products). */
export const MAX_SERVICES_PER_QUOTE = 20;

export interface QuoteInput {
  originCep: string;
  destinationCep: string;
  package: {
    format: string;
    weightGrams: number;
    lengthCm?: number | null;
    widthCm?: number | null;
    heightCm?: number | null;
    diameterCm?: number | null;
  };
  services?: string[] | null;
  /** BRL as typed: "150.00", "150,00", "R$ 1.234,56". */
  declaredValue?: string | null;
  additionalServices?: QuoteAdditionalService[] | null;
  /** YYYY-MM-DD. */
  postingDate?: string | null;
}

/** The package after normalization: the same shape the limits table validates. */
export type NormalizedPackage = PackageInput;

/** A validated quote. Built in a fixed key order, so JSON.stringify of it is a stable identity. */
export interface QuoteRequest {
  originCep: string;
  destinationCep: string;
  package: NormalizedPackage;
  /** Distinct, in the order asked. */
  services: string[];
  /** Codes, distinct and sorted. */
  additionalServices: string[];
  /** 0 for none. */
  declaredValueCents: number;
  postingDate?: string;
}

export interface FieldError {
  field: string;
  message: string;
}

/** Why one service of an otherwise valid quote is refused without asking Correios. */
export interface LocalRefusal {
  code: "WEIGHT_OVER_SERVICE_LIMIT" | "DECLARED_VALUE_OUT_OF_RANGE";
  field: string;
  message: string;
}

export function validateQuoteInput(input: QuoteInput, defaultServices: readonly string[], nowMs = Date.now()): QuoteRequest {
  const errors: FieldError[] = [];
  const field = <T>(name: string, r: { ok: true; value: T } | { ok: false; message: string }): T | undefined => {
    if (r.ok) return r.value;
    errors.push({ field: `input.${name}`, message: r.message });
    return undefined;
  };
  const originCep = field("originCep", parseCep(input.originCep));
  const destinationCep = field("destinationCep", parseCep(input.destinationCep));

  // The limits are checked on the package as it will be sent (sides rounded up), not as typed: 99.5 + 50.5 + 50 is
  // sent as 201 cm, and a 9.5 cm width as 10 cm.
  const given = input.package;
  const pkg = given ? normalizePackage(given) : undefined;
  const packageErrors = pkg ? validatePackage(pkg) : [{ field: "package", message: "Package is missing." }];
  const rounded = given && pkg ? roundedDimensions(given, pkg) : [];
  errors.push(...packageErrors.map((e) => ({ field: `input.${e.field}`, message: withRoundingNote(e, rounded) })));

  const services = readServices(input.services, defaultServices, errors);

  let declaredValueCents = 0;
  if (input.declaredValue !== undefined && input.declaredValue !== null && input.declaredValue.trim() !== "") {
    const cents = field("declaredValue", parseDecimalInput(input.declaredValue));
    if (cents !== undefined) {
      // The widest range of any product here; a product's own narrower range refuses only that service.
      const range = validateDeclaredValue(cents);
      errors.push(...range.map((e) => ({ field: `input.${e.field}`, message: e.message })));
      declaredValueCents = cents;
    }
  }

  const additionalServices: string[] = [];
  (input.additionalServices ?? []).forEach((key, i) => {
    const code = additionalServiceCode(key);
    if (code === undefined) errors.push({ field: `input.additionalServices[${i}]`, message: `Unknown additional service ${String(key).slice(0, 40)}.` });
    else if (!additionalServices.includes(code)) additionalServices.push(code);
  });
  additionalServices.sort();

  let postingDate: string | undefined;
  if (input.postingDate !== undefined && input.postingDate !== null && input.postingDate.trim() !== "") {
    postingDate = field("postingDate", parsePostingDate(input.postingDate, nowMs));
  }

  if (errors.length === 0 && pkg && services.length) {
    const request: QuoteRequest = {
      originCep: originCep!,
      destinationCep: destinationCep!,
      package: pkg,
      services,
      additionalServices,
      declaredValueCents,
      ...(postingDate ? { postingDate } : {}),
    };
    // A limit of one service refuses only that service; when it refuses every service asked, the input is wrong.
    const refusals = services.map((s) => localRefusal(request, s));
    if (refusals.every((r) => r !== undefined)) {
      for (const r of refusals) if (!errors.some((e) => e.message === r!.message)) errors.push({ field: r!.field, message: r!.message });
    } else {
      return request;
    }
  }
  throw badQuoteInput(errors);
}

/** A per-service limit the quote breaks (SEDEX 10/12 weight, the product family's declared-value range), if any. */
export function localRefusal(r: QuoteRequest, service: string): LocalRefusal | undefined {
  const generic = validatePackage(r.package).length;
  const specific = validatePackage(r.package, service);
  if (specific.length > generic) {
    const e = specific.find((x) => x.field === "package.weightGrams") ?? specific[0]!;
    return { code: "WEIGHT_OVER_SERVICE_LIMIT", field: `input.${e.field}`, message: e.message };
  }
  const declared = validateDeclaredValue(r.declaredValueCents, service);
  if (declared.length) return { code: "DECLARED_VALUE_OUT_OF_RANGE", field: "input.declaredValue", message: declared[0]!.message };
  return undefined;
}

function badQuoteInput(errors: FieldError[]): ServiceError {
  const list = errors.length ? errors : [{ field: "input", message: "The quote input is not valid." }];
  return new ServiceError("BAD_USER_INPUT", list.map((e) => `${e.field}: ${e.message}`).join(" "), {
    field: list[0]!.field,
    fields: list,
  });
}

/**
 * Only the dimensions of the format are kept, rounded up to whole centimetres (what Correios charges by). Numbers
 * that are not finite are kept as they are, so validation can say what is wrong with them.
 */
export function normalizePackage(p: QuoteInput["package"]): NormalizedPackage {
  const cm = (v: number | null | undefined) => (typeof v !== "number" ? undefined : Number.isFinite(v) ? Math.ceil(v) : v);
  const format = p.format as PackageFormat;
  const out: NormalizedPackage = { format, weightGrams: p.weightGrams };
  if (format === "ROLL") {
    out.lengthCm = cm(p.lengthCm);
    out.diameterCm = cm(p.diameterCm);
  } else {
    out.lengthCm = cm(p.lengthCm);
    out.widthCm = cm(p.widthCm);
    if (format === "BOX") out.heightCm = cm(p.heightCm);
  }
  return out;
}

const DIMENSIONS = ["lengthCm", "widthCm", "heightCm", "diameterCm"] as const;

/** The sides of the format that rounding changed. */
function roundedDimensions(given: QuoteInput["package"], sent: NormalizedPackage): Array<(typeof DIMENSIONS)[number]> {
  return DIMENSIONS.filter((d) => sent[d] !== undefined && Number.isFinite(sent[d]) && sent[d] !== given[d]);
}

/** A limit broken only after rounding would puzzle whoever typed the value; say that the rounded one was checked. */
function withRoundingNote(e: { field: string; message: string }, rounded: readonly string[]): string {
  const concerned = e.field === "package" ? rounded.length > 0 : rounded.some((d) => e.field === `package.${d}`);
  return concerned ? `${e.message} Sizes are rounded up to whole centimetres, as they are sent to Correios.` : e.message;
}

function readServices(given: string[] | null | undefined, defaults: readonly string[], errors: FieldError[]): string[] {
  if (given === undefined || given === null) return [...defaults];
  if (given.length === 0) {
    errors.push({ field: "input.services", message: "Give at least one service code, or leave services out for the default set." });
    return [];
  }
  if (given.length > MAX_SERVICES_PER_QUOTE) {
    errors.push({ field: "input.services", message: `At most ${MAX_SERVICES_PER_QUOTE} services per quote; ${given.length} were given.` });
    return [];
  }
  const out: string[] = [];
  given.forEach((raw, i) => {
    const parsed = parseServiceCode(raw);
    if (!parsed.ok) {
      errors.push({ field: `input.services[${i}]`, message: parsed.message });
    } else if (!parsed.value.known) {
      const known = Object.entries(PRODUCTS)
        .filter(([, p]) => p.contract)
        .map(([code, p]) => `${code} ${p.name.replace(/ \(.*\)$/, "")}`)
        .join(", ");
      errors.push({
        field: `input.services[${i}]`,
        message: `${parsed.value.code} is not a Correios product code known here. Contract codes: ${known} (retail: 04014 SEDEX, 04510 PAC).`,
      });
    } else if (!out.includes(parsed.value.code)) {
      out.push(parsed.value.code);
    }
  });
  return out;
}

function parsePostingDate(input: string, nowMs: number): { ok: true; value: string } | { ok: false; message: string } {
  const s = String(input).trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
    return { ok: false, message: `The posting date must be a real date written YYYY-MM-DD, such as 2026-12-01.` };
  }
  const today = Date.parse(`${brasiliaDate(nowMs)}T00:00:00Z`);
  const first = isoDay(today - POSTING_DATE_WINDOW.pastDays * DAY_MS);
  const last = isoDay(today + POSTING_DATE_WINDOW.futureDays * DAY_MS);
  // ISO dates compare as text.
  if (s < first || s > last) {
    return {
      ok: false,
      message:
        `The posting date ${s} is outside the range sent to Correios: from ${first} to ${last} ` +
        `(${POSTING_DATE_WINDOW.pastDays} days back to ${POSTING_DATE_WINDOW.futureDays} days ahead, Brasília time).`,
    };
  }
  return { ok: true, value: s };
}

const DAY_MS = 86_400_000;
const isoDay = (utcMidnightMs: number) => new Date(utcMidnightMs).toISOString().slice(0, 10);

