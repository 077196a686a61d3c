import { describe, it, expect } from "vitest";
import {
  centsToCorreios,
  formatCents,
  parseCorreiosMoney,
  parseDecimalInput,
  parseOptionalCorreiosMoney,
} from "../../src/correios/domain/money.js";

describe("parseCorreiosMoney", () => {
  it.each([
    ["24,84", 2484],
    ["0,00", 0],
    ["1.234,56", 123456],
    ["1234,56", 123456],
    ["12.345.678,90", 1234567890],
    [" 18,40 ", 1840],
    ["-1,23", -123],
    ["-0,00", 0],
  ])("%j → %i cents", (input, cents) => {
    expect(parseCorreiosMoney(input)).toBe(cents);
  });

  it("is exact where floats are not (0,10 + 0,20)", () => {
    expect(parseCorreiosMoney("0,10") + parseCorreiosMoney("0,20")).toBe(30);
  });

  it.each(["", "24", "24,8", "24.84", "24,845", "1.23,45", "1,234.56", "R$ 24,84", "abc", "NaN", "1e3,00"])(
    "throws RangeError for %j",
    (input) => {
      expect(() => parseCorreiosMoney(input)).toThrow(RangeError);
    },
  );

  it("throws RangeError for non-strings and unsafe sizes", () => {
    expect(() => parseCorreiosMoney(24.84 as unknown as string)).toThrow(RangeError);
    expect(() => parseCorreiosMoney(null as unknown as string)).toThrow(RangeError);
    expect(() => parseCorreiosMoney(`${"9".repeat(20)},00`)).toThrow(RangeError);
  });

  it("treats absent optional fields as undefined", () => {
    expect(parseOptionalCorreiosMoney(undefined)).toBeUndefined();
    expect(parseOptionalCorreiosMoney(null)).toBeUndefined();
    expect(parseOptionalCorreiosMoney("")).toBeUndefined();
    expect(parseOptionalCorreiosMoney("25,63")).toBe(2563);
  });
});

describe("formatting cents", () => {
  it("writes dot and comma forms", () => {
    expect(formatCents(2484)).toBe("24.84");
    expect(formatCents(5)).toBe("0.05");
    expect(formatCents(0)).toBe("0.00");
    expect(formatCents(-5)).toBe("-0.05");
    expect(formatCents(123456)).toBe("1234.56");
    expect(centsToCorreios(2484)).toBe("24,84");
    expect(centsToCorreios(123456)).toBe("1234,56");
  });

  it("refuses non-integers", () => {
    expect(() => formatCents(24.84)).toThrow(RangeError);
    expect(() => centsToCorreios(Number.NaN)).toThrow(RangeError);
    expect(() => formatCents(2 ** 60)).toThrow(RangeError);
  });

  it("round-trips through the Correios form", () => {
    for (const cents of [0, 1, 99, 100, 2484, 123456, 999_999_999]) {
      expect(parseCorreiosMoney(centsToCorreios(cents))).toBe(cents);
    }
  });
});

describe("parseDecimalInput", () => {
  it.each([
    ["24.84", 2484],
    ["24,84", 2484],
    ["24", 2400],
    ["24.8", 2480],
    ["0,05", 5],
    [" R$ 1.234,56 ", 123456],
    ["1,234.56", 123456],
    ["007", 700],
  ])("%j → %i cents", (input, cents) => {
    expect(parseDecimalInput(input)).toEqual({ ok: true, value: cents });
  });

  it.each(["", "-1", "1.234", "1,234", "24.845", "abc", "1e3", "Infinity", "24 84", "9".repeat(20)])(
    "refuses %j with a message",
    (input) => {
      const r = parseDecimalInput(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
    },
  );

  it("never throws on non-strings", () => {
    expect(parseDecimalInput(null as unknown as string).ok).toBe(false);
    expect(parseDecimalInput(Object.create(null) as string).ok).toBe(false);
  });
});
