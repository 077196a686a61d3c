// Every environment variable the service reads, validated in one place. Start-up fails naming the bad variable.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { CORREOS_ES_DEFAULT_API_URLS, CORREOS_ES_DEFAULT_TOKEN_URLS } from "./correos-es/endpoints.js";

const PRODUCTION_BASE_URL = "https://api.correios.com.br";

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);
/** An optional boolean: absent stays undefined so the caller can pick a default that depends on other settings. */
const optionalBool = () =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1" || v === "yes"));

/** A boolean with a default. */
const bool = (def: boolean) => optionalBool().transform((v) => v ?? def);

/**
 * Webhook retries: the wait after each failed attempt (Standard Webhooks' and Svix's schedule, stretched to about three
 * days: 11 attempts over 71 h 35 min). Each wait gets ±20 % jitter; after the last one the delivery is FAILED.
 */
export const WEBHOOK_RETRY_SCHEDULE_DEFAULT = "5s,5m,30m,2h,5h,10h,10h,14h,20h,10h";

/** Comma-separated durations with ms, s, m, h or d (a bare number is seconds), as milliseconds. */
const durationList = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      const out: number[] = [];
      for (const part of v.split(",").map((p) => p.trim())) {
        const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(part);
        if (!m) {
          ctx.addIssue({ code: "custom", message: `must be durations separated by commas, such as 5s,5m,2h (got "${part}")` });
          return z.NEVER;
        }
        out.push(Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? "s"]!));
      }
      return out;
    });

/** Seconds, as a number or with a unit: 3600, 90m, 12h, 7d. */
const duration = (def: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+\s*[smhd]?$/, "must be seconds, or a number with s, m, h or d (such as 12h)")
    .transform((v) => Number(v.replace(/\D/g, "")) * ({ s: 1, m: 60, h: 3600, d: 86_400 }[v.slice(-1)] ?? 1))
    .pipe(z.number().int().min(min, `must be at least ${min} seconds`).max(max, `must be at most ${max} seconds`))
    .default(def);

/** `key=value` pairs separated by commas, as the OpenTelemetry variables write headers and resource attributes. */
const keyValues = () => z.string().regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, "must be key=value pairs separated by commas");

/** The statuses WATCH_INTERVALS names (our ShipmentStatus values); the others take one of these. */
const WATCH_INTERVAL_DEFAULTS = { POSTED: 7200, IN_TRANSIT: 3600, OUT_FOR_DELIVERY: 1200, AWAITING_PICKUP: 21_600, DELIVERY_FAILED: 3600 };
const WATCH_INTERVAL_KEYS = [...Object.keys(WATCH_INTERVAL_DEFAULTS), "RETURNING", "NOT_FOUND", "UNKNOWN"];

/**
 * `STATUS=seconds` pairs separated by commas, over the defaults (decimals allowed). Statuses not given: RETURNING and
 * UNKNOWN poll like IN_TRANSIT (on the move), NOT_FOUND (pre-posted, not yet handed over) like POSTED; DELIVERED and
 * RETURNED end the watch.
 */
const watchIntervals = () =>
  z
    .string()
    .default("")
    .transform((v, ctx) => {
      const given: Record<string, number> = {};
      for (const part of v.split(",").map((p) => p.trim()).filter(Boolean)) {
        const m = /^([A-Z_]+)\s*=\s*(\d+(?:\.\d+)?)$/.exec(part);
        if (!m || !WATCH_INTERVAL_KEYS.includes(m[1]!)) {
          ctx.addIssue({ code: "custom", message: `must be STATUS=seconds pairs separated by commas, STATUS one of ${WATCH_INTERVAL_KEYS.join(", ")} (got "${part}")` });
          return z.NEVER;
        }
        given[m[1]!] = Number(m[2]);
      }
      const base = { ...WATCH_INTERVAL_DEFAULTS, ...given };
      const moving = given["IN_TRANSIT"] ?? base.IN_TRANSIT;
      return {
        ...base,
        RETURNING: given["RETURNING"] ?? moving,
        UNKNOWN: given["UNKNOWN"] ?? moving,
        NOT_FOUND: given["NOT_FOUND"] ?? base.POSTED,
        DELIVERED: moving,
        RETURNED: moving,
      };
    });

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: int(4001, 0, 65535),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  CORREIOS_BASE_URL: z.url().default(PRODUCTION_BASE_URL),
  STORE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  STORE_TIMEOUT_MS: int(500, 10, 60_000),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  AUTH_MAX_TOKEN_AGE: duration(86_400, 60, 366 * 86_400),
  CREDENTIALS_KEY: z.string().optional(),
  ROUTER_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  DEFAULT_CLIENT_ID: z.string().min(1).optional(),

  TOKEN_RENEW_MARGIN_SECONDS: int(1800, 0, 86_400),
  UPSTREAM_TIMEOUT_MS: int(8000, 50, 120_000),
  UPSTREAM_RETRIES: int(2, 0, 10),
  UPSTREAM_RETRY_BASE_MS: int(200, 1, 60_000),
  UPSTREAM_RETRY_MAX_DELAY_MS: int(5000, 1, 120_000),
  BREAKER_FAILURES: int(5, 1, 1000),
  BREAKER_HALF_OPEN_AFTER_MS: int(10_000, 10, 600_000),
  UPSTREAM_MAX_BODY_BYTES: int(5 * 1024 * 1024, 1024),
  TOKEN_REQUESTS_PER_SECOND: int(3, 1, 1000),

  TRACKING_BATCH_SIZE: int(50, 1, 1000),
  TRACKING_CONCURRENCY: int(4, 1, 64),
  TRACKING_WINDOW_MS: int(2, 0, 1000),
  MAX_CODES_PER_REQUEST: int(500, 1, 100_000),
  MAX_QUOTES_PER_REQUEST: int(200, 1, 100_000),
  TRACKING_TTL_ACTIVE_SECONDS: int(300, 0),
  TRACKING_TTL_FINAL_SECONDS: int(7 * 86_400, 0),
  TRACKING_TTL_NOT_FOUND_SECONDS: int(120, 0),
  TRACKING_STALE_MAX_SECONDS: int(7 * 86_400, 0),
  TRACKING_UPSTREAM_BUDGET_MS: int(3000, 50, 120_000),

  PRICE_BATCH_SIZE: int(100, 1, 1000),
  QUOTE_TTL_SECONDS: int(6 * 3600, 0),
  QUOTE_STALE_MAX_SECONDS: int(7 * 86_400, 0),
  QUOTE_UPSTREAM_BUDGET_MS: int(4000, 50, 120_000),
  PROOF_BATCH_SIZE: int(10, 1, 100),
  PROOF_TTL_SECONDS: int(30 * 86_400, 0),

  CEP_TTL_SECONDS: int(7 * 86_400, 0),
  CEP_NOT_FOUND_TTL_SECONDS: int(3600, 0),
  AGENCY_TTL_SECONDS: int(86_400, 0),
  POSTING_REFRESH_SECONDS: int(300, 0),
  LABEL_FIRST_POLL_MS: int(1000, 10, 60_000),
  LABEL_POLL_MAX_INTERVAL_MS: int(15_000, 10, 600_000),
  LABEL_POLL_MAX_MS: int(10 * 60_000, 100, 24 * 3_600_000),
  LABELS_PER_REQUEST: int(100, 1, 1000),
  IDEMPOTENCY_LOCK_MS: int(60_000, 1000, 600_000),

  MAX_QUERY_DEPTH: int(12, 2, 100),
  MAX_QUERY_COST: int(20_000, 10),
  MAX_QUERY_TOKENS: int(15_000, 100),
  MAX_BODY_BYTES: int(1024 * 1024, 1024),
  RATE_LIMIT_PER_MINUTE: int(1200, 0),
  INTROSPECTION: optionalBool(),
  /** The admin console at /admin (src/http/admin.ts); on unless NODE_ENV=production. */
  ADMIN_CONSOLE: optionalBool(),

  CORREOS_ES_TOKEN_URL: z.url().default(CORREOS_ES_DEFAULT_TOKEN_URLS.PRODUCTION),
  CORREOS_ES_PRE_TOKEN_URL: z.url().default(CORREOS_ES_DEFAULT_TOKEN_URLS.PREPRODUCTION),
  CORREOS_ES_RENEW_MARGIN_SECONDS: int(120, 0, 3600),
  /** The API gateway (trackpub, preregister) for PRODUCTION and PREPRODUCTION credentials. */
  CORREOS_ES_API_URL: z.url().default(CORREOS_ES_DEFAULT_API_URLS.PRODUCTION),
  CORREOS_ES_PRE_API_URL: z.url().default(CORREOS_ES_DEFAULT_API_URLS.PREPRODUCTION),
  /** Codes per trackpub call: multi-code syntax is not documented, so 1 unless set (comma-separated, checked). */
  CORREOS_ES_TRACKING_CODES_PER_CALL: int(1, 1, 100),

  /** Run the notification workers (watch polls, webhook deliveries) in this process; false makes an API-only replica. */
  NOTIFICATIONS_WORKERS: bool(true),
  /** Webhook deliveries: the whole attempt (DNS, connect, headers, body) must end within this. */
  WEBHOOK_TIMEOUT_MS: int(10_000, 50, 120_000),
  /** Waits between failed attempts, in milliseconds; see WEBHOOK_RETRY_SCHEDULE_DEFAULT. */
  WEBHOOK_RETRY_SCHEDULE: durationList(WEBHOOK_RETRY_SCHEDULE_DEFAULT),
  /** An endpoint whose deliveries fail without a success for this long is disabled (FAILING). Decimals allowed. */
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().min(0).max(24 * 365).default(24),
  /** After a rotation the old secret keeps signing beside the new one this long. */
  WEBHOOK_SECRET_GRACE_SECONDS: int(86_400, 0, 30 * 86_400),
  /** Allows http:// and private, loopback and link-local addresses for webhook URLs: tests and local demos only. */
  WEBHOOK_ALLOW_PRIVATE_URLS: bool(false),

  /** Seconds between polls of a watched parcel, by status; see watchIntervals. */
  WATCH_INTERVALS: watchIntervals(),
  /** No watched parcel is asked about more often than this (seconds; decimals allowed), whatever WATCH_INTERVALS says. */
  WATCH_MIN_INTERVAL_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  /** How long a partial batch of due codes waits for more before it is sent (full batches of 50 go at once). */
  WATCH_BATCH_WAIT_MS: int(2000, 0, 60_000),
  /** Watch polls make at most this many tracking requests per second, across replicas on Redis. */
  WATCH_MAX_CALLS_PER_SECOND: int(10, 1, 1000),
  /** A watch ends by itself this many days after it started (a parcel that never arrives is not polled forever). */
  WATCH_MAX_DAYS: int(60, 1, 366),

  /** Observability (src/telemetry/): the standard OpenTelemetry variables, tracing off unless an exporter is named. */
  OTEL_TRACES_EXPORTER: z.enum(["none", "otlp", "console"]).default("none"),
  OTEL_SERVICE_NAME: z.string().min(1).default("correios-subgraph"),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_HEADERS: keyValues().optional(),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: keyValues().optional(),
  OTEL_TRACES_SAMPLER: z
    .enum(["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"])
    .default("parentbased_always_on"),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  OTEL_RESOURCE_ATTRIBUTES: keyValues().optional(),
  /** When set, GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, "AUTH_SECRET" | "CREDENTIALS_KEY" | "STORE_URL" | "INTROSPECTION" | "ADMIN_CONSOLE"> {
  storeUrl: string;
  /** The variable that chose the store's place, for start-up errors. */
  storeUrlFrom: "STORE_URL" | "DATA_DIR";
  authSecret: string;
  credentialsKey: Buffer;
  introspection: boolean;
  adminConsole: boolean;
  production: boolean;
  /** Which Correios environment the base URL points at, to tell a user their credential belongs to the other one. */
  correiosEnvironment: "PRODUCAO" | "HOMOLOGACAO";
  /** Set when start-up generated the secrets; index.ts logs a warning. */
  generatedSecretsFile?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
  }
}

function parseKey(raw: string): Buffer {
  const hex = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, "hex") : undefined;
  const key = hex ?? Buffer.from(raw, "base64");
  if (key.length !== 32) {
    throw new ConfigError("CREDENTIALS_KEY", "must be 32 bytes, given as 64 hex characters or base64");
  }
  return key;
}

interface GeneratedSecrets {
  AUTH_SECRET: string;
  CREDENTIALS_KEY: string;
}

/** The embedded store may run without configured secrets: they are generated once and kept beside the data. */
function loadOrCreateSecrets(dataDir: string): { secrets: GeneratedSecrets; file: string } {
  const file = join(dataDir, "secrets.json");
  if (existsSync(file)) {
    return { secrets: JSON.parse(readFileSync(file, "utf8")) as GeneratedSecrets, file };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets: GeneratedSecrets = {
    AUTH_SECRET: randomBytes(48).toString("base64url"),
    CREDENTIALS_KEY: randomBytes(32).toString("hex"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return { secrets, file };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? "environment"), issue.message);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const storeUrl = e.STORE_URL ?? `sqlite://${join(dataDir, "store.sqlite")}`;
  const embedded = storeUrl.startsWith("sqlite:");
  if (!embedded && !/^(redis|rediss|memory):/.test(storeUrl)) {
    throw new ConfigError("STORE_URL", "must start with sqlite://, redis://, rediss:// or memory://");
  }

  let authSecret = e.AUTH_SECRET;
  let rawKey = e.CREDENTIALS_KEY;
  let generatedSecretsFile: string | undefined;
  if (!authSecret || !rawKey) {
    if (!embedded) {
      // Replicas on a shared store must share these secrets; generating one per process would break them.
      throw new ConfigError(authSecret ? "CREDENTIALS_KEY" : "AUTH_SECRET", "is required when STORE_URL is not the embedded store");
    }
    let loaded;
    try {
      loaded = loadOrCreateSecrets(dataDir);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      throw new ConfigError("DATA_DIR", `is ${dataDir}, which cannot be created, read or written (${reason}): point DATA_DIR at a folder this process can write.`);
    }
    const { secrets, file } = loaded;
    authSecret ??= secrets.AUTH_SECRET;
    rawKey ??= secrets.CREDENTIALS_KEY;
    generatedSecretsFile = file;
  }

  const production = e.NODE_ENV === "production";
  const { AUTH_SECRET: _a, CREDENTIALS_KEY: _k, STORE_URL: _s, INTROSPECTION, ADMIN_CONSOLE, ...rest } = e;
  return {
    ...rest,
    DATA_DIR: dataDir,
    storeUrl,
    storeUrlFrom: e.STORE_URL ? "STORE_URL" : "DATA_DIR",
    authSecret,
    credentialsKey: parseKey(rawKey),
    introspection: INTROSPECTION ?? !production,
    adminConsole: ADMIN_CONSOLE ?? !production,
    production,
    correiosEnvironment: /apihom\./.test(e.CORREIOS_BASE_URL) ? "HOMOLOGACAO" : "PRODUCAO",
    generatedSecretsFile,
  };
}
