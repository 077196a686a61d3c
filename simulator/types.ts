// Shapes shared by the simulator's modules and its public API.

export type Environment = "PRODUCAO" | "HOMOLOGACAO";

/** The API endpoints the simulator counts, logs and can inject faults into. */
export type Endpoint =
  | "token"
  | "tracking"
  | "price"
  | "deadline"
  | "proof"
  | "correosEsToken"
  | "correosEsTracking"
  | "prepost"
  | "labels"
  | "cep"
  | "agencies";

export const ENDPOINTS: readonly Endpoint[] = [
  "token", "tracking", "price", "deadline", "proof", "correosEsToken", "correosEsTracking", "prepost", "labels", "cep", "agencies",
];

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  latencyMs?: number;
  environment?: Environment;
  trackingBatchLimit?: number;
  priceBatchLimit?: number;
  proofBatchLimit?: number;
  tokenTtlSeconds?: number;
  /** The same token is returned until this many seconds before its expiry. */
  tokenReuseWindowSeconds?: number;
  /** Token API requests accepted per sliding second; 0 = unlimited. */
  tokenRatePerSecond?: number;
  seedDefaultAccounts?: boolean;
  /** Label downloads answered "still being produced" before the PDF comes (per receipt); default 2. */
  labelPendingPolls?: number;
}

/** The part of the options that can change while the simulator runs. */
export type RuntimeConfig = Required<
  Pick<
    SimulatorOptions,
    | "tokenTtlSeconds"
    | "tokenReuseWindowSeconds"
    | "tokenRatePerSecond"
    | "trackingBatchLimit"
    | "priceBatchLimit"
    | "proofBatchLimit"
    | "labelPendingPolls"
  >
>;

export type ConfigPatch = Partial<RuntimeConfig>;

export interface RequestLogEntry {
  endpoint: Endpoint;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** The W3C trace context the caller sent, if any. */
  traceparent?: string;
  /** HTTP status sent; 0 while pending or when the connection was dropped without an answer. */
  status: number;
  /** ISO instant (UTC) the request arrived. */
  at: string;
}

export type FaultTarget = Endpoint | "*";

export type Fault =
  | { endpoint: FaultTarget; kind: "status"; status: number; body?: unknown; times?: number }
  | { endpoint: FaultTarget; kind: "rate-limit"; retryAfterSeconds?: number; times?: number }
  | { endpoint: FaultTarget; kind: "hang" | "malformed" | "truncated" | "huge" | "reset"; times?: number }
  | { endpoint: FaultTarget; kind: "latency"; ms: number; times?: number };

export type Counts = Record<Endpoint, number> & { total: number };
