// Change detection and poll scheduling, pure: what counts as a change, which event types it matches, its id, and when
// the next poll comes.
import { describe, expect, it } from "vitest";
import type { TrackedObject, TrackingEvent } from "../../src/correios/client/tracking.js";
import { loadConfig } from "../../src/config.js";
import { baselineOf, changeId, detect } from "../../src/services/notifications/detect.js";
import { nextCheckAt, retryAt, type Schedule } from "../../src/services/notifications/intervals.js";

const ev = (code: string, type: string, time: string, status: TrackingEvent["status"]): TrackingEvent => ({ code, type, time, status, description: `${code}/${type}` });
const posted = ev("PO", "01", "2026-11-01T08:00:00-03:00", "POSTED");
const transit = ev("RO", "01", "2026-11-01T18:00:00-03:00", "IN_TRANSIT");
const out = ev("OEC", "01", "2026-11-02T09:00:00-03:00", "OUT_FOR_DELIVERY");
const failed1 = ev("BDE", "20", "2026-11-02T15:00:00-03:00", "DELIVERY_FAILED");
const failed2 = ev("BDE", "20", "2026-11-03T15:00:00-03:00", "DELIVERY_FAILED");
const delivered = ev("BDE", "01", "2026-11-04T11:00:00-03:00", "DELIVERED");
const obj = (...events: TrackingEvent[]): TrackedObject => ({ code: "AA123456785BR", status: events[0]?.status ?? "NOT_FOUND", events });
const observe = (object: TrackedObject, fetchedAt: number, seenAt?: number) => ({ clientId: "shop", code: "AA123456785BR", object, fetchedAt, seenAt, metadata: { o: 1 }, now: fetchedAt });

describe("detect", () => {
  it("takes the first answer as the baseline, not as a change", () => {
    const d = detect(undefined, observe(obj(transit, posted), 1000));
    expect(d.change).toBeUndefined();
    expect(d.baseline).toEqual({ status: "IN_TRANSIT", newestEvent: `RO|01|${transit.time}`, fetchedAt: 1000 });
  });

  it("finds nothing while the newest event and the status stay, and keeps the baseline as it was", () => {
    const base = baselineOf(obj(transit, posted), 1000);
    const d = detect(base, observe(obj(transit, posted), 2000));
    expect(d.change).toBeUndefined();
    expect(d.baseline).toBe(base);
  });

  it("a new event with a new status matches UPDATED and STATUS_CHANGED, with the statuses and the event", () => {
    const d = detect(baselineOf(obj(transit, posted), 1000), observe(obj(out, transit, posted), 2000));
    expect(d.change).toMatchObject({
      types: ["SHIPMENT_UPDATED", "SHIPMENT_STATUS_CHANGED"],
      status: "OUT_FOR_DELIVERY",
      previousStatus: "IN_TRANSIT",
      event: { code: "OEC", type: "01", at: out.time },
      metadata: { o: 1 },
    });
    expect(d.baseline.status).toBe("OUT_FOR_DELIVERY");
  });

  it.each([
    ["DELIVERED", delivered, "SHIPMENT_DELIVERED"],
    ["DELIVERY_FAILED", failed1, "SHIPMENT_DELIVERY_FAILED"],
    ["AWAITING_PICKUP", ev("LDI", "01", "2026-11-04T11:00:00-03:00", "AWAITING_PICKUP"), "SHIPMENT_AWAITING_PICKUP"],
    ["RETURNED", ev("BDE", "23", "2026-11-04T11:00:00-03:00", "RETURNED"), "SHIPMENT_RETURNED"],
  ] as const)("reaching %s adds its own type", (_name, e, type) => {
    const d = detect(baselineOf(obj(out, transit), 1000), observe(obj(e, out, transit), 2000));
    expect(d.change!.types).toEqual(["SHIPMENT_UPDATED", "SHIPMENT_STATUS_CHANGED", type]);
  });

  it("a second failed attempt is news too: UPDATED and DELIVERY_FAILED, no STATUS_CHANGED", () => {
    const d = detect(baselineOf(obj(failed1, out), 1000), observe(obj(failed2, failed1, out), 2000));
    expect(d.change!.types).toEqual(["SHIPMENT_UPDATED", "SHIPMENT_DELIVERY_FAILED"]);
  });

  it("an answer no newer than one already compared is no news, even when it differs (an older cache)", () => {
    const base = baselineOf(obj(out, transit), 5000);
    expect(detect(base, observe(obj(transit, posted), 4000)).change).toBeUndefined();
    expect(detect(base, observe(obj(transit, posted), 6000, 7000)).baseline).toBe(base);
  });

  it("a parcel with a history answered without one (SRO-020 for a moment) has not moved", () => {
    const base = baselineOf(obj(transit, posted), 1000);
    const d = detect(base, observe(obj(), 2000));
    expect(d.change).toBeUndefined();
    expect(d.baseline).toBe(base);
  });

  it("a parcel first not found, then posted, is a change", () => {
    const d = detect(baselineOf(obj(), 1000), observe(obj(posted), 2000));
    expect(d.change).toMatchObject({ types: ["SHIPMENT_UPDATED", "SHIPMENT_STATUS_CHANGED"], status: "POSTED", previousStatus: "NOT_FOUND" });
  });

  it("the id depends on client, code, newest event and status only: the same change found again has the same id", () => {
    const base = baselineOf(obj(transit, posted), 1000);
    const a = detect(base, observe(obj(out, transit), 2000)).change!;
    const b = detect(base, { ...observe(obj(out, transit), 9000), metadata: "other" }).change!;
    expect(a.id).toBe(b.id);
    expect(a.id).toBe(changeId("shop", "AA123456785BR", `OEC|01|${out.time}`, "OUT_FOR_DELIVERY"));
    expect(detect(base, { ...observe(obj(out, transit), 2000), clientId: "other" }).change!.id).not.toBe(a.id);
    expect(a.id).not.toMatch(/[:|]/);
  });
});

describe("poll schedule", () => {
  const s: Schedule = { intervals: loadConfig({ DATA_DIR: "/tmp/x", AUTH_SECRET: "a".repeat(32), CREDENTIALS_KEY: "b".repeat(64) }).WATCH_INTERVALS, minIntervalSeconds: 300 };

  it("uses the status's interval with ±10 % jitter", () => {
    expect(nextCheckAt("IN_TRANSIT", 0, Infinity, s, 0.5)).toBe(3_600_000);
    expect(nextCheckAt("IN_TRANSIT", 0, Infinity, s, 0)).toBe(3_240_000);
    expect(nextCheckAt("IN_TRANSIT", 0, Infinity, s, 0.999999)).toBeCloseTo(3_960_000, -2);
    expect(nextCheckAt("OUT_FOR_DELIVERY", 0, Infinity, s, 0.5)).toBe(1_200_000);
    expect(nextCheckAt("AWAITING_PICKUP", 0, Infinity, s, 0.5)).toBe(21_600_000);
  });

  it("never polls below the floor, nor after the watch's end", () => {
    expect(nextCheckAt("IN_TRANSIT", 0, Infinity, { ...s, minIntervalSeconds: 7200 }, 0.5)).toBe(7_200_000);
    expect(nextCheckAt("AWAITING_PICKUP", 0, 1000, s, 0.5)).toBe(1000);
    expect(retryAt("AWAITING_PICKUP", 0, Infinity, s, 0.5)).toBe(600_000);
  });
});

describe("WATCH_INTERVALS", () => {
  const env = (v?: string) => ({ DATA_DIR: "/tmp/x", AUTH_SECRET: "a".repeat(32), CREDENTIALS_KEY: "b".repeat(64), ...(v === undefined ? {} : { WATCH_INTERVALS: v }) });

  it("defaults to the issue's table; statuses not named follow the nearest one", () => {
    expect(loadConfig(env()).WATCH_INTERVALS).toMatchObject({
      POSTED: 7200, IN_TRANSIT: 3600, OUT_FOR_DELIVERY: 1200, AWAITING_PICKUP: 21_600, DELIVERY_FAILED: 3600,
      RETURNING: 3600, UNKNOWN: 3600, NOT_FOUND: 7200,
    });
    expect(loadConfig(env("IN_TRANSIT=600, POSTED=0.5")).WATCH_INTERVALS).toMatchObject({ IN_TRANSIT: 600, RETURNING: 600, UNKNOWN: 600, POSTED: 0.5, NOT_FOUND: 0.5, OUT_FOR_DELIVERY: 1200 });
  });

  it.each(["DELIVERED=10", "IN_TRANSIT", "IN_TRANSIT=-1", "in_transit=10", "IN_TRANSIT=1h"])("refuses %s naming the variable", (v) => {
    expect(() => loadConfig(env(v))).toThrow(/WATCH_INTERVALS.*STATUS=seconds/);
  });
});
