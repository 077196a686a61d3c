// Correos (Spain) format rules for what users type: CorreosID client ids and secrets, the API gateway pair, scope
// codes. Like formats.ts: every parse* takes anything at run time, never throws, and never echoes a secret.
// CorreosID publishes no format for ids, secrets or scope codes, so the rules only refuse what cannot be a real
// value (empty, whitespace or control characters inside, absurd lengths) and what cannot travel where it goes.
import { MAX_INPUT_CHARS, truncate, type FormatResult } from "../correios/domain/formats.js";

export const CORREOS_ES_LIMITS = Object.freeze({
  idMaxChars: 200,
  secretMaxChars: 500,
  maxScopes: 20,
  scopeMaxChars: 64,
});

/** RFC 6749 §3.3 allows more, but codes seen in the wild are short ASCII tokens such as AP3. */
const SCOPE_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** Header values must be visible ASCII to pass through fetch and the gateway unchanged. */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

interface TextRule {
  what: string;
  max: number;
  secret: boolean;
  /** Sent as an HTTP header (the gateway pair), not in a form body. */
  header: boolean;
}

function credentialText(input: unknown, rule: TextRule): FormatResult<string> {
  const raw = typeof input === "string" ? input : "";
  if (raw.length > MAX_INPUT_CHARS) return { ok: false, message: `The ${rule.what} is far too long: at most ${rule.max} characters.` };
  const value = raw.trim();
  if (value.length === 0) return { ok: false, message: `The ${rule.what} is empty.` };
  if (value.length > rule.max) {
    return { ok: false, message: `The ${rule.what} is too long: at most ${rule.max} characters (got ${value.length}).` };
  }
  if (/\s/.test(value) || CONTROL.test(value)) {
    const copy = rule.secret ? "; copy it again from the CorreosID portal" : "";
    return { ok: false, message: `The ${rule.what} has a space, line break or control character inside${copy}.` };
  }
  if (rule.header && !VISIBLE_ASCII.test(value)) {
    return { ok: false, message: `The ${rule.what} is sent as an HTTP header, so it may contain only visible ASCII characters.` };
  }
  return { ok: true, value };
}

/** The OAuth client id (CorreosID application). Sent form-encoded in the token request body. */
export function parseOAuthClientId(input: string): FormatResult<string> {
  return credentialText(input, { what: "OAuth client id", max: CORREOS_ES_LIMITS.idMaxChars, secret: false, header: false });
}

export function parseOAuthClientSecret(input: string): FormatResult<string> {
  return credentialText(input, { what: "OAuth client secret", max: CORREOS_ES_LIMITS.secretMaxChars, secret: true, header: false });
}

/** The API's own gateway client id, sent in the `client_id` header of API calls. */
export function parseApiClientId(input: string): FormatResult<string> {
  return credentialText(input, { what: "API client id", max: CORREOS_ES_LIMITS.idMaxChars, secret: false, header: true });
}

export function parseApiClientSecret(input: string): FormatResult<string> {
  return credentialText(input, { what: "API client secret", max: CORREOS_ES_LIMITS.secretMaxChars, secret: true, header: true });
}

/**
 * Scope codes as a list. An entry holding the space-separated form ("AP3 LBS RCG", as OAuth sends it) is split.
 * Codes are case-sensitive (RFC 6749 §3.3), so they are kept as given; repeats are dropped, order is kept.
 */
export function parseScopes(input: readonly unknown[] | null | undefined): FormatResult<string[]> {
  if (!Array.isArray(input)) return { ok: false, message: "Give the scopes as a list of codes, such as [\"AP3\", \"LBS\", \"RCG\"]." };
  const { maxScopes, scopeMaxChars } = CORREOS_ES_LIMITS;
  if (input.length > maxScopes * 4) return { ok: false, message: `At most ${maxScopes} scope codes are accepted.` };
  const codes: string[] = [];
  for (const entry of input) {
    const text = typeof entry === "string" ? entry : "";
    if (text.length > MAX_INPUT_CHARS) return { ok: false, message: `A scope code is far too long: at most ${scopeMaxChars} characters.` };
    for (const code of text.split(/\s+/).filter((c) => c.length > 0)) {
      if (!SCOPE_CODE.test(code)) {
        const shown = truncate(code).replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, "\uFFFD");
        return {
          ok: false,
          message: `"${shown}" is not a scope code: expected 1–${scopeMaxChars} letters, digits, dots, colons, dashes or underscores, such as AP3.`,
        };
      }
      if (!codes.includes(code)) codes.push(code);
    }
  }
  if (codes.length === 0) return { ok: false, message: "Give at least one scope code, such as AP3 (a token covers only the scopes it was issued for)." };
  if (codes.length > maxScopes) return { ok: false, message: `At most ${maxScopes} scope codes are accepted (got ${codes.length}).` };
  return { ok: true, value: codes };
}

/** The scope set as a stable text: sorted, space-separated. Two orders of the same codes give the same key. */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(" ");
}
