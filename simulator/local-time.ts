// Brasília has kept UTC−3 all year since 2019, so a fixed offset is exact for the simulator's purposes.
// "Naive" values below are millisecond counts whose UTC fields read as Brasília wall-clock time.

const OFFSET_MS = 3 * 3600_000;
export const ZONE_OFFSET = "-03:00";
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** A real instant → Brasília local date-time without offset, e.g. 2026-11-25T09:00:00. */
export function brasiliaLocal(instantMs: number, withMillis = false): string {
  return formatNaive(instantMs - OFFSET_MS, withMillis);
}

/** A naive wall-clock value → `YYYY-MM-DDTHH:mm:ss`. */
export function formatNaive(naiveMs: number, withMillis = false): string {
  const iso = new Date(naiveMs).toISOString();
  return withMillis ? iso.slice(0, 23) : iso.slice(0, 19);
}

/** Naive midnight of today's date in Brasília. */
export function brasiliaToday(nowMs = Date.now()): number {
  const naive = nowMs - OFFSET_MS;
  return naive - (naive % DAY_MS);
}

/** `DD-MM-YYYY` (or `DD/MM/YYYY` with separator "/") → naive midnight, or undefined when not a real date. */
export function parseDayMonthYear(text: string, separator: "-" | "/" = "-"): number | undefined {
  const m = (separator === "/" ? /^(\d{2})\/(\d{2})\/(\d{4})$/ : /^(\d{2})-(\d{2})-(\d{4})$/).exec(text.trim());
  if (!m) return undefined;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return ms;
}
