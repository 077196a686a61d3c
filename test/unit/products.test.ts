import { describe, it, expect } from "vitest";
import { buildTrackingCode } from "../../src/correios/domain/formats.js";
import {
  ADDITIONAL_SERVICES,
  DEFAULT_SERVICE_CODES,
  PRODUCTS,
  additionalServiceCode,
  declaredValueServiceCode,
  productOf,
  serviceForTrackingCode,
} from "../../src/correios/domain/products.js";

describe("products", () => {
  it("tables the contract and retail codes", () => {
    expect(productOf("03220")).toMatchObject({ family: "SEDEX", contract: true });
    expect(productOf("03298")).toMatchObject({ family: "PAC", contract: true });
    expect(productOf("04227")).toMatchObject({ family: "MINI", contract: true });
    expect(productOf("04014")).toMatchObject({ family: "SEDEX", contract: false });
    expect(productOf("04510")).toMatchObject({ family: "PAC", contract: false });
    expect(productOf("40010")).toBeUndefined();
    expect(productOf("toString")).toBeUndefined();
  });

  it("defaults to SEDEX and PAC under contract", () => {
    expect(DEFAULT_SERVICE_CODES).toEqual(["03220", "03298"]);
    for (const code of DEFAULT_SERVICE_CODES) expect(PRODUCTS[code]).toBeDefined();
  });

  it("keys every code as 5 digits", () => {
    for (const code of Object.keys(PRODUCTS)) expect(code).toMatch(/^\d{5}$/);
    for (const code of Object.keys(ADDITIONAL_SERVICES)) expect(code).toMatch(/^\d{3}$/);
  });
});

describe("additional services", () => {
  it("names AR, MP and declared value", () => {
    expect(ADDITIONAL_SERVICES["001"]?.key).toBe("ACKNOWLEDGEMENT_OF_RECEIPT");
    expect(ADDITIONAL_SERVICES["002"]?.key).toBe("OWN_HANDS");
    expect(additionalServiceCode("ACKNOWLEDGEMENT_OF_RECEIPT")).toBe("001");
    expect(additionalServiceCode("OWN_HANDS")).toBe("002");
  });

  it("picks the declared-value code by family", () => {
    expect(declaredValueServiceCode("03220")).toBe("019");
    expect(declaredValueServiceCode("03158")).toBe("019");
    expect(declaredValueServiceCode("03298")).toBe("064");
    expect(declaredValueServiceCode("04227")).toBe("065");
    expect(declaredValueServiceCode("99999")).toBeUndefined();
  });
});

describe("serviceForTrackingCode", () => {
  it("reads sourced domestic prefixes", () => {
    expect(serviceForTrackingCode(buildTrackingCode("AA", 12345678))).toEqual({ prefix: "AA", family: "SEDEX" });
    expect(serviceForTrackingCode(buildTrackingCode("PP", 1))).toEqual({ prefix: "PP", family: "PAC" });
    expect(serviceForTrackingCode(buildTrackingCode("PQ", 1).toLowerCase())).toEqual({ prefix: "PQ", family: "MINI" });
  });

  it("gives undefined for unknown prefixes, foreign objects and junk", () => {
    expect(serviceForTrackingCode(buildTrackingCode("QQ", 1))).toBeUndefined();
    expect(serviceForTrackingCode(buildTrackingCode("LP", 1, "CN"))).toBeUndefined();
    expect(serviceForTrackingCode("AA")).toBeUndefined();
    expect(serviceForTrackingCode(null as unknown as string)).toBeUndefined();
  });
});
