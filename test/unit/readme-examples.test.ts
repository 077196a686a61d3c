import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTrackingCode } from "../../src/correios/domain/formats.js";

// The README's examples are copied by readers: a wrong check digit there turns the first try into BAD_USER_INPUT.
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** Quoted strings shaped like a tracking code, spaces or dashes allowed between the parts. */
const quotedCodes = [...readme.matchAll(/"([A-Za-z]{2}[\s-]*\d{8}[\s-]*\d[\s-]*[A-Za-z]{2})"/g)].map((m) => m[1]!);

describe("README examples", () => {
  it("has tracking codes to check", () => {
    expect(quotedCodes.length).toBeGreaterThanOrEqual(2);
  });

  it.each(quotedCodes)("%s has a right check digit", (code) => {
    expect(parseTrackingCode(code)).toMatchObject({ ok: true });
  });
});
