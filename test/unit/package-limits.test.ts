import { describe, it, expect } from "vitest";
import {
  PACKAGE_LIMITS,
  formatToCorreios,
  validateDeclaredValue,
  validatePackage,
} from "../../src/correios/domain/package-limits.js";

const box = { format: "BOX" as const, weightGrams: 350, lengthCm: 20, widthCm: 15, heightCm: 10 };

function fields(errors: Array<{ field: string }>): string[] {
  return errors.map((e) => e.field);
}

describe("validatePackage", () => {
  it("accepts ordinary packages of each format", () => {
    expect(validatePackage(box)).toEqual([]);
    expect(validatePackage({ format: "ENVELOPE", weightGrams: 100, lengthCm: 30, widthCm: 20 })).toEqual([]);
    expect(validatePackage({ format: "ROLL", weightGrams: 800, lengthCm: 90, diameterCm: 10 })).toEqual([]);
  });

  it("accepts the exact limits of a box", () => {
    expect(validatePackage({ ...box, weightGrams: 30_000, lengthCm: 15, widthCm: 10, heightCm: 1 })).toEqual([]);
    expect(validatePackage({ ...box, lengthCm: 100, widthCm: 50, heightCm: 50 })).toEqual([]);
  });

  it("refuses bad weights", () => {
    for (const weightGrams of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 30_001]) {
      expect(fields(validatePackage({ ...box, weightGrams }))).toEqual(["package.weightGrams"]);
    }
    expect(fields(validatePackage({ format: "ENVELOPE", weightGrams: 1_001, lengthCm: 30, widthCm: 20 }))).toEqual([
      "package.weightGrams",
    ]);
  });

  it("applies a service's lower weight ceiling (SEDEX 10: 10 kg)", () => {
    expect(validatePackage({ ...box, weightGrams: 12_000 })).toEqual([]);
    const errors = validatePackage({ ...box, weightGrams: 12_000 }, "03158");
    expect(fields(errors)).toEqual(["package.weightGrams"]);
    expect(errors[0]?.message).toMatch(/SEDEX 10.*10000 g/);
  });

  it("names each bad or missing dimension", () => {
    const errors = validatePackage({ format: "BOX", weightGrams: 100, lengthCm: 14, widthCm: Number.NaN });
    expect(fields(errors)).toEqual(["package.lengthCm", "package.widthCm", "package.heightCm"]);
    expect(errors[0]?.message).toMatch(/between 15 and 100/);
  });

  it("checks the sum of sides only when each side is valid", () => {
    const errors = validatePackage({ ...box, lengthCm: 100, widthCm: 60, heightCm: 50 });
    expect(errors).toEqual([{ field: "package", message: expect.stringMatching(/at most 200 cm \(got 210 cm\)/) }]);
  });

  it("checks length + 2 × diameter for rolls", () => {
    const errors = validatePackage({ format: "ROLL", weightGrams: 500, lengthCm: 100, diameterCm: 60 });
    expect(errors).toEqual([{ field: "package", message: expect.stringMatching(/2 × diameter/) }]);
  });

  it("ignores dimensions the format does not use", () => {
    expect(validatePackage({ format: "ENVELOPE", weightGrams: 100, lengthCm: 30, widthCm: 20, heightCm: -5 })).toEqual(
      [],
    );
  });

  it("refuses an unknown format or a missing package without throwing", () => {
    expect(fields(validatePackage({ ...box, format: "CRATE" as "BOX" }))).toEqual(["package.format"]);
    expect(fields(validatePackage(null as unknown as typeof box))).toEqual(["package"]);
  });

  it("keeps every limit in one table", () => {
    expect(PACKAGE_LIMITS.BOX.maxSumCm).toBe(200);
    expect(PACKAGE_LIMITS.ROLL.diameterCm).toEqual({ min: 5, max: 91 });
  });
});

describe("validateDeclaredValue", () => {
  it("accepts 0 as no declared value", () => {
    expect(validateDeclaredValue(0, "03220")).toEqual([]);
  });

  it("applies each family's range", () => {
    expect(validateDeclaredValue(500_000, "03220")).toEqual([]); // SEDEX up to R$ 10.000
    expect(fields(validateDeclaredValue(500_000, "03298"))).toEqual(["declaredValue"]); // PAC up to R$ 3.000
    expect(fields(validateDeclaredValue(20_000, "04227"))).toEqual(["declaredValue"]); // Mini up to R$ 100
    expect(fields(validateDeclaredValue(1_000))).toEqual(["declaredValue"]); // below the minimum
    expect(validateDeclaredValue(1_000_000)).toEqual([]);
  });

  it("refuses negative, fractional and non-finite cents", () => {
    for (const cents of [-1, 10.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(fields(validateDeclaredValue(cents, "03220"))).toEqual(["declaredValue"]);
    }
  });

  it("shows amounts in reais", () => {
    expect(validateDeclaredValue(1_000_001, "03220")[0]?.message).toMatch(/R\$ 25\.50 and R\$ 10000\.00.*10000\.01/);
  });
});

describe("formatToCorreios", () => {
  it("maps formats to tpObjeto", () => {
    expect(formatToCorreios("ENVELOPE")).toBe("1");
    expect(formatToCorreios("BOX")).toBe("2");
    expect(formatToCorreios("ROLL")).toBe("3");
    expect(() => formatToCorreios("CRATE" as "BOX")).toThrow(RangeError);
  });
});
