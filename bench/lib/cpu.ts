// A server process's own CPU cost per request, beside the req/s the load generator sees: on a 2-core machine the load
// generator takes a share of the cores, so req/s moves with it, while CPU time per answered request is the server's.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { saturate, type LoadResult } from "./load.js";

let clockTicks: number | undefined;

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; undefined where there is no /proc.
 * Per request, it is the server's own cost, which req/s is not: the load generator shares the two cores.
 */
export function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are 14th and 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return undefined;
  }
}

/** The load settings of one measurement. */
export type Load = { connections: number; duration: number; warmup: number };

/** One load, with the server process's CPU time per answered request (µs; undefined without /proc). */
export type Measured = LoadResult & { cpuUsPerRequest?: number };

/** `saturate`, reading the server's CPU time around the measured seconds only (not the warm-up). */
export async function saturateMeasured(s: Load, url: string, pid: number, body: string): Promise<Measured> {
  let before: number | undefined;
  const r = await saturate(s, url, body, undefined, () => (before = cpuSeconds(pid)));
  const after = cpuSeconds(pid);
  const cpu = before !== undefined && after !== undefined && r.requests > 0 ? ((after - before) * 1e6) / r.requests : undefined;
  return { ...r, cpuUsPerRequest: cpu === undefined ? undefined : Math.round(cpu) };
}

/**
 * Each named server measured once per round, rounds interleaved (every other one in the reverse order) so a burst of
 * other work on the machine falls on all of them; outside smoke runs each first gets `firstWarmupSeconds` of
 * unmeasured load (V8 optimises a large server more slowly than a small one).
 */
export async function interleavedRounds<K extends string>(
  names: readonly K[],
  measure: (name: K, settings: Load) => Promise<Measured>,
  o: { settings: Load & { smoke: boolean }; rounds: number; firstWarmupSeconds: number; log(line: string): void; label: string },
): Promise<Array<{ round: number } & Record<K, Measured>>> {
  const s = o.settings;
  if (!s.smoke) {
    for (const name of names) {
      o.log(`${o.label}: warming ${name} for ${o.firstWarmupSeconds} s`);
      await measure(name, { ...s, duration: o.firstWarmupSeconds, warmup: 0 });
    }
  }
  const rounds: Array<{ round: number } & Record<K, Measured>> = [];
  for (let round = 1; round <= o.rounds; round++) {
    const r = {} as Record<K, Measured>;
    for (const name of round % 2 ? names : [...names].reverse()) {
      o.log(`${o.label}: round ${round}, ${name}, ${s.connections} connections, ${s.duration} s`);
      r[name] = await measure(name, s);
    }
    rounds.push({ round, ...r });
  }
  return rounds;
}

/** Median over rounds of a's req/s over b's, and of b's CPU per request over a's (undefined without /proc). */
export function pairedRatios<K extends string>(rounds: ReadonlyArray<Record<K, Measured>>, a: K, b: K): { reqPerSec: number; cpu?: number } {
  const cpu = rounds.map((r) => (r[a].cpuUsPerRequest && r[b].cpuUsPerRequest ? r[b].cpuUsPerRequest / r[a].cpuUsPerRequest : NaN));
  return { reqPerSec: median(rounds.map((r) => r[a].reqPerSec / r[b].reqPerSec)), cpu: cpu.some(Number.isNaN) ? undefined : median(cpu) };
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
