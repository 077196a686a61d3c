// The knobs of a benchmark run, from the command line (`npm run bench -- --scenario growth --latency 50`).
import { parseArgs } from "node:util";

export interface BenchSettings {
  /** A scenario name, or "all". */
  scenario: string;
  /** Seconds of load per measurement. */
  duration: number;
  /** Concurrent connections at saturation. */
  connections: number;
  /** Connections of the closed-loop "moderate load" measurements (added latency, cold quotes). */
  moderateConnections: number;
  /** Mean requests per second of the open-loop "moderate load" (added latency). */
  moderateRate: number;
  /** Simulated Correios round trip, in ms. */
  latencyMs: number;
  /** A tiny run that checks call counts (the smoke test): short loads, few connections, small N. */
  smoke: boolean;
  /** Seconds of unmeasured load before each measurement, so V8 has compiled the hot path. */
  warmup: number;
}

export const DEFAULTS: BenchSettings = {
  scenario: "all",
  duration: 10,
  connections: 50,
  moderateConnections: 10,
  moderateRate: 50,
  latencyMs: 150,
  smoke: false,
  warmup: 2,
};

/** What `--smoke` changes, unless a flag sets it explicitly. */
export const SMOKE: Partial<BenchSettings> = { duration: 0.5, connections: 4, moderateConnections: 2, moderateRate: 20, latencyMs: 5, warmup: 0 };

const USAGE = `Usage: npm run bench -- [--scenario <name|all>] [--duration <s>] [--connections <n>] [--latency <ms>] [--rate <req/s>] [--smoke]`;

export function parseSettings(argv: string[]): BenchSettings {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: "string" },
      duration: { type: "string" },
      connections: { type: "string" },
      latency: { type: "string" },
      rate: { type: "string" },
      smoke: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (name: string, raw: string | undefined, min: number): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${raw}". ${USAGE}`);
    return n;
  };
  const explicit: Partial<BenchSettings> = {};
  const set = <K extends keyof BenchSettings>(k: K, v: BenchSettings[K] | undefined) => {
    if (v !== undefined) explicit[k] = v;
  };
  set("scenario", values.scenario);
  set("duration", num("duration", values.duration, 0.5));
  set("connections", num("connections", values.connections, 1));
  set("latencyMs", num("latency", values.latency, 0));
  set("moderateRate", num("rate", values.rate, 1));
  return settingsFor({ ...explicit, smoke: values.smoke ?? false });
}

/** Defaults, then the smoke defaults when `smoke` is set, then what was given. */
export function settingsFor(given: Partial<BenchSettings>): BenchSettings {
  return { ...DEFAULTS, ...(given.smoke ? SMOKE : {}), ...given };
}
