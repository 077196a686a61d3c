// When a watched parcel is asked about next: an interval by its status (WATCH_INTERVALS), ±10 % jitter so codes
// watched together spread out instead of coming due in the same second forever, never below the floor
// (WATCH_MIN_INTERVAL_SECONDS), and never after the watch's end (so the end is noticed on time).
import type { ShipmentStatus } from "../../correios/domain/tracking-status.js";

/** Seconds between polls, for every status a watched parcel can show (config.ts fills the ones not given). */
export type WatchIntervals = Record<ShipmentStatus, number>;

export interface Schedule {
  intervals: WatchIntervals;
  minIntervalSeconds: number;
}

export const JITTER = 0.1;
/** After a failed poll (Correios down, a stale answer): sooner than a quiet status's interval, not at once. */
export const RETRY_SECONDS = 600;

/** `random` in [0, 1): 0.5 gives the interval itself. */
export function nextCheckAt(status: ShipmentStatus, now: number, expiresAt: number, s: Schedule, random = Math.random()): number {
  return after(s.intervals[status], now, expiresAt, s, random);
}

/** The next try after a poll that learned nothing. */
export function retryAt(status: ShipmentStatus, now: number, expiresAt: number, s: Schedule, random = Math.random()): number {
  return after(Math.min(s.intervals[status], RETRY_SECONDS), now, expiresAt, s, random);
}

function after(seconds: number, now: number, expiresAt: number, s: Schedule, random: number): number {
  const jittered = seconds * (1 - JITTER + 2 * JITTER * random);
  const wait = Math.max(s.minIntervalSeconds, jittered) * 1000;
  return Math.min(expiresAt, now + Math.round(wait));
}
