import { describe, expect, it } from "vitest";
import { additionalServicesParam, brasiliaDate, refusal, toCorreiosDate } from "../../src/correios/client/pricing.js";

describe("price and deadline mapping helpers", () => {
  it.each([
    ["ERP-010: Produto não contratado.", "SERVICE_NOT_CONTRACTED", "ERP-010"],
    ["ERP-015: Peso excede o limite do produto.", "WEIGHT_OVER_LIMIT", "ERP-015"],
    ["ERP-002: CEP de destino inválido.", "INVALID_CEP", "ERP-002"],
    ["ERP-006: CEP de origem nao pode postar para CEP de destino", "ROUTE_NOT_SERVED", "ERP-006"],
    ["ERP-099: algo novo", "REFUSED_BY_CORREIOS", "ERP-099"],
  ])("reads txErro %j as %s", (txErro, code, correiosCode) => {
    expect(refusal(txErro)).toEqual({ ok: false, code, correiosCode, message: txErro, transient: false });
  });

  it("keeps a txErro without a code prefix", () => {
    expect(refusal("Serviço indisponível")).toEqual({ ok: false, code: "REFUSED_BY_CORREIOS", message: "Serviço indisponível", transient: false });
  });

  it("writes posting dates and additional services as the manual's POST examples do", () => {
    expect(toCorreiosDate("2026-12-01")).toBe("01/12/2026");
    expect(additionalServicesParam(["001", "019"])).toEqual([{ coServAdicional: "001" }, { coServAdicional: "019" }]);
  });

  it("takes today's date in Brasília, not in UTC", () => {
    expect(brasiliaDate(Date.parse("2026-12-02T02:59:59Z"))).toBe("2026-12-01");
    expect(brasiliaDate(Date.parse("2026-12-02T03:00:00Z"))).toBe("2026-12-02");
  });
});
