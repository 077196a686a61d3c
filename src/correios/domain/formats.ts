// Pure format rules for the values users type: tracking codes, CEPs, posting cards, logins.
// Every check returns a result instead of throwing, so callers can name the field in their own error.
// Every parse* accepts anything at run time (null, numbers, huge or hostile strings) and never throws; messages
// echo at most a short, sanitised piece of the input, and never any part of a secret.

import { productOf } from "./products.js";

export type FormatResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Inputs longer than this are refused before any pattern runs: no real value comes close. */
export const MAX_INPUT_CHARS = 512;

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** UPU S10 check digit over the 8 serial digits (r = 0 → 5, r = 1 → 0, else 11 − r). */
export function s10CheckDigit(serial: string): number {
  if (!/^\d{8}$/.test(serial)) throw new RangeError("serial must be 8 digits");
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial[i]) * S10_WEIGHTS[i]!;
  return checkDigitOf(sum);
}

/** The S10 rule on the weighted sum: r = 0 → 5, r = 1 → 0, else 11 − r. */
function checkDigitOf(weightedSum: number): number {
  const r = weightedSum % 11;
  return r === 0 ? 5 : r === 1 ? 0 : 11 - r;
}

/** Builds a valid code from a 2-letter prefix and an 8-digit serial (simulator fixtures, tests, benches). */
export function buildTrackingCode(prefix: string, serial: number | string, country = "BR"): string {
  const digits = String(serial).padStart(8, "0");
  return `${prefix.toUpperCase()}${digits}${s10CheckDigit(digits)}${country.toUpperCase()}`;
}

/** Upper-cases, removes spaces and dashes, then checks shape and check digit. */
export function parseTrackingCode(input: string): FormatResult<string> {
  // Most codes arrive as printed on the label: checked character by character, without a pattern or a copy.
  if (isCanonicalS10(input)) return { ok: true, value: input };
  if (!isText(input)) return notText("A tracking code", "such as AA123456785BR");
  const raw = asText(input);
  if (raw.length > MAX_INPUT_CHARS) return tooLong("A tracking code", "13 characters, such as AA123456785BR");
  const compact = raw.replace(/[\s-]+/g, "");
  if (compact.length === 0) return { ok: false, message: "Tracking code is empty." };
  // Shape is checked before upper-casing: some non-ASCII letters upper-case into ASCII ones (ı → I, ſ → S).
  const m = /^([A-Za-z]{2})(\d{8})(\d)([A-Za-z]{2})$/.exec(compact);
  if (!m) {
    return {
      ok: false,
      message: `"${echo(compact)}" is not a tracking code: expected 2 letters, 9 digits and 2 letters, such as AA123456785BR.`,
    };
  }
  const code = compact.toUpperCase();
  const expected = s10CheckDigit(m[2]!);
  if (Number(m[3]) !== expected) {
    return { ok: false, message: `"${code}" has a wrong check digit (expected ${expected}); check for a typo.` };
  }
  return { ok: true, value: code };
}

const A = 65;
const Z = 90;
const ZERO = 48;
const NINE = 57;

function isCapital(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= A && c <= Z;
}

/** Exactly 2 capital letters, 8 digits, their check digit and 2 capital letters: what parseTrackingCode would return unchanged. */
function isCanonicalS10(input: unknown): input is string {
  if (typeof input !== "string" || input.length !== 13) return false;
  if (!isCapital(input, 0) || !isCapital(input, 1) || !isCapital(input, 11) || !isCapital(input, 12)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const d = input.charCodeAt(i + 2) - ZERO;
    if (d < 0 || d > NINE - ZERO) return false;
    if (i < 8) sum += d * S10_WEIGHTS[i]!;
  }
  return input.charCodeAt(10) - ZERO === checkDigitOf(sum);
}

/**
 * Shortens text for messages, never splitting a surrogate pair, on one line: control, format (NUL, bidi overrides)
 * and lone surrogates become U+FFFD, so a message cannot hide or reorder what it quotes.
 */
export function truncate(s: string, max = 40): string {
  const text = asText(s);
  let cut = text;
  if (text.length > max) {
    cut = text.slice(0, Math.max(0, max));
    const last = cut.charCodeAt(cut.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  }
  const shown = cut.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, "\uFFFD");
  return cut === text ? shown : `${shown}…`;
}

/** Collapses runs of whitespace (any Unicode space or line break) to one space and trims the ends. */
export function normalizeSpaces(input: string): string {
  return asText(input).replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------------------------
// CEP: 8 digits, sent without the hyphen [2+]; 00000000 is not a CEP [1].

export function parseCep(input: string): FormatResult<string> {
  if (!isText(input)) return notText("A CEP", "such as 01310-100");
  const raw = asText(input);
  if (raw.length > MAX_INPUT_CHARS) return tooLong("A CEP", "8 digits, such as 01310-100");
  // People write 01310-100, 01310100, 01.310-100 or with stray spaces; nothing else is removed.
  const digits = raw.replace(/[\s.-]+/g, "");
  if (digits.length === 0) return { ok: false, message: "CEP is empty: expected 8 digits, such as 01310-100." };
  if (!/^\d+$/.test(digits)) {
    return {
      ok: false,
      message: `"${echo(raw.trim())}" is not a CEP: use digits only (a hyphen is fine), such as 01310-100.`,
    };
  }
  if (digits.length !== 8) {
    return { ok: false, message: `A CEP has 8 digits, such as 01310-100; "${echo(raw.trim())}" has ${digits.length}.` };
  }
  // The separators must sit where people write them (01.310-100, 01310-100, 01310 100): "01310-100-" or "0131-0100"
  // is a typo to show, not something to send.
  if (!CEP_WRITTEN.test(raw.trim())) {
    return { ok: false, message: `"${echo(raw.trim())}" is not written as a CEP: use 8 digits, such as 01310100 or 01310-100.` };
  }
  if (digits === "00000000") return { ok: false, message: "00000000 is not a valid CEP." };
  return { ok: true, value: digits };
}

/** The ways a CEP is written: 8 digits, optionally a dot after the 2nd and a hyphen (or one space) after the 5th. */
const CEP_WRITTEN = /^\d{2}\.?\d{3}[- ]?\d{3}$/;

// ---------------------------------------------------------------------------------------------------------------
// Posting card (cartão de postagem): 10 digits with leading zeros, e.g. 0076770702 [2+]. The token API and the CWS
// screen take the 10-digit form with "00" in front; merchant portals store the 8 digits without it [seed].
//
// Decision on 10 digits that do not start with 00: refuse. Every card seen in the sources starts with 00, so such
// a number is either a typo or another number pasted into the wrong field — most likely the contract, which is also
// 10 digits and in every example starts with 99. Sending it to the token API would only earn "Cartão de Postagem
// inexistente" [1] without telling the user why. If a real card without 00 ever turns up, change POSTING_CARD.

export type PostingCardForm = "WITH_LEADING_00" | "WITHOUT_LEADING_00";

export interface PostingCard {
  /** 10 digits, with the leading 00: the form the token API and the CWS screen take. */
  canonical: string;
  /** 8 digits, without the leading 00: the merchant-portal form. */
  short: string;
  givenForm: PostingCardForm;
}

/** The one place the card rule lives. */
export const POSTING_CARD = Object.freeze({ prefix: "00", canonicalLength: 10, shortLength: 8 });

export function parsePostingCard(input: string): FormatResult<PostingCard> {
  if (!isText(input)) return notText("A posting card", "such as 0076770702");
  const raw = asText(input);
  const shape = "A posting card has 10 digits with the leading 00, such as 0076770702 (or 8 without the 00)";
  if (raw.length > MAX_INPUT_CHARS) return tooLong("A posting card", "10 digits, such as 0076770702");
  const digits = raw.trim();
  if (digits.length === 0) return { ok: false, message: `Posting card is empty. ${shape}.` };
  if (!/^\d+$/.test(digits)) {
    return {
      ok: false,
      message: `"${echo(digits)}" is not a posting card: use digits only, without spaces, dots or dashes. ${shape}.`,
    };
  }
  const { prefix, canonicalLength, shortLength } = POSTING_CARD;
  let card: PostingCard;
  if (digits.length === shortLength) {
    card = { canonical: `${prefix}${digits}`, short: digits, givenForm: "WITHOUT_LEADING_00" };
  } else if (digits.length === canonicalLength && digits.startsWith(prefix)) {
    card = { canonical: digits, short: digits.slice(prefix.length), givenForm: "WITH_LEADING_00" };
  } else if (digits.length === canonicalLength) {
    const hint = digits.startsWith("99") ? " It looks like a contract number (contracts start with 99)." : "";
    return { ok: false, message: `"${digits}" is not a posting card: posting cards start with 00.${hint} ${shape}.` };
  } else {
    return { ok: false, message: `${shape}; "${echo(digits)}" has ${digits.length} digits.` };
  }
  if (/^0+$/.test(card.canonical)) return { ok: false, message: "0000000000 is not a posting card." };
  return { ok: true, value: card };
}

// ---------------------------------------------------------------------------------------------------------------
// API login: the idCorreios user name [2+]. It travels as the user half of HTTP Basic.

export const API_LOGIN_MAX_CHARS = 60;

export function parseApiLogin(input: string): FormatResult<string> {
  if (!isText(input)) return notText("The API login", "the idCorreios user name");
  const raw = asText(input);
  if (raw.length > MAX_INPUT_CHARS) return tooLong("The API login", `at most ${API_LOGIN_MAX_CHARS} characters`);
  const login = raw.trim();
  if (login.length === 0) return { ok: false, message: "API login is empty." };
  if (login.length > API_LOGIN_MAX_CHARS) {
    return {
      ok: false,
      message: `API login is too long: at most ${API_LOGIN_MAX_CHARS} characters (got ${login.length}).`,
    };
  }
  if (/\s/.test(login)) return { ok: false, message: "API login must not contain spaces or line breaks." };
  if (login.includes(":")) {
    return { ok: false, message: "API login must not contain ':' (HTTP Basic uses it to separate login and code)." };
  }
  // Visible ASCII only: how the gateway decodes non-ASCII bytes in Basic credentials is not documented.
  if (!/^[\x21-\x7e]+$/.test(login)) {
    return {
      ok: false,
      message: "API login may use only letters without accents, digits and common symbols such as . _ - @.",
    };
  }
  return { ok: true, value: login };
}

// ---------------------------------------------------------------------------------------------------------------
// Access code: generated in CWS, the password half of HTTP Basic. Seen as 40 letters and digits, from one source
// only [1: wesleyaoyama/java README.md]. One sighting is not a rule, so we accept a range around it; tighten here
// if Correios documents the length. Messages never repeat the code: it is a secret.

export const ACCESS_CODE_LENGTH = Object.freeze({ min: 20, max: 64, seen: 40 });

export function parseAccessCode(input: string): FormatResult<string> {
  if (!isText(input)) return notText("The access code", "as generated in CWS");
  const raw = asText(input);
  const { min, max, seen } = ACCESS_CODE_LENGTH;
  const about = `access codes generated in CWS have about ${seen} letters and digits (we accept ${min} to ${max})`;
  if (raw.length > MAX_INPUT_CHARS) return { ok: false, message: `The access code is too long: ${about}.` };
  const code = raw.trim();
  if (code.length === 0) return { ok: false, message: "Access code is empty." };
  if (/\s/.test(code)) {
    return { ok: false, message: "The access code has a space or line break inside; copy it again from CWS." };
  }
  if (!/^[A-Za-z0-9]+$/.test(code)) {
    return { ok: false, message: "The access code may contain only letters and digits (A–Z, a–z, 0–9)." };
  }
  if (code.length < min || code.length > max) {
    return { ok: false, message: `The access code has ${code.length} characters; ${about}.` };
  }
  return { ok: true, value: code };
}

// ---------------------------------------------------------------------------------------------------------------
// Contract: 10 digits, e.g. 9912420493 [2+ for digits/length]; "always starts with 99" is only a guess, not checked.

export function parseContract(input: string): FormatResult<string> {
  if (!isText(input)) return notText("A contract number", "such as 9912345678");
  const raw = asText(input);
  const shape = "A contract number has 10 digits, such as 9912345678";
  if (raw.length > MAX_INPUT_CHARS) return tooLong("A contract number", "10 digits, such as 9912345678");
  const contract = raw.trim();
  if (contract.length === 0) return { ok: false, message: "Contract number is empty." };
  if (!/^\d+$/.test(contract)) {
    return { ok: false, message: `"${echo(contract)}" is not a contract number: use digits only. ${shape}.` };
  }
  if (contract.length !== 10) {
    return { ok: false, message: `${shape}; "${echo(contract)}" has ${contract.length} digits.` };
  }
  return { ok: true, value: contract };
}

// ---------------------------------------------------------------------------------------------------------------
// DR (diretoria regional): a small integer [2+: GabrielBueno/CorreiosAPIs, liveecommerce/sigep; a real token had 72].

export const DR_CODES: ReadonlyMap<number, string> = new Map([
  [1, "CS – Sede (head office)"],
  [3, "AC – Acre"],
  [4, "AL – Alagoas"],
  [5, "AP – Amapá"],
  [6, "AM – Amazonas"],
  [8, "BA – Bahia"],
  [10, "DF – Brasília"],
  [12, "CE – Ceará"],
  [14, "ES – Espírito Santo"],
  [16, "GO – Goiás"],
  [18, "MA – Maranhão"],
  [20, "MG – Minas Gerais"],
  [22, "MS – Mato Grosso do Sul"],
  [24, "MT – Mato Grosso"],
  [26, "RO – Rondônia"],
  [28, "PA – Pará"],
  [30, "PB – Paraíba"],
  [32, "PE – Pernambuco"],
  [34, "PI – Piauí"],
  [36, "PR – Paraná"],
  [50, "RJ – Rio de Janeiro"],
  [60, "RN – Rio Grande do Norte"],
  [64, "RS – Rio Grande do Sul"],
  [65, "RR – Roraima"],
  [68, "SC – Santa Catarina"],
  [70, "SE – Sergipe"],
  [72, "SPM – São Paulo Metropolitana"],
  [74, "SPI – São Paulo Interior"],
  [75, "TO – Tocantins"],
]);

export function parseDr(input: number): FormatResult<number> {
  if (typeof input !== "number" || !Number.isInteger(input)) {
    return { ok: false, message: "DR must be a whole number, such as 72 (São Paulo Metropolitana)." };
  }
  if (!DR_CODES.has(input)) {
    const known = [...DR_CODES.keys()].map((k) => String(k).padStart(2, "0")).join(", ");
    return { ok: false, message: `${truncate(String(input), 20)} is not a known DR code; known codes: ${known}.` };
  }
  return { ok: true, value: input };
}

// ---------------------------------------------------------------------------------------------------------------
// Product (service) code: 5 digits, e.g. 03220.
//
// Decision on 4 digits: pad with one leading zero (3220 → 03220). Every CWS code in the tables starts with 0
// (03xxx, 04xxx), and a 4-digit value is what a spreadsheet or a JSON number leaves of one after dropping that
// zero; no 4-digit code exists to be confused with. Shorter inputs are refused: too much would be guessed.
// Codes not in products.ts are accepted with known: false, since a contract may carry codes we have not tabled.

export interface ServiceCode {
  code: string;
  known: boolean;
}

export function parseServiceCode(input: string): FormatResult<ServiceCode> {
  if (!isText(input)) return notText("A service code", "such as 03220");
  const raw = asText(input);
  const shape = "A service code has 5 digits, such as 03220 (SEDEX) or 03298 (PAC)";
  if (raw.length > MAX_INPUT_CHARS) return tooLong("A service code", "5 digits, such as 03220");
  const digits = raw.trim();
  if (digits.length === 0) return { ok: false, message: "Service code is empty." };
  if (!/^\d+$/.test(digits)) {
    return { ok: false, message: `"${echo(digits)}" is not a service code: use digits only. ${shape}.` };
  }
  let code: string;
  if (digits.length === 5) code = digits;
  else if (digits.length === 4) code = `0${digits}`;
  else return { ok: false, message: `${shape}; "${echo(digits)}" has ${digits.length} digits.` };
  return { ok: true, value: { code, known: productOf(code) !== undefined } };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers.

/**
 * Strings and numbers are text to check (null and undefined count as empty); an object or an array reaches a parser
 * only around GraphQL's coercion (an `_entities` representation) and is refused as such, not as "[object Object]".
 */
function isText(input: unknown): boolean {
  return input === null || input === undefined || typeof input === "string" || typeof input === "number";
}

function notText(what: string, example: string): { ok: false; message: string } {
  return { ok: false, message: `${what} must be a string, ${example}.` };
}

/** Whatever arrives at run time becomes a string without throwing (String(Object.create(null)) would throw). */
function asText(input: unknown): string {
  if (typeof input === "string") return input;
  if (input === null || input === undefined) return "";
  try {
    return String(input);
  } catch {
    return "";
  }
}

/** A short, single-line piece of the input for a message (see truncate). */
function echo(s: string): string {
  return truncate(s);
}

function tooLong(what: string, expected: string): { ok: false; message: string } {
  return { ok: false, message: `${what} is far too long: expected ${expected}.` };
}
