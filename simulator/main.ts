// `npm run simulator`: runs the CWS simulator in the foreground until SIGINT/SIGTERM.
// Env: SIMULATOR_PORT (default 4010), SIMULATOR_HOST (default 127.0.0.1), SIMULATOR_LATENCY_MS (default 0).
// The seeded access codes are fake fixtures, so printing them is safe and saves a trip to accounts.ts.

import { DEFAULT_ACCOUNTS } from "./accounts.js";
import { DEFAULT_CORREOS_ES_CLIENTS } from "./correos-es-clients.js";
import { startSimulator } from "./server.js";

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

const simulator = await startSimulator({
  port: intFromEnv("SIMULATOR_PORT", 4010),
  host: process.env["SIMULATOR_HOST"] || "127.0.0.1",
  latencyMs: intFromEnv("SIMULATOR_LATENCY_MS", 0),
});

const lines = [
  `Correios CWS simulator listening on ${simulator.url}`,
  "Seeded accounts (login / access code / posting card / contract):",
  ...DEFAULT_ACCOUNTS.map((a) => `  ${a.login.padEnd(15)} ${a.accessCode}  card ${a.card}  contract ${a.contract ?? "-"}`),
  "CorreosID clients (client_id / client_secret / scopes):",
  ...DEFAULT_CORREOS_ES_CLIENTS.map((c) => `  ${c.clientId.padEnd(15)} ${c.clientSecret}  ${c.scopes.join(" ")}`),
  `Control API: ${simulator.url}/__simulator/counts, /requests, /reset, /faults, /config, /latency, /accounts`,
];
console.log(lines.join("\n"));

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the simulator`);
  simulator.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
