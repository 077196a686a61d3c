import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  buildTrackingCode,
  parseAccessCode,
  parseApiLogin,
  parseCep,
  parseContract,
  parseDr,
  parsePostingCard,
  parseServiceCode,
  parseTrackingCode,
  type FormatResult,
} from "../../src/correios/domain/formats.js";
import {
  centsToCorreios,
  formatCents,
  parseCorreiosMoney,
  parseDecimalInput,
} from "../../src/correios/domain/money.js";
import { validateDeclaredValue, validatePackage, type PackageInput } from "../../src/correios/domain/package-limits.js";
import { parseApiClientId, parseApiClientSecret, parseOAuthClientId, parseOAuthClientSecret, parseScopes } from "../../src/correos-es/formats.js";
import { parseClientId } from "../../src/services/user-errors.js";
import { serviceForTrackingCode } from "../../src/correios/domain/products.js";
import {
  SHIPMENT_STATUSES,
  messageCodeOf,
  statusOfEvent,
} from "../../src/correios/domain/tracking-status.js";

// ---------------------------------------------------------------------------------------------------------------
// Inputs: random text of every kind, near-misses of the real formats, huge strings, and non-strings cast to string.

const nearDigits = fc.string({
  unit: fc.constantFrom("0", "0", "1", "7", "9", " ", "-", ".", ",", "\n", "\t", "\u00a0", "a", "Z"),
  maxLength: 16,
});

const huge = fc
  .tuple(fc.constantFrom("9", "a", " ", "\u0000", "😀", "0-"), fc.integer({ min: 513, max: 50_000 }))
  .map(([unit, n]) => unit.repeat(n));

const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "binary-ascii", maxLength: 80 }),
  fc.mixedCase(fc.string({ unit: "grapheme-ascii", maxLength: 80 })),
  fc.stringMatching(/^\s*\d{4,11}\s*$/),
  fc.stringMatching(/^\s*\d{5}-?\d{3}\s*$/),
  fc.stringMatching(/^\s*(00)?\d{8}\s*$/),
  fc.stringMatching(/^[A-Za-z0-9]{15,70}$/),
  fc.stringMatching(/^[a-zA-Z]{2}\d{9}[a-zA-Z]{2}$/),
  nearDigits,
  huge,
  fc.constantFrom("", " ", "\u0000", "\u200b", "\ufeff", "\ud800", "\udfff", "null", "undefined", "NaN", "-0"),
  fc.anything({ withNullPrototype: true, withBoxedValues: true }).map((v) => v as unknown as string),
);

const RUNS = { numRuns: 400 };

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** A parser, and how to feed its value back in (idempotence). `key` is what must survive the round trip. */
interface ParserCase<T> {
  name: string;
  parse: (input: string) => FormatResult<T>;
  reinput: (value: T) => string;
  key?: (value: T) => unknown;
  secret?: boolean;
}

function parserCase<T>(c: ParserCase<T>): ParserCase<unknown> {
  return c as unknown as ParserCase<unknown>;
}

const parsers: ParserCase<unknown>[] = [
  parserCase({ name: "parseTrackingCode", parse: parseTrackingCode, reinput: (v) => v }),
  parserCase({ name: "parseCep", parse: parseCep, reinput: (v) => v }),
  parserCase({
    name: "parsePostingCard (canonical)",
    parse: parsePostingCard,
    reinput: (v) => v.canonical,
    key: (v) => [v.canonical, v.short],
  }),
  parserCase({
    name: "parsePostingCard (short)",
    parse: parsePostingCard,
    reinput: (v) => v.short,
    key: (v) => [v.canonical, v.short],
  }),
  parserCase({ name: "parseApiLogin", parse: parseApiLogin, reinput: (v) => v }),
  parserCase({ name: "parseAccessCode", parse: parseAccessCode, reinput: (v) => v, secret: true }),
  parserCase({ name: "parseContract", parse: parseContract, reinput: (v) => v }),
  parserCase({ name: "parseServiceCode", parse: parseServiceCode, reinput: (v) => v.code }),
  parserCase({ name: "parseDecimalInput", parse: parseDecimalInput, reinput: (v) => formatCents(v) }),
  parserCase({ name: "parseClientId", parse: parseClientId, reinput: (v) => v }),
  parserCase({ name: "parseOAuthClientId", parse: parseOAuthClientId, reinput: (v) => v }),
  parserCase({ name: "parseOAuthClientSecret", parse: parseOAuthClientSecret, reinput: (v) => v, secret: true }),
  parserCase({ name: "parseApiClientId", parse: parseApiClientId, reinput: (v) => v }),
  parserCase({ name: "parseApiClientSecret", parse: parseApiClientSecret, reinput: (v) => v, secret: true }),
  // One entry holding the space-separated form, as OAuth writes scopes: parseScopes splits it.
  parserCase({ name: "parseScopes (one entry)", parse: (input) => parseScopes([input]), reinput: (v) => v.join(" ") }),
];

describe.each(parsers)("$name on hostile input", ({ parse, reinput, key, secret }) => {
  it("never throws; refuses with a short, single-line message or accepts a value that re-parses to itself", () => {
    fc.assert(
      fc.property(hostile, (input) => {
        const result = parse(input);
        if (result.ok) {
          const again = parse(reinput(result.value));
          expect(again.ok).toBe(true);
          if (again.ok) {
            const k = key ?? ((v: unknown) => v);
            expect(k(again.value)).toEqual(k(result.value));
          }
        } else {
          expect(typeof result.message).toBe("string");
          expect(result.message.length).toBeGreaterThan(0);
          expect(result.message.length).toBeLessThan(400);
          expect(hasControlCharacter(result.message)).toBe(false);
          if (secret && typeof input === "string" && input.trim().length >= 16) {
            expect(result.message).not.toContain(input.trim());
          }
        }
      }),
      RUNS,
    );
  });
});

describe("other validators on hostile input", () => {
  const anyNumber = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 60),
    fc.anything().map((v) => v as unknown as number),
  );

  it("parseDr never throws and accepts only integers it knows", () => {
    fc.assert(
      fc.property(anyNumber, (n) => {
        const r = parseDr(n);
        if (r.ok) {
          expect(Number.isInteger(r.value)).toBe(true);
          expect(parseDr(r.value)).toEqual(r);
        } else {
          expect(r.message.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it("validatePackage never throws and names package fields", () => {
    const dim = fc.option(anyNumber, { nil: undefined });
    const pkg = fc.record({
      format: fc.oneof(fc.constantFrom("ENVELOPE", "BOX", "ROLL"), hostile),
      weightGrams: anyNumber,
      lengthCm: dim,
      widthCm: dim,
      heightCm: dim,
      diameterCm: dim,
    });
    fc.assert(
      fc.property(pkg, fc.option(hostile, { nil: undefined }), (p, service) => {
        const errors = validatePackage(p as PackageInput, service);
        expect(Array.isArray(errors)).toBe(true);
        for (const e of errors) {
          expect(e.field).toMatch(/^package(\.[a-zA-Z]+)?$/);
          expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it("validateDeclaredValue never throws", () => {
    fc.assert(
      fc.property(anyNumber, fc.option(hostile, { nil: undefined }), (cents, service) => {
        for (const e of validateDeclaredValue(cents, service)) {
          expect(e.field).toBe("declaredValue");
          expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it("tracking helpers never throw", () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        expect(SHIPMENT_STATUSES).toContain(statusOfEvent(a, b));
        const code = messageCodeOf(a);
        if (code !== undefined) expect(code).toMatch(/^[A-Z]{2,5}-\d{3}$/);
        const service = serviceForTrackingCode(a);
        if (service !== undefined) expect(["SEDEX", "PAC", "MINI"]).toContain(service.family);
      }),
      RUNS,
    );
  });

  it("parseCorreiosMoney throws nothing but RangeError", () => {
    fc.assert(
      fc.property(hostile, (s) => {
        try {
          expect(Number.isSafeInteger(parseCorreiosMoney(s))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
        }
      }),
      RUNS,
    );
  });
});

describe("money round trips", () => {
  const cents = fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 });

  it("Correios form → cents → Correios form", () => {
    fc.assert(
      fc.property(cents, (c) => {
        expect(parseCorreiosMoney(centsToCorreios(c))).toBe(c);
      }),
    );
  });

  it("user input: formatCents output parses back", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 15 - 1 }), (c) => {
        expect(parseDecimalInput(formatCents(c))).toEqual({ ok: true, value: c });
        expect(parseDecimalInput(formatCents(c).replace(".", ","))).toEqual({ ok: true, value: c });
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Tracking codes built from random parts.

const letters2 = fc.stringMatching(/^[A-Z]{2}$/);
const serial = fc.integer({ min: 0, max: 99_999_999 });

/** Test-local S10 remainder, to state exactly when a changed digit can slip through. */
function remainder(serial8: string): number {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial8[i]) * weights[i]!;
  return sum % 11;
}

describe("built tracking codes", () => {
  it("every built code parses to itself, also in lower case with spaces", () => {
    fc.assert(
      fc.property(letters2, serial, letters2, (prefix, n, country) => {
        const code = buildTrackingCode(prefix, n, country);
        expect(parseTrackingCode(code)).toEqual({ ok: true, value: code });
        const messy = ` ${code.slice(0, 2).toLowerCase()} ${code.slice(2, 11)}-${code.slice(11).toLowerCase()} `;
        expect(parseTrackingCode(messy)).toEqual({ ok: true, value: code });
      }),
      RUNS,
    );
  });

  it("a changed check digit is always refused", () => {
    fc.assert(
      fc.property(letters2, serial, fc.integer({ min: 1, max: 9 }), (prefix, n, delta) => {
        const code = buildTrackingCode(prefix, n);
        const wrong = (Number(code[10]) + delta) % 10;
        expect(parseTrackingCode(`${code.slice(0, 10)}${wrong}${code.slice(11)}`).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it("a changed serial digit is refused, except where S10 itself cannot tell (remainders 0 and 6 both give 5)", () => {
    fc.assert(
      fc.property(letters2, serial, fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 9 }), (p, n, i, d) => {
        const code = buildTrackingCode(p, n);
        const oldSerial = code.slice(2, 10);
        const newSerial = `${oldSerial.slice(0, i)}${(Number(oldSerial[i]) + d) % 10}${oldSerial.slice(i + 1)}`;
        const accepted = parseTrackingCode(`${code.slice(0, 2)}${newSerial}${code.slice(10)}`).ok;
        const blindSpot = new Set([remainder(oldSerial), remainder(newSerial)]);
        const undetectable = blindSpot.size === 2 && blindSpot.has(0) && blindSpot.has(6);
        expect(accepted).toBe(undetectable);
      }),
      { numRuns: 2_000 },
    );
  });

  it("documents the blind spot with a concrete pair", () => {
    // 00000000 has remainder 0 and 90000000 remainder 6 (8·9 = 72 = 6·11 + 6): both get check digit 5.
    expect(parseTrackingCode("AA000000005BR").ok).toBe(true);
    expect(parseTrackingCode("AA900000005BR").ok).toBe(true);
  });
});

describe("huge input", () => {
  it("is refused quickly by every parser", () => {
    const big = "9".repeat(10_000_000);
    const started = performance.now();
    for (const { parse } of parsers) expect(parse(big).ok).toBe(false);
    expect(parseDr(Number.MAX_VALUE).ok).toBe(false);
    expect(statusOfEvent(big, big)).toBe("UNKNOWN");
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
