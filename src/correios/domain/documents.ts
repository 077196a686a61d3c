// Brazilian documents and contact details as Correios wants them: CPF and CNPJ with their check digits, phones split
// into landline and mobile (a 9-digit mobile in the landline field is a known refusal [1: SPORT]), e-mail.
// Like formats.ts, every parse* accepts anything at run time and returns a result instead of throwing.
import type { FormatResult } from "./formats.js";

const digitsOf = (input: unknown): string => (typeof input === "string" ? input.replace(/[\s./-]+/g, "") : "");

function mod11Digit(digits: string, weights: number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * weights[i]!;
  const r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

export function isValidCpf(d: string): boolean {
  if (!/^\d{11}$/.test(d) || /^(\d)\1{10}$/.test(d)) return false;
  const first = mod11Digit(d, [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = mod11Digit(d, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return first === Number(d[9]) && second === Number(d[10]);
}

export function isValidCnpj(d: string): boolean {
  if (!/^\d{14}$/.test(d) || /^(\d)\1{13}$/.test(d)) return false;
  const first = mod11Digit(d, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = mod11Digit(d, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return first === Number(d[12]) && second === Number(d[13]);
}

export interface TaxDocument {
  kind: "CPF" | "CNPJ";
  digits: string;
}

/** CPF (11 digits) or CNPJ (14 digits), punctuation allowed, check digits verified. */
export function parseTaxDocument(input: unknown): FormatResult<TaxDocument> {
  const d = digitsOf(input);
  if (d.length === 11) {
    return isValidCpf(d) ? { ok: true, value: { kind: "CPF", digits: d } } : { ok: false, message: "This CPF has wrong check digits; check for a typo." };
  }
  if (d.length === 14) {
    return isValidCnpj(d) ? { ok: true, value: { kind: "CNPJ", digits: d } } : { ok: false, message: "This CNPJ has wrong check digits; check for a typo." };
  }
  return { ok: false, message: "Expected a CPF (11 digits) or a CNPJ (14 digits), with or without punctuation." };
}

export interface Phone {
  /** Two-digit area code (DDD). */
  areaCode: string;
  number: string;
}

/** Area codes in use: 11–99 without a zero second digit [Anatel plan; the check is only on shape]. */
const DDD = /^[1-9][1-9]$/;

function splitPhone(input: unknown): { areaCode: string; number: string } | undefined {
  let d = digitsOf(typeof input === "string" ? input.replace(/[()]/g, "") : input);
  if (d.startsWith("55") && (d.length === 12 || d.length === 13)) d = d.slice(2);
  if (d.startsWith("0") && (d.length === 11 || d.length === 12)) d = d.slice(1);
  if (d.length !== 10 && d.length !== 11) return undefined;
  const areaCode = d.slice(0, 2);
  if (!DDD.test(areaCode)) return undefined;
  return { areaCode, number: d.slice(2) };
}

/** A landline: area code + 8 digits starting 2–5. A 9-digit number here is a mobile, which Correios refuses. */
export function parseLandline(input: unknown): FormatResult<Phone> {
  const p = splitPhone(input);
  if (!p) return { ok: false, message: "Expected a landline with its area code, such as (11) 3333-4444." };
  if (p.number.length === 9) {
    return { ok: false, message: "This is a 9-digit mobile number: give it as mobile (Correios refuses mobiles in the landline field)." };
  }
  if (!/^[2-5]\d{7}$/.test(p.number)) return { ok: false, message: "A landline has 8 digits after the area code, starting with 2 to 5." };
  return { ok: true, value: p };
}

/** A mobile: area code + 9 digits starting with 9. */
export function parseMobile(input: unknown): FormatResult<Phone> {
  const p = splitPhone(input);
  if (!p || !/^9\d{8}$/.test(p.number)) return { ok: false, message: "Expected a mobile with its area code, such as (11) 98765-4321." };
  return { ok: true, value: p };
}

/** A plain address check: one @, a dot in the domain, no spaces; the mailbox itself is the recipient's business. */
export function parseEmail(input: unknown, max: number): FormatResult<string> {
  const s = typeof input === "string" ? input.trim() : "";
  if (s.length > max) return { ok: false, message: `An e-mail address here has at most ${max} characters.` };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(s)) return { ok: false, message: "Expected an e-mail address such as nome@exemplo.com.br." };
  return { ok: true, value: s };
}
