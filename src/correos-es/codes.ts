// Which carrier a tracking code belongs to, in one place: UPU S10 codes by their country suffix (ES → Correos Spain,
// anything else → Correios Brazil, which also tracks foreign inbound parcels), and Correos' national formats
// (/work/shared/correos-es-apis.md §3): a 23-character parcel code and a 16-character expedition code.
import { MAX_INPUT_CHARS, parseTrackingCode, truncate, type FormatResult } from "../correios/domain/formats.js";

export type TrackingCarrier = "CORREIOS_BR" | "CORREOS_ES";

export interface CarrierCode {
  code: string;
  carrier: TrackingCarrier;
}

const CHECK_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
/** 2-letter product + 4-character labeller + 16 digits + check letter [1]. */
const NATIONAL = /^[A-Z]{2}[A-Z0-9]{4}\d{16}[A-Z]$/;
/** The first 15 characters of a parcel code + its own check letter [1]. */
const EXPEDITION = /^[A-Z]{2}[A-Z0-9]{4}\d{9}[A-Z]$/;

/**
 * The check letter over the preceding characters [1, verified on two real codes]. A sum cannot see swapped characters
 * and Correos publishes no formula, so a mismatch is a soft check: callers may warn, not refuse.
 */
export function correosEsCheckLetter(body: string): string {
  let sum = 0;
  for (const ch of body) sum += ch.charCodeAt(0);
  return CHECK_LETTERS[sum % 23]!;
}

export function hasValidCheckLetter(code: string): boolean {
  return code.length > 1 && correosEsCheckLetter(code.slice(0, -1)) === code.slice(-1);
}

/** S10 (either carrier) or a Spanish national / expedition code; spaces and dashes removed, upper-cased. */
export function parseCarrierTrackingCode(input: string): FormatResult<CarrierCode> {
  if (typeof input === "string" && input.length !== 13 && input.length <= MAX_INPUT_CHARS) {
    const compact = input.replace(/[\s-]+/g, "");
    if (/^[A-Za-z0-9]+$/.test(compact) && (compact.length === 23 || compact.length === 16)) {
      const code = compact.toUpperCase();
      if (NATIONAL.test(code) || EXPEDITION.test(code)) return { ok: true, value: { code, carrier: "CORREOS_ES" } };
      return {
        ok: false,
        message: `"${truncate(code)}" is not a Correos (Spain) code: expected 2 letters, 4 letters or digits, then ${code.length === 23 ? 16 : 9} digits and a letter.`,
      };
    }
  }
  const s10 = parseTrackingCode(input);
  if (!s10.ok) return s10;
  return { ok: true, value: { code: s10.value, carrier: s10.value.endsWith("ES") ? "CORREOS_ES" : "CORREIOS_BR" } };
}

/** The carrier of a code already parsed (the loader's key). */
export function carrierOfCode(code: string): TrackingCarrier {
  return code.length !== 13 || code.endsWith("ES") ? "CORREOS_ES" : "CORREIOS_BR";
}
