import { describe, it, expect } from "vitest";
import {
  SHIPMENT_STATUSES,
  TRACKING_EVENT_RULES,
  isFinalStatus,
  isInvalidObjectMessage,
  isNotFoundMessage,
  messageCodeOf,
  statusOfEvent,
  type ShipmentStatus,
} from "../../src/correios/domain/tracking-status.js";

describe("statusOfEvent", () => {
  // The pairs the simulator emits: these must never change meaning.
  const simulatorPairs: Array<[string, string, ShipmentStatus]> = [
    ["PO", "01", "POSTED"],
    ["RO", "01", "IN_TRANSIT"],
    ["DO", "01", "IN_TRANSIT"],
    ["OEC", "01", "OUT_FOR_DELIVERY"],
    ["OEC", "03", "OUT_FOR_DELIVERY"], // "Objeto em rota de entrega", the official manual's example
    ["BDE", "01", "DELIVERED"],
    ["BDI", "01", "DELIVERED"],
    ["BDR", "01", "DELIVERED"],
    ["LDI", "01", "AWAITING_PICKUP"],
    ["LDI", "02", "AWAITING_PICKUP"],
    ["LDI", "03", "AWAITING_PICKUP"],
    ["LDI", "14", "AWAITING_PICKUP"],
    ["BDE", "20", "DELIVERY_FAILED"],
    ["BDI", "20", "DELIVERY_FAILED"],
    ["BDR", "20", "DELIVERY_FAILED"],
    ["FC", "01", "RETURNING"],
    ["BDE", "23", "RETURNED"],
    ["BDI", "23", "RETURNED"],
    ["BDR", "23", "RETURNED"],
  ];

  it.each(simulatorPairs)("%s/%s → %s", (codigo, tipo, status) => {
    expect(statusOfEvent(codigo, tipo)).toBe(status);
  });

  it("maps other sourced pairs", () => {
    expect(statusOfEvent("BDE", "04")).toBe("RETURNING"); // refused by the addressee
    expect(statusOfEvent("BDE", "02")).toBe("DELIVERY_FAILED"); // nobody answered, will wait at a unit
    expect(statusOfEvent("BDE", "24")).toBe("AWAITING_PICKUP"); // PO box
    expect(statusOfEvent("PO", "09")).toBe("POSTED");
    expect(statusOfEvent("OEC", "09")).toBe("RETURNING");
  });

  it("normalises case, spaces and one-digit types", () => {
    expect(statusOfEvent(" bde ", "1")).toBe("DELIVERED");
    expect(statusOfEvent("ldi", " 14 ")).toBe("AWAITING_PICKUP");
  });

  it("gives UNKNOWN for pairs it does not know, and for junk", () => {
    expect(statusOfEvent("EST", "01")).toBe("UNKNOWN"); // "disregard the previous information"
    expect(statusOfEvent("BDE", "50")).toBe("UNKNOWN"); // stolen: no status of ours fits
    expect(statusOfEvent("ZZZ", "99")).toBe("UNKNOWN");
    expect(statusOfEvent("", "")).toBe("UNKNOWN");
    expect(statusOfEvent(null as unknown as string, undefined as unknown as string)).toBe("UNKNOWN");
    expect(statusOfEvent("B".repeat(10_000), "0".repeat(10_000))).toBe("UNKNOWN");
  });
});

describe("the table", () => {
  it("uses only known statuses and never lists a pair twice", () => {
    const seen = new Set<string>();
    for (const rule of TRACKING_EVENT_RULES) {
      expect(SHIPMENT_STATUSES).toContain(rule.status);
      expect(["2+", "1", "?"]).toContain(rule.confidence);
      for (const codigo of rule.codigos) {
        for (const tipo of rule.tipos) {
          const key = `${codigo}/${tipo}`;
          expect(seen.has(key), `${key} listed twice`).toBe(false);
          seen.add(key);
          expect(tipo).toMatch(/^\d{2}$/);
        }
      }
    }
  });

  it("never produces NOT_FOUND or UNKNOWN from an event", () => {
    for (const rule of TRACKING_EVENT_RULES) expect(["NOT_FOUND", "UNKNOWN"]).not.toContain(rule.status);
  });
});

describe("isFinalStatus", () => {
  it("is true only for DELIVERED and RETURNED", () => {
    expect(SHIPMENT_STATUSES.filter(isFinalStatus)).toEqual(["DELIVERED", "RETURNED"]);
  });
});

describe("messages", () => {
  it("extracts the code at the start of a message", () => {
    expect(messageCodeOf("SRO-020: Objeto não encontrado na base de dados dos Correios.")).toBe("SRO-020");
    expect(messageCodeOf("SRO-019: Objeto inválido")).toBe("SRO-019");
    expect(messageCodeOf("ERP-010: produto nao contratado")).toBe("ERP-010");
    expect(messageCodeOf("sro-020: objeto")).toBe("SRO-020");
    expect(messageCodeOf("Objeto não encontrado")).toBeUndefined();
    expect(messageCodeOf("")).toBeUndefined();
    expect(messageCodeOf(undefined as unknown as string)).toBeUndefined();
  });

  it("tells not-found from invalid", () => {
    expect(isNotFoundMessage("SRO-020: Objeto não encontrado na base de dados dos Correios.")).toBe(true);
    expect(isNotFoundMessage("SRO-019: Objeto inválido")).toBe(false);
    expect(isInvalidObjectMessage("SRO-019: Objeto inválido")).toBe(true);
    expect(isInvalidObjectMessage("SRO-0190: something else")).toBe(false);
  });
});
