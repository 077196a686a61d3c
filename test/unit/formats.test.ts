import { describe, it, expect } from "vitest";
import {
  ACCESS_CODE_LENGTH,
  API_LOGIN_MAX_CHARS,
  DR_CODES,
  buildTrackingCode,
  normalizeSpaces,
  parseAccessCode,
  parseApiLogin,
  parseCep,
  parseContract,
  parseDr,
  parsePostingCard,
  parseServiceCode,
  parseTrackingCode,
  s10CheckDigit,
  truncate,
} from "../../src/correios/domain/formats.js";

function failure(r: { ok: boolean; message?: string }): string {
  expect(r.ok).toBe(false);
  return (r as { message: string }).message;
}

describe("S10 check digit", () => {
  it("matches the worked examples (SZ46020941BR → 5, …42 → 9, …43 → 2)", () => {
    expect(s10CheckDigit("46020941")).toBe(5);
    expect(s10CheckDigit("46020942")).toBe(9);
    expect(s10CheckDigit("46020943")).toBe(2);
  });

  it("maps r = 0 to 5 and r = 1 to 0", () => {
    expect(s10CheckDigit("00000000")).toBe(5); // sum 0
    expect(s10CheckDigit("00010000")).toBe(9); // 2·1 = 2 → 11 − 2
    expect(s10CheckDigit("00000012")).toBe(0); // 9·1 + 7·2 = 23, r = 1 → 0
  });

  it("builds codes that parse", () => {
    expect(buildTrackingCode("sz", 46020941)).toBe("SZ460209415BR");
    expect(parseTrackingCode("SZ460209415BR")).toEqual({ ok: true, value: "SZ460209415BR" });
    expect(buildTrackingCode("LX", "1", "cn")).toMatch(/^LX00000001\dCN$/);
  });
});

describe("parseTrackingCode", () => {
  it("normalises case, spaces and dashes", () => {
    expect(parseTrackingCode(" sz 460209415-br ")).toEqual({ ok: true, value: "SZ460209415BR" });
  });

  it("refuses a wrong check digit and names the expected one", () => {
    expect(failure(parseTrackingCode("SZ460209410BR"))).toContain("expected 5");
  });

  it("refuses bad shapes, empty input and non-ASCII look-alikes", () => {
    expect(failure(parseTrackingCode(""))).toMatch(/empty/);
    expect(failure(parseTrackingCode("SZ46020941BR"))).toMatch(/not a tracking code/);
    // U+0131 (dotless i) upper-cases to I; it must not sneak in as a letter.
    expect(parseTrackingCode("\u0131A460209415BR").ok).toBe(false);
  });

  it("truncates what it echoes", () => {
    const message = failure(parseTrackingCode("X".repeat(400)));
    expect(message.length).toBeLessThan(200);
  });
});

describe("parseCep", () => {
  it.each([
    ["01310-100", "01310100"],
    ["01310100", "01310100"],
    [" 01310 100 ", "01310100"],
    ["01.310-100", "01310100"],
  ])("accepts %j", (input, value) => {
    expect(parseCep(input)).toEqual({ ok: true, value });
  });

  it("refuses 00000000, letters and wrong lengths with a reason", () => {
    expect(failure(parseCep("00000-000"))).toMatch(/not a valid CEP/);
    expect(failure(parseCep("0131A-100"))).toMatch(/digits only/);
    expect(failure(parseCep("0131-100"))).toMatch(/8 digits.*has 7/);
    expect(failure(parseCep("013101000"))).toMatch(/has 9/);
    expect(failure(parseCep(""))).toMatch(/empty/);
  });

  it.each(["01310-100-", "-01310100", "0131-0100", "01310--100", "01.310.100", "01310-1-00"])("refuses %j: separators out of place", (input) => {
    expect(failure(parseCep(input))).toMatch(/not written as a CEP/);
  });
});

describe("parsePostingCard", () => {
  it("takes the 10-digit form with 00 as is", () => {
    expect(parsePostingCard("0076770702")).toEqual({
      ok: true,
      value: { canonical: "0076770702", short: "76770702", givenForm: "WITH_LEADING_00" },
    });
  });

  it("adds 00 to the 8-digit merchant-portal form", () => {
    expect(parsePostingCard(" 76770702\n")).toEqual({
      ok: true,
      value: { canonical: "0076770702", short: "76770702", givenForm: "WITHOUT_LEADING_00" },
    });
  });

  it("refuses 10 digits without 00, hinting at the contract when it starts with 99", () => {
    expect(failure(parsePostingCard("9912420493"))).toMatch(/start with 00.*contract/);
    expect(failure(parsePostingCard("1076770702"))).toMatch(/start with 00/);
  });

  it("refuses 9 digits and other lengths, saying what a card looks like", () => {
    expect(failure(parsePostingCard("076770702"))).toMatch(/10 digits with the leading 00.*8 without/);
    expect(failure(parsePostingCard("123"))).toMatch(/10 digits/);
  });

  it("refuses letters, punctuation and all zeros", () => {
    expect(failure(parsePostingCard("0076-770702"))).toMatch(/digits only/);
    expect(failure(parsePostingCard("00767707O2"))).toMatch(/digits only/);
    expect(parsePostingCard("00000000").ok).toBe(false);
  });
});

describe("parseApiLogin", () => {
  it("trims and accepts ordinary user names", () => {
    expect(parseApiLogin("  minhaloja  ")).toEqual({ ok: true, value: "minhaloja" });
    expect(parseApiLogin("12345678000190").ok).toBe(true);
  });

  it("refuses empty, too long, inner spaces, colons and non-printable input", () => {
    expect(failure(parseApiLogin("   "))).toMatch(/empty/);
    expect(failure(parseApiLogin("a".repeat(API_LOGIN_MAX_CHARS + 1)))).toMatch(/too long/);
    expect(parseApiLogin("a".repeat(API_LOGIN_MAX_CHARS)).ok).toBe(true);
    expect(failure(parseApiLogin("minha loja"))).toMatch(/spaces/);
    expect(failure(parseApiLogin("minha:loja"))).toMatch(/':'/);
    expect(parseApiLogin("loja\u0000").ok).toBe(false);
    expect(parseApiLogin("jo\u00e3o").ok).toBe(false);
  });
});

describe("parseAccessCode", () => {
  const code = "aBcD1234eFgH5678iJkL9012mNoP3456qRsT7890"; // 40 letters and digits, like the one sighting

  it("accepts the documented range, keeping case", () => {
    expect(parseAccessCode(`  ${code}\n`)).toEqual({ ok: true, value: code });
    expect(parseAccessCode("a".repeat(ACCESS_CODE_LENGTH.min)).ok).toBe(true);
    expect(parseAccessCode("a".repeat(ACCESS_CODE_LENGTH.max)).ok).toBe(true);
    expect(parseAccessCode("a".repeat(ACCESS_CODE_LENGTH.min - 1)).ok).toBe(false);
    expect(parseAccessCode("a".repeat(ACCESS_CODE_LENGTH.max + 1)).ok).toBe(false);
  });

  it("refuses inner whitespace and symbols without echoing the secret", () => {
    const inner = failure(parseAccessCode(`${code.slice(0, 20)} ${code.slice(20)}`));
    const symbol = failure(parseAccessCode(`${code}!`));
    const short = failure(parseAccessCode("secretSECRET"));
    for (const message of [inner, symbol, short]) {
      expect(message).not.toContain(code.slice(0, 8));
      expect(message).not.toContain("secret");
    }
    expect(inner).toMatch(/space or line break/);
    expect(symbol).toMatch(/only letters and digits/);
  });
});

describe("parseContract, parseDr, parseServiceCode", () => {
  it("parses contracts as 10 digits", () => {
    expect(parseContract(" 9912420493 ")).toEqual({ ok: true, value: "9912420493" });
    expect(failure(parseContract("991242049"))).toMatch(/10 digits/);
    expect(failure(parseContract("9912-420493"))).toMatch(/digits only/);
  });

  it("knows the DR table", () => {
    expect(DR_CODES.get(72)).toMatch(/São Paulo Metropolitana/);
    expect(parseDr(72)).toEqual({ ok: true, value: 72 });
    expect(failure(parseDr(2))).toMatch(/not a known DR/);
    expect(parseDr(Number.NaN).ok).toBe(false);
    expect(parseDr(72.5).ok).toBe(false);
  });

  it("pads a 4-digit service code and says whether it is known", () => {
    expect(parseServiceCode("3220")).toEqual({ ok: true, value: { code: "03220", known: true } });
    expect(parseServiceCode("03298")).toEqual({ ok: true, value: { code: "03298", known: true } });
    expect(parseServiceCode("40010")).toEqual({ ok: true, value: { code: "40010", known: false } });
    expect(failure(parseServiceCode("322"))).toMatch(/5 digits/);
    expect(failure(parseServiceCode("SEDEX"))).toMatch(/digits only/);
  });
});

describe("helpers", () => {
  it("normalizeSpaces collapses any whitespace", () => {
    expect(normalizeSpaces("  a \t\n b\u00a0 c ")).toBe("a b c");
  });

  it("truncate never splits a surrogate pair", () => {
    const s = `${"a".repeat(39)}😀tail`;
    const t = truncate(s);
    expect(t).toBe(`${"a".repeat(39)}…`);
    expect(truncate("short")).toBe("short");
  });
});
