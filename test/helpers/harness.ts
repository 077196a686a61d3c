// Starts what a user runs: the CWS simulator on loopback and this subgraph in front of it, over real HTTP.
// Logs are captured so tests can check that secrets never reach them.
import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { print, type DocumentNode, type ExecutionResult } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { signJwt } from "../../src/http/auth.js";
import { loadConfig, type Config } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { createServices, type Services } from "../../src/services/services.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../simulator/index.js";

export const AUTH_SECRET = "test-secret-that-is-long-enough-for-hs256-000";
export const CREDENTIALS_KEY = "a".repeat(64);

export interface Harness {
  sim: Simulator;
  services: Services;
  server: RunningServer;
  config: Config;
  logs: string[];
  dataDir: string;
  operatorToken: string;
  clientToken(clientId: string): Promise<string>;
  gql<R = Record<string, unknown>, V = Record<string, unknown>>(
    doc: TypedDocumentNode<R, V> | DocumentNode | string,
    variables?: V,
    opts?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<ExecutionResult<R> & { status: number }>;
  /** Stops the subgraph and starts it again on the same data folder (a restart). */
  restart(env?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra environment; a function gets the simulator's URL (for settings that must point at it). */
  env?: Record<string, string> | ((simUrl: string) => Record<string, string>);
  sim?: SimulatorOptions;
  /** Reuse a running simulator (e.g. one shared by several subgraphs). */
  simulator?: Simulator;
  dataDir?: string;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const sim = opts.simulator ?? (await startSimulator({ port: 0, tokenRatePerSecond: 0, ...opts.sim }));
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "correios-subgraph-"));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      cb();
    },
  });
  let env: Record<string, string> = {
    NODE_ENV: "test",
    LOG_LEVEL: "debug",
    DATA_DIR: dataDir,
    CORREIOS_BASE_URL: sim.url,
    AUTH_SECRET,
    CREDENTIALS_KEY,
    HOST: "127.0.0.1",
    PORT: "0",
    UPSTREAM_RETRY_BASE_MS: "10",
    RATE_LIMIT_PER_MINUTE: "0",
    ...(typeof opts.env === "function" ? opts.env(sim.url) : opts.env),
  };
  let config = loadConfig(env);
  let services = await createServices(config, createLogger(config.LOG_LEVEL, sink));
  let server = await startServer(services, { port: 0, host: "127.0.0.1" });
  const operatorToken = await signJwt({ role: "operator" }, AUTH_SECRET);

  const h: Harness = {
    sim,
    services,
    server,
    config,
    logs,
    dataDir,
    operatorToken,
    clientToken: (clientId) => signJwt({ role: "client", clientId }, AUTH_SECRET),
    async gql(doc, variables, o = {}) {
      const query = typeof doc === "string" ? doc : print(doc as DocumentNode);
      const token = o.token === undefined ? operatorToken : o.token;
      const res = await fetch(h.server.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...o.headers },
        body: JSON.stringify({ query, variables }),
      });
      return { ...((await res.json()) as ExecutionResult<never>), status: res.status };
    },
    async restart(extraEnv) {
      await h.server.close();
      await h.services.close();
      env = { ...env, ...extraEnv };
      config = loadConfig(env);
      services = await createServices(config, createLogger(config.LOG_LEVEL, sink));
      server = await startServer(services, { port: 0, host: "127.0.0.1" });
      Object.assign(h, { services, server, config });
    },
    async close() {
      await h.server.close();
      await h.services.close();
      if (!opts.simulator) await h.sim.close().catch(() => undefined);
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** The number of codes in each tracking call the simulator received, in order. */
export function trackingCallSizes(sim: Simulator): number[] {
  return sim
    .requests()
    .filter((r) => r.endpoint === "tracking")
    .map((r) => [r.query.codigosObjetos ?? []].flat().length);
}
