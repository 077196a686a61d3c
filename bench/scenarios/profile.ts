// The hottest path, profiled: warm shipments(50) at saturation with the subgraph started under --cpu-prof. Prints
// the functions with the most self time and the same time summed per package (or per file of src/).
// Run on demand: `npm run bench -- --scenario profile` (not part of `all`: profiling slows the subgraph).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchContext } from "../lib/context.js";
import { round } from "../lib/load.js";
import type { ScenarioResult } from "../lib/report.js";
import { run as runShipments, type ShipmentsRow } from "./shipments.js";

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  name: string;
  where: string;
  selfMs: number;
  percent: number;
}

export interface ProfileData {
  load: ShipmentsRow;
  totalMs: number;
  functions: Hotspot[];
  packages: Hotspot[];
}

const ROOT = join(import.meta.dirname, "..", "..");

/** Self time per function (summed over its call sites) and per package, from a V8 .cpuprofile. */
export function summarise(profile: CpuProfile, top = 25): Omit<ProfileData, "load"> {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, Hotspot>();
  const byPackage = new Map<string, Hotspot>();
  const add = (map: Map<string, Hotspot>, key: string, name: string, where: string, us: number) => {
    const h = map.get(key) ?? { name, where, selfMs: 0, percent: 0 };
    h.selfMs += us / 1000;
    map.set(key, h);
  };
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id);
    if (!us) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : "";
    const name = functionName || (url ? "(anonymous)" : "(native)");
    add(byFunction, `${name} ${where}`, name, where, us);
    add(byPackage, packageOf(url, functionName), packageOf(url, functionName), "", us);
  }
  const rank = (map: Map<string, Hotspot>) =>
    [...map.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((h) => ({ ...h, selfMs: round(h.selfMs, 1), percent: round((100 * h.selfMs * 1000) / Math.max(1, total), 1) }));
  return { totalMs: round(total / 1000, 1), functions: rank(byFunction), packages: rank(byPackage) };
}

function shorten(url: string): string {
  const path = url.startsWith("file:") ? fileURLToPath(url) : url;
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}

/** node_modules/<package> (scoped too), src/<file>, node:<builtin>, or what V8 calls it: (garbage collector), (program)… */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const path = shorten(url);
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (m) return m[1]!;
  if (path.startsWith("node:")) return "node: built-ins";
  return path;
}

export async function run(ctx: BenchContext): Promise<ScenarioResult<ProfileData>> {
  const dir = mkdtempSync(join(tmpdir(), "correios-profile-"));
  try {
    const shipments = await runShipments(ctx, { sizes: [50], nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
    // The tsx loader thread writes a profile too; the main thread's is the largest.
    const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
    const main = files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
    if (!main) throw new Error("the subgraph wrote no .cpuprofile (did it exit cleanly?)");
    const summary = summarise(JSON.parse(readFileSync(join(dir, main), "utf8")) as CpuProfile);
    const load = shipments.data.rows[0]!;
    return {
      scenario: "profile",
      title: `CPU profile of the subgraph: warm shipments(50), ${ctx.settings.connections} connections, ${ctx.settings.duration} s (+ ${ctx.settings.warmup} s warm-up)`,
      settings: ctx.settings,
      data: { load, ...summary },
      tables: [
        ...shipments.tables,
        {
          title: `Top self time by package or file (of ${summary.totalMs} ms sampled)`,
          columns: ["package / file", "self ms", "%"],
          rows: summary.packages.slice(0, 15).map((h) => [h.name, h.selfMs, h.percent]),
        },
        {
          title: "Top self time by function",
          columns: ["function", "where", "self ms", "%"],
          rows: summary.functions.map((h) => [h.name, h.where, h.selfMs, h.percent]),
        },
      ],
      checks: [],
      notes: ["Figures under --cpu-prof are slower than the unprofiled run; compare shares, not req/s."],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
