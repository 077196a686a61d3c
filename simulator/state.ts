// Everything the simulator remembers, shared by the API handlers, the control API and the programmatic API.

import { AccountStore, DEFAULT_ACCOUNTS } from "./accounts.js";
import { CorreosEsClientStore, DEFAULT_CORREOS_ES_CLIENTS } from "./correos-es-clients.js";
import { FaultStore } from "./faults.js";
import { GateStore } from "./gates.js";
import { PrepostStore } from "./prepost-store.js";
import { SlidingWindowLimiter } from "./rate-limiter.js";
import { TokenStore } from "./tokens.js";
import { TrackingMoves } from "./tracking-moves.js";
import {
  ENDPOINTS,
  type ConfigPatch,
  type Counts,
  type Endpoint,
  type Environment,
  type RequestLogEntry,
  type RuntimeConfig,
  type SimulatorOptions,
} from "./types.js";

const LOG_LIMIT = 5000;

export class SimulatorState {
  readonly environment: Environment;
  readonly config: RuntimeConfig;
  latencyMs: number;
  readonly accounts: AccountStore;
  readonly tokens = new TokenStore();
  readonly correosEs = new CorreosEsClientStore();
  readonly faults = new FaultStore();
  readonly gates = new GateStore();
  /** Pre-postings and label jobs; kept by reset(), like accounts and tokens. */
  readonly prepost = new PrepostStore();
  /** Events appended to parcels' histories; kept by reset(), like pre-postings. */
  readonly trackingMoves = new TrackingMoves();
  readonly tokenLimiter = new SlidingWindowLimiter();
  private countsByEndpoint = emptyCounts();
  private log: RequestLogEntry[] = [];

  constructor(opts: SimulatorOptions) {
    this.environment = opts.environment ?? "PRODUCAO";
    this.latencyMs = opts.latencyMs ?? 0;
    this.config = {
      tokenTtlSeconds: opts.tokenTtlSeconds ?? 86_400,
      tokenReuseWindowSeconds: opts.tokenReuseWindowSeconds ?? 1_800,
      tokenRatePerSecond: opts.tokenRatePerSecond ?? 3,
      trackingBatchLimit: opts.trackingBatchLimit ?? 50,
      priceBatchLimit: opts.priceBatchLimit ?? 100,
      proofBatchLimit: opts.proofBatchLimit ?? 10,
      labelPendingPolls: opts.labelPendingPolls ?? 2,
    };
    this.accounts = new AccountStore(this.environment);
    if (opts.seedDefaultAccounts ?? true) {
      for (const seed of DEFAULT_ACCOUNTS) this.accounts.add(seed);
      for (const client of DEFAULT_CORREOS_ES_CLIENTS) this.correosEs.add(client);
    }
  }

  setConfig(patch: ConfigPatch): void {
    for (const key of Object.keys(this.config) as (keyof RuntimeConfig)[]) {
      const value = patch[key];
      if (value === undefined) continue;
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new TypeError(`${key} must be a non-negative number`);
      }
      this.config[key] = value;
    }
  }

  setLatency(ms: number): void {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) throw new TypeError("latency must be a non-negative number");
    this.latencyMs = ms;
  }

  regenerateAccessCode(login: string): string {
    const code = this.accounts.regenerate(login);
    this.tokens.revokeLogin(login);
    return code;
  }

  /** Counts and logs an API request; the returned entry gets its status when the answer is sent. */
  record(entry: Omit<RequestLogEntry, "status" | "at">): RequestLogEntry {
    this.countsByEndpoint[entry.endpoint] += 1;
    const full: RequestLogEntry = { ...entry, status: 0, at: new Date().toISOString() };
    this.log.push(full);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    return full;
  }

  counts(): Counts {
    const total = ENDPOINTS.reduce((sum, e) => sum + this.countsByEndpoint[e], 0);
    return { ...this.countsByEndpoint, total };
  }

  requests(): RequestLogEntry[] {
    return this.log.map((e) => ({ ...e, query: { ...e.query } }));
  }

  /** Counts, log, faults, gates (held requests go) and rate-limit state; accounts, tokens, latency and config are kept. */
  reset(): void {
    this.countsByEndpoint = emptyCounts();
    this.log = [];
    this.faults.clear();
    this.gates.reset();
    this.tokenLimiter.reset();
  }
}

function emptyCounts(): Record<Endpoint, number> {
  return Object.fromEntries(ENDPOINTS.map((e) => [e, 0])) as Record<Endpoint, number>;
}
