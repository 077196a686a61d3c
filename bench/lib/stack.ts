// What a scenario measures: the CWS simulator (in this process: it only sleeps and answers) and the subgraph as a
// CHILD process, so the load generator never shares the subgraph's event loop. Also the bare baseline server and
// the RSS sampler.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type ExecutionResult } from "graphql";
import { signJwt } from "../../src/http/auth.js";
import { buildTrackingCode } from "../../src/correios/domain/formats.js";
import { DEFAULT_ACCOUNTS, startSimulator, type Simulator } from "../../simulator/index.js";
import { BenchRegisterCredentialDocument } from "../../test/generated/graphql.js";
import { freePort, startSubgraphProcess, type SubgraphProcess } from "../../test/helpers/process.js";

/** The tenant every scenario acts for (DEFAULT_CLIENT_ID), with the simulator's seeded `loja-demo` account. */
export const CLIENT_ID = "loja-bench";
/** Correios' per-call limit of the tracking API (TRACKING_BATCH_SIZE). */
export const TRACKING_BATCH = 50;

export interface StackOptions {
  latencyMs: number;
  /** Extra subgraph environment (wins over the defaults below). */
  env?: Record<string, string>;
  /** Node flags for the subgraph child, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Register with `verify: true` (fetches and caches a token); false leaves the token cold. */
  verify?: boolean;
  /** Sets ROUTER_SECRET: the subgraph then answers only requests that carry it (a gateway in front). */
  routerSecret?: string;
}

export interface Stack {
  sim: Simulator;
  /** The subgraph's /graphql URL. */
  url: string;
  subgraph: SubgraphProcess;
  authSecret: string;
  /** One GraphQL request as the default client (no token), or as the operator. */
  gql<R, V>(doc: TypedDocumentNode<R, V>, variables: V, opts?: { operator?: boolean }): Promise<ExecutionResult<R>>;
  close(): Promise<void>;
}

let built = false;

/** Compiles src/ to dist/ once per run: the subgraph is measured as production runs it (`npm run build`). */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
  built = true;
}

export async function startStack(o: StackOptions): Promise<Stack> {
  ensureBuilt();
  // 3 token requests per second, like Correios: a second token request in a burst would be refused, not hidden.
  const sim = await startSimulator({ port: 0, latencyMs: o.latencyMs, tokenRatePerSecond: 3 });
  const dir = mkdtempSync(join(tmpdir(), "correios-bench-"));
  const authSecret = randomBytes(48).toString("base64url");
  let subgraph: SubgraphProcess;
  try {
    subgraph = await startSubgraphProcess(
      {
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        APOLLO_TELEMETRY_DISABLED: "true",
        DATA_DIR: dir,
        STORE_URL: `sqlite://${join(dir, "store.sqlite")}`,
        AUTH_SECRET: authSecret,
        CREDENTIALS_KEY: randomBytes(32).toString("hex"),
        CORREIOS_BASE_URL: sim.url,
        RATE_LIMIT_PER_MINUTE: "0",
        DEFAULT_CLIENT_ID: CLIENT_ID,
        // The growth curve goes to 10,000 codes in one request.
        MAX_CODES_PER_REQUEST: "10000",
        MAX_QUERY_COST: "1000000",
        ...(o.routerSecret ? { ROUTER_SECRET: o.routerSecret } : {}),
        ...o.env,
      },
      o.nodeArgs,
      true,
    );
  } catch (e) {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const operator = await signJwt({ role: "operator" }, authSecret);
  const gql: Stack["gql"] = async (doc, variables, opts = {}) => {
    const res = await fetch(subgraph.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(opts.operator ? { authorization: `Bearer ${operator}` } : {}),
        ...(o.routerSecret ? { "router-authorization": o.routerSecret } : {}),
      },
      body: JSON.stringify({ query: print(doc), variables }),
    });
    return (await res.json()) as ExecutionResult<never>;
  };
  const stack: Stack = {
    sim,
    url: subgraph.url,
    subgraph,
    authSecret,
    gql,
    async close() {
      // A subgraph that died under load must not pass for a slow one.
      const died = subgraph.child.exitCode !== null || subgraph.child.signalCode !== null;
      await subgraph.kill();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
      if (died) throw new Error(`the subgraph exited during the scenario (${subgraph.child.exitCode ?? subgraph.child.signalCode}):\n${subgraph.output().slice(-4000)}`);
    },
  };
  const demo = DEFAULT_ACCOUNTS.find((a) => a.login === "loja-demo")!;
  const reg = await gql(
    BenchRegisterCredentialDocument,
    { input: { clientId: CLIENT_ID, apiLogin: demo.login, accessCode: demo.accessCode, postingCard: demo.card, verify: o.verify ?? true } },
    { operator: true },
  );
  const problem = reg.errors?.[0]?.message ?? reg.data?.registerCredential.userErrors[0]?.message;
  if (problem) {
    await stack.close();
    throw new Error(`registering ${CLIENT_ID} failed: ${problem}`);
  }
  return stack;
}

/** `n` valid tracking codes with serials from `from`: each scenario takes its own range so nothing is cached. */
export function trackingCodes(n: number, from: number, prefix = "AA"): string[] {
  return Array.from({ length: n }, (_, i) => buildTrackingCode(prefix, from + i));
}

export interface ScriptServer {
  url: string;
  pid: number;
  close(): Promise<void>;
}

/** Runs a script (TypeScript through tsx, or JavaScript) that prints its URL as the first line of stdout, as its own process. */
export async function startScriptServer(script: string, env: Record<string, string> = {}): Promise<ScriptServer> {
  const child = spawn(process.execPath, script.endsWith(".ts") ? ["--import", "tsx", script] : [script], {
    env: { ...process.env, NODE_ENV: "production", APOLLO_TELEMETRY_DISABLED: "true", PORT: String(await freePort()), ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL"); // not left running behind a failed run
      reject(new Error(`${script} did not start in 30 s`));
    }, 30_000);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
  });
  return {
    url,
    pid: child.pid!,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The bare @apollo/server of bench/baseline-server.mjs. */
export const startBaseline = () => startScriptServer("bench/baseline-server.mjs");

/** Resident memory of a process in MB (VmRSS), or 0 once it is gone. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every 200 ms; `stop()` returns the maximum seen, in MB. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let max = rssMb(pid);
  const timer = setInterval(() => (max = Math.max(max, rssMb(pid))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(max, rssMb(pid));
    },
  };
}

/**
 * Waits until the simulator has seen no new request for a while. A load run stops with requests still inside the
 * subgraph; their upstream calls must land before the counters are reset for the next measurement, or they would be
 * charged to it.
 */
export async function quiesce(sim: Simulator, latencyMs: number, maxWaitMs = 30_000): Promise<void> {
  const window = latencyMs + 250;
  const deadline = Date.now() + maxWaitMs;
  let last = sim.counts().total;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, window));
    const now = sim.counts().total;
    if (now === last) return;
    last = now;
  }
}
