// `npm run bench [-- --scenario <name|all>] [--duration s] [--connections n] [--latency ms] [--smoke]`: runs the
// scenarios, prints a Markdown table per scenario and writes each result to bench/results/ (kept out of git).
import { createContext } from "./lib/context.js";
import { machine, renderChecks, renderResult, writeResult, type Check } from "./lib/report.js";
import { parseSettings } from "./lib/settings.js";
import { SCENARIOS } from "./scenarios/index.js";

const settings = parseSettings(process.argv.slice(2));
const chosen = settings.scenario === "all" ? SCENARIOS.filter((s) => s.inAll) : SCENARIOS.filter((s) => s.name === settings.scenario);
if (chosen.length === 0) {
  console.error(`Unknown scenario "${settings.scenario}". Choose one of: all, ${SCENARIOS.map((s) => s.name).join(", ")}.`);
  process.exit(2);
}

const m = machine();
console.log(`# correios-subgraph benchmarks, ${new Date().toISOString()}`);
console.log(`${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.kernel}`);
console.log(
  `duration ${settings.duration} s, ${settings.connections} connections (moderate load ${settings.moderateConnections}), simulator latency ${settings.latencyMs} ms${settings.smoke ? ", SMOKE" : ""}\n`,
);

const ctx = createContext(settings);
const checks: Check[] = [];
let failed = false;
for (const scenario of chosen) {
  try {
    const result = await scenario.run(ctx);
    console.log(`${renderResult(result)}\n`);
    console.error(`saved ${writeResult(result)}`);
    checks.push(...result.checks);
  } catch (e) {
    failed = true;
    console.error(`scenario ${scenario.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
if (chosen.length > 1 && checks.length) console.log(`## Summary\n\n${renderChecks(checks)}`);
process.exit(failed ? 1 : 0);
