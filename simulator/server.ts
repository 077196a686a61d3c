// startSimulator: a real node:http server imitating the Correios CWS APIs (and CorreosID), with switches for
// latency, faults and limits. See /work/shared/correios-api.md for the behaviour it imitates.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AccountSeed } from "./accounts.js";
import { addTrackingEvent, CONTROL_PREFIX, handleControl } from "./control-api.js";
import type { CorreosEsClientSeed } from "./correos-es-clients.js";
import { applyFault } from "./faults.js";
import type { GateStatus } from "./gates.js";
import { Exchange, HttpError } from "./http-utils.js";
import { MSG } from "./messages.js";
import { expirePrePosting, postPrePosting, type PostingOptions } from "./prepost-control.js";
import { matchRoute } from "./routes.js";
import { SimulatorState } from "./state.js";
import type { EventInput } from "./tracking-moves.js";
import type { ConfigPatch, Counts, Endpoint, Fault, RequestLogEntry, SimulatorOptions } from "./types.js";

export type { ConfigPatch, Counts, Endpoint, Environment, Fault, RequestLogEntry, SimulatorOptions } from "./types.js";
export { DEFAULT_ACCOUNTS, type AccountSeed } from "./accounts.js";
export type { GateStatus } from "./gates.js";
export type { PostingOptions } from "./prepost-control.js";
export { DEFAULT_CORREOS_ES_CLIENTS, type CorreosEsClientSeed } from "./correos-es-clients.js";
export { codeForScenario, scenarioOf, type Scenario } from "./tracking-histories.js";
export type { EventInput } from "./tracking-moves.js";

export interface Simulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Stops listening and drops every connection, including hanging and keep-alive ones. */
  close(): Promise<void>;
  addAccount(account: AccountSeed): void;
  /** A new 40-character access code; the old one and every token of the login stop working. */
  regenerateAccessCode(login: string): string;
  addCorreosEsClient(client: CorreosEsClientSeed): void;
  counts(): Counts;
  /** The last 5000 API requests, oldest first. */
  requests(): RequestLogEntry[];
  /** Clears counts, the request log, faults and rate-limit state; keeps accounts, tokens, latency and config. */
  reset(): void;
  setLatency(ms: number): void;
  setConfig(patch: ConfigPatch): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Holds the endpoint's next requests (counted and logged on arrival) until released; see gates.ts. */
  closeGate(endpoint: Endpoint): GateStatus;
  /** Lets every held request go and stops holding. */
  openGate(endpoint: Endpoint): GateStatus;
  /** Lets the `count` oldest held requests go (all by default), keeping the gate closed; returns how many went. */
  releaseGate(endpoint: Endpoint, count?: number): number;
  gateStatus(endpoint: Endpoint): GateStatus;
  /** Resolves once at least `atLeast` requests are held; rejects after `timeoutMs` (default 5000). */
  whenHeld(endpoint: Endpoint, atLeast: number, timeoutMs?: number): Promise<GateStatus>;
  /** Moves a PREPOSTADO pre-posting (id or object code) to POSTADO, as if handed over at an agency. */
  postPrePosting(ref: string, opts?: PostingOptions): Record<string, unknown>;
  /** Moves a PREPOSTADO pre-posting (id or object code) to EXPIRADO at once. */
  expirePrePosting(ref: string): Record<string, unknown>;
  /** Appends an event timed now to a parcel's history (e.g. { codigo: "BDE", tipo: "01" }): the parcel moves. */
  addTrackingEvent(code: string, event: EventInput): Record<string, unknown>;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const state = new SimulatorState(opts);
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = createServer((req, res) => {
    void handle(req, res, state, sleep);
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${urlHost(host)}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        state.gates.reset();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    addAccount: (a) => void state.accounts.add(a),
    regenerateAccessCode: (login) => state.regenerateAccessCode(login),
    addCorreosEsClient: (c) => state.correosEs.add(c),
    counts: () => state.counts(),
    requests: () => state.requests(),
    reset: () => state.reset(),
    setLatency: (ms) => state.setLatency(ms),
    setConfig: (patch) => state.setConfig(patch),
    addFault: (f) => state.faults.add(f),
    clearFaults: () => state.faults.clear(),
    closeGate: (endpoint) => state.gates.close(endpoint),
    openGate: (endpoint) => state.gates.open(endpoint),
    releaseGate: (endpoint, count) => state.gates.release(endpoint, count),
    gateStatus: (endpoint) => state.gates.status(endpoint),
    whenHeld: (endpoint, atLeast, timeoutMs) => state.gates.whenHeld(endpoint, atLeast, timeoutMs),
    postPrePosting: (ref, opts) => postPrePosting(state, ref, opts),
    expirePrePosting: (ref) => expirePrePosting(state, ref),
    addTrackingEvent: (code, event) => addTrackingEvent(state, code, event),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: SimulatorState,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const ex = new Exchange(req, res);
  try {
    if (ex.path.startsWith(CONTROL_PREFIX)) {
      await handleControl(ex, state);
      return;
    }
    const route = matchRoute(ex.path);
    if (!route) {
      ex.error(404, [MSG.notFound]);
      return;
    }
    const traceparent = ex.header("traceparent");
    const entry = state.record({ endpoint: route.endpoint, method: ex.method, path: ex.path, query: ex.query, ...(traceparent ? { traceparent } : {}) });
    ex.onStatus = (status) => {
      entry.status = status;
    };
    await state.gates.pass(route.endpoint, res);
    if (res.destroyed) return;
    const { delayMs, fault } = state.faults.take(route.endpoint);
    const wait = state.latencyMs + delayMs;
    if (wait > 0) await sleep(wait);
    if (res.destroyed) return;
    if (fault) {
      applyFault(ex, fault);
      return;
    }
    if (ex.method !== route.method) {
      ex.error(405, [MSG.methodNotAllowed], { Allow: route.method });
      return;
    }
    await route.handle(ex, state);
  } catch (err) {
    if (err instanceof HttpError) ex.error(err.status, err.msgs);
    else ex.error(500, [MSG.internal]);
  }
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
