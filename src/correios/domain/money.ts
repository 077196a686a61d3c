// Money as integer cents, read and written as strings: no floating point touches an amount anywhere.
// Correios sends amounts as strings with a decimal comma, e.g. "24,84" or "1.234,56" [2+].

import { truncate, type FormatResult } from "./formats.js";

/** 15 digits of cents stay below Number.MAX_SAFE_INTEGER (16 digits), so every result is exact. */
const MAX_CENTS_DIGITS = 15;

// Optional minus (discount fields may carry one), integer part plain or grouped by dots, then exactly 2 decimals.
const CORREIOS_MONEY = /^(-?)(\d{1,3}(?:\.\d{3})+|\d+),(\d{2})$/;

/**
 * "1.234,56" → 123456, "24,84" → 2484, "0,00" → 0.
 * Throws RangeError on anything else; the upstream client turns that into a bad-response error.
 */
export function parseCorreiosMoney(value: string): number {
  if (typeof value !== "string") throw new RangeError(`not a Correios money string: got ${typeof value}`);
  const s = value.trim();
  const m = s.length <= 40 ? CORREIOS_MONEY.exec(s) : null;
  if (!m) throw new RangeError(`not a Correios money string such as "24,84": "${truncate(s, 20)}"`);
  const cents = digitsToCents(m[2]!.replaceAll(".", "") + m[3]!);
  if (cents === undefined) throw new RangeError(`Correios money string out of range: "${truncate(s, 20)}"`);
  return m[1] === "-" && cents !== 0 ? -cents : cents;
}

/** Like parseCorreiosMoney, but an absent field (undefined, null or "") gives undefined. */
export function parseOptionalCorreiosMoney(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return parseCorreiosMoney(value);
}

/** 2484 → "24.84", -5 → "-0.05". Throws RangeError for anything but a safe integer. */
export function formatCents(cents: number): string {
  const [sign, units, fraction] = splitCents(cents);
  return `${sign}${units}.${fraction}`;
}

/** 2484 → "24,84", the form Correios reads (no thousands separator: 123456 → "1234,56"). */
export function centsToCorreios(cents: number): string {
  const [sign, units, fraction] = splitCents(cents);
  return `${sign}${units},${fraction}`;
}

/**
 * A non-negative amount typed by a user: "24.84", "24,84", "24", "24.8", "R$ 1.234,56", "1,234.56" → cents.
 * A grouped number without decimals ("1.234") is refused as ambiguous. Never throws.
 */
export function parseDecimalInput(input: string): FormatResult<number> {
  const raw = typeof input === "string" ? input : input === null || input === undefined ? "" : safeString(input);
  const example = "such as 24.84 or 24,84";
  if (raw.length > 64) return { ok: false, message: `The amount is far too long: expected a number ${example}.` };
  const s = raw.trim().replace(/^R\$\s*/i, "");
  if (s.length === 0) return { ok: false, message: `The amount is empty: expected a number ${example}.` };
  if (s.startsWith("-")) return { ok: false, message: "The amount must not be negative." };

  let units: string;
  let fraction: string;
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s))) {
    units = m[1]!;
    fraction = m[2] ?? "";
  } else if ((m = /^(\d{1,3}(?:\.\d{3})+),(\d{1,2})$/.exec(s))) {
    units = m[1]!.replaceAll(".", "");
    fraction = m[2]!;
  } else if ((m = /^(\d{1,3}(?:,\d{3})+)\.(\d{1,2})$/.exec(s))) {
    units = m[1]!.replaceAll(",", "");
    fraction = m[2]!;
  } else if (/^\d{1,3}(?:[.,]\d{3})+$/.test(s)) {
    return {
      ok: false,
      message: `"${truncate(s, 20)}" is ambiguous: write the cents too (1.234,00 or 1234.00), or leave out the separator.`,
    };
  } else {
    return { ok: false, message: `"${sanitize(truncate(s, 20))}" is not an amount: expected a number ${example}.` };
  }
  const cents = digitsToCents(units + fraction.padEnd(2, "0"));
  if (cents === undefined) return { ok: false, message: "The amount is too large." };
  return { ok: true, value: cents };
}

// ---------------------------------------------------------------------------------------------------------------

/** A string of digits read as an integer; undefined when it could lose precision. */
function digitsToCents(digits: string): number | undefined {
  const significant = digits.replace(/^0+(?=\d)/, "");
  if (significant.length > MAX_CENTS_DIGITS) return undefined;
  return Number(significant);
}

function splitCents(cents: number): [sign: string, units: string, fraction: string] {
  if (typeof cents !== "number" || !Number.isSafeInteger(cents)) {
    throw new RangeError(`cents must be a safe integer, got ${String(cents)}`);
  }
  const padded = String(Math.abs(cents)).padStart(3, "0");
  return [cents < 0 ? "-" : "", padded.slice(0, -2), padded.slice(-2)];
}

function safeString(input: unknown): string {
  try {
    return String(input);
  } catch {
    return "";
  }
}

function sanitize(s: string): string {
  return s.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, "\uFFFD");
}
