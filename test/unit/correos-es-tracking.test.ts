// Correos (Spain) tracking: the pure parts (Madrid offset, answer shapes, status table, code formats).
import { describe, expect, it } from "vitest";
import { madridDateTime, parseTrackpubBody, statusOfEsEvent } from "../../src/correos-es/tracking.js";
import { hasValidCheckLetter, parseCarrierTrackingCode } from "../../src/correos-es/codes.js";

const event = (over: Record<string, unknown> = {}) => ({
  eventDate: "06/10/2026",
  eventHours: "09:15:00",
  eventCode: "A010000V",
  phase: null,
  phaseDes: "EN CAMINO",
  summaryText: "Admitido.",
  expandedText: "El envío ha sido admitido.",
  ...over,
});

describe("Madrid time", () => {
  it("gives +02:00 in summer and +01:00 in winter", () => {
    expect(madridDateTime("06/07/2026", "10:30:00")).toBe("2026-07-06T10:30:00+02:00");
    expect(madridDateTime("15/01/2026", "10:30:00")).toBe("2026-01-15T10:30:00+01:00");
    // The days of the change (29 March, 25 October 2026).
    expect(madridDateTime("29/03/2026", "01:30:00")).toBe("2026-03-29T01:30:00+01:00");
    expect(madridDateTime("29/03/2026", "04:00:00")).toBe("2026-03-29T04:00:00+02:00");
    expect(madridDateTime("25/10/2026", "04:00:00")).toBe("2026-10-25T04:00:00+01:00");
  });
});

describe("trackpub answers", () => {
  it("reads the array shape with error as an object", () => {
    const m = parseTrackpubBody(
      [{ code: "PKA6TP9800095100123700D", events: [event(), event({ eventHours: "18:00:00", eventCode: "X", phaseDes: "ENTREGADO" })], error: { codError: 0, desError: "" } }],
      ["PKA6TP9800095100123700D"],
    );
    const o = m.get("PKA6TP9800095100123700D")!;
    expect(o.status).toBe("DELIVERED");
    expect(o.events.map((e) => e.time)).toEqual(["2026-10-06T18:00:00+02:00", "2026-10-06T09:15:00+02:00"]);
    expect(o.events[1]).toMatchObject({ code: "A010000V", status: "POSTED", description: "Admitido.", detail: "El envío ha sido admitido." });
  });

  it("reads the object shape with error as an array and a string codError", () => {
    const m = parseTrackpubBody({ code: "PQ0000000000000000000X", events: [], error: [{ codError: "1", desError: "Envío no encontrado" }] }, ["PQ0000000000000000000X"]);
    expect(m.get("PQ0000000000000000000X")).toMatchObject({ status: "NOT_FOUND", message: "Envío no encontrado", messageCode: "1" });
  });

  it("maps unknown events to UNKNOWN and keeps their text", () => {
    expect(statusOfEsEvent("Z999", "ALGO NUEVO")).toBe("UNKNOWN");
    expect(statusOfEsEvent("", "PRE-ADMISIÓN")).toBe("POSTED");
    expect(statusOfEsEvent("", "EN ENTREGA")).toBe("OUT_FOR_DELIVERY");
    const o = parseTrackpubBody([{ code: "AB123456785ES", events: [event({ eventCode: "Z999", phaseDes: "ALGO NUEVO", summaryText: "Texto" })] }], ["AB123456785ES"]);
    expect(o.get("AB123456785ES")!.events[0]).toMatchObject({ status: "UNKNOWN", description: "Texto", type: "ALGO NUEVO" });
  });
});

describe("carrier of a code", () => {
  it("tells Spanish codes from Brazilian ones", () => {
    expect(parseCarrierTrackingCode("AA123456785BR")).toEqual({ ok: true, value: { code: "AA123456785BR", carrier: "CORREIOS_BR" } });
    expect(parseCarrierTrackingCode("aa123456785es")).toEqual({ ok: true, value: { code: "AA123456785ES", carrier: "CORREOS_ES" } });
    expect(parseCarrierTrackingCode("PKA6TP9800095100123700D")).toMatchObject({ ok: true, value: { carrier: "CORREOS_ES" } });
    expect(parseCarrierTrackingCode("PKA6TP980009510M")).toMatchObject({ ok: true, value: { carrier: "CORREOS_ES" } });
    expect(parseCarrierTrackingCode("PKA6TP98000951001237000").ok).toBe(false);
    expect(hasValidCheckLetter("PKA6TP9800095100123700D")).toBe(true);
    expect(hasValidCheckLetter("PW427V0700046620108021L")).toBe(true);
    expect(hasValidCheckLetter("PKA6TP980009510M")).toBe(true);
  });
});
