// The one HTTP client every Correios call goes through: per-call timeout, bounded body, retries with exponential
// backoff and jitter (honouring Retry-After), and a circuit breaker per API. Each call is logged once, at info, with
// its attempts and time, tagged with the request it serves (src/http/request-scope.ts) and added to that request's totals,
// counted in the metrics by API and outcome, and, while tracing is on, made a client span whose traceparent goes to
// Correios with every attempt (src/telemetry/).
// cockatiel is used for retry and breaker: maintained, typed, no dependencies, and it composes both policies.
import {
  circuitBreaker,
  ConsecutiveBreaker,
  CircuitState,
  handleWhen,
  retry,
  wrap,
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IRetryBackoffContext,
  type IPolicy,
} from "cockatiel";
import { SpanKind, type Span } from "@opentelemetry/api";
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS } from "@opentelemetry/semantic-conventions";
import type { Logger } from "pino";
import { recordUpstreamCall, scopeLogFields } from "../http/request-scope.js";
import type { Metrics } from "../telemetry/metrics.js";
import { failSpan, serviceTracer, traceHeaders, tracingOn } from "../telemetry/tracing.js";
import { apiLabel, errorForStatus, UpstreamError, type CorreiosApi } from "./errors.js";

export interface HttpClientOptions {
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  retryMaxDelayMs: number;
  breakerFailures: number;
  breakerHalfOpenAfterMs: number;
  maxBodyBytes: number;
  logger?: Logger;
  metrics?: Metrics;
}

export interface UpstreamRequest {
  api: CorreiosApi;
  method: "GET" | "POST" | "DELETE";
  /** "text" for answers that are not JSON (the content declaration is HTML); default "json". */
  responseType?: "json" | "text";
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Reads and price/deadline queries are safe to repeat; default true. */
  idempotent?: boolean;
  /** Caller's deadline (e.g. a stale-fallback budget); combined with the per-call timeout. */
  signal?: AbortSignal;
  /**
   * Awaited before every attempt, the first and each retry, so that a rate limit (the token API's) counts every
   * request that reaches Correios. Time spent here is outside the per-call timeout and does not watch `signal`, so a
   * gate should be a limiter with a short queue.
   */
  gate?: () => Promise<void>;
}

export interface UpstreamResponse<T = unknown> {
  status: number;
  body: T;
}

export type BreakerState = "closed" | "open" | "half-open";

/** Each call is counted here; tests and benchmarks read it to check what reached Correios. */
export interface CallStats {
  calls: Record<CorreiosApi, number>;
}

const APIS: CorreiosApi[] = ["token", "tracking", "price", "deadline", "proof", "prepost", "labels", "cep", "agencies", "correosEsToken", "correosEsTracking"];

/** What one call went through, filled in by its attempts and logged when it ends. */
interface CallRecord {
  attempts: number;
  status: number;
  gateMs: number;
}

export class CorreiosHttpClient {
  private readonly breakers = new Map<CorreiosApi, CircuitBreakerPolicy>();
  private readonly policies = new Map<CorreiosApi, IPolicy>();
  private readonly noRetry = new Map<CorreiosApi, IPolicy>();
  readonly stats: CallStats = { calls: Object.fromEntries(APIS.map((a) => [a, 0])) as Record<CorreiosApi, number> };

  constructor(private readonly opts: HttpClientOptions) {
    for (const api of APIS) {
      // Repeated 429s count too: an API that keeps refusing for load is given a pause, not more calls. Not the token
      // APIs': their 429 is a per-second limit that the token rate gate already paces, and an open token breaker would
      // stop every client's token for BREAKER_HALF_OPEN_AFTER_MS over one busy second.
      const rateLimitBreaks = api !== "token" && api !== "correosEsToken";
      const breaker = circuitBreaker(
        handleWhen(
          (e) =>
            e instanceof UpstreamError &&
            (e.kind === "UNAVAILABLE" || e.kind === "TIMEOUT" || e.kind === "BAD_RESPONSE" || (e.kind === "RATE_LIMITED" && rateLimitBreaks)),
        ),
        { halfOpenAfter: opts.breakerHalfOpenAfterMs, breaker: new ConsecutiveBreaker(opts.breakerFailures) },
      );
      breaker.onBreak(() => opts.logger?.warn({ api }, "circuit opened"));
      breaker.onReset(() => opts.logger?.info({ api }, "circuit closed"));
      const retryPolicy = retry(
        handleWhen((e) => e instanceof UpstreamError && e.retryable && this.retryAfterFits(e)),
        { maxAttempts: opts.retries, backoff: { next: (ctx) => this.backoff(ctx) } },
      );
      this.breakers.set(api, breaker);
      this.policies.set(api, wrap(retryPolicy, breaker));
      this.noRetry.set(api, breaker);
    }
  }

  breakerStates(): Record<CorreiosApi, BreakerState> {
    const out = {} as Record<CorreiosApi, BreakerState>;
    for (const [api, b] of this.breakers) {
      out[api] = b.state === CircuitState.Open || b.state === CircuitState.Isolated ? "open" : b.state === CircuitState.HalfOpen ? "half-open" : "closed";
    }
    return out;
  }

  async request<T = unknown>(req: UpstreamRequest): Promise<UpstreamResponse<T>> {
    if (!tracingOn()) return this.call<T>(req);
    const template = pathTemplate(pathOf(req.url));
    return serviceTracer().startActiveSpan(
      `${req.method} ${template}`,
      {
        kind: SpanKind.CLIENT,
        // The path with codes and ids taken out; no query string, no header (tokens travel there).
        attributes: { "correios.api": req.api, [ATTR_HTTP_REQUEST_METHOD]: req.method, "url.template": template, [ATTR_SERVER_ADDRESS]: hostOf(req.url) },
      },
      async (span) => {
        try {
          return await this.call<T>(req, span);
        } finally {
          span.end();
        }
      },
    );
  }

  private async call<T>(req: UpstreamRequest, span?: Span): Promise<UpstreamResponse<T>> {
    const policy = (req.idempotent === false ? this.noRetry : this.policies).get(req.api)!;
    const call: CallRecord = { attempts: 0, status: 0, gateMs: 0 };
    const started = performance.now();
    let failure: UpstreamError | undefined;
    try {
      return (await policy.execute(() => this.once<T>(req, call))) as UpstreamResponse<T>;
    } catch (e) {
      if (e instanceof BrokenCircuitError) {
        failure = new UpstreamError("UNAVAILABLE", req.api, `${apiLabel(req.api)} is failing; calls are paused for a few seconds (circuit open).`, {
          circuitOpen: true,
        });
        throw failure;
      }
      if (e instanceof UpstreamError) failure = e;
      throw e;
    } finally {
      const elapsed = performance.now() - started;
      this.logCall(req, call, elapsed, failure);
      const outcome = failure ? (failure.details.circuitOpen ? "circuit_open" : failure.kind.toLowerCase()) : "ok";
      this.opts.metrics?.upstreamCall(req.api, outcome, elapsed / 1000);
      if (span) {
        span.setAttributes({ "correios.attempts": call.attempts, ...(call.status ? { [ATTR_HTTP_RESPONSE_STATUS_CODE]: call.status } : {}) });
        if (call.attempts > 1) span.setAttribute("http.request.resend_count", call.attempts - 1);
        if (failure) failSpan(span, failure, outcome);
      }
    }
  }

  private logCall(req: UpstreamRequest, call: CallRecord, elapsed: number, failure: UpstreamError | undefined): void {
    const ms = Math.round(elapsed);
    // A call the open circuit refused never reached Correios: it is logged, but adds nothing to the request's totals.
    if (call.attempts > 0) recordUpstreamCall(ms);
    this.opts.logger?.info(
      {
        // Work batched across requests (the tracking window) carries the scope of the request that started the flush.
        ...scopeLogFields(),
        api: req.api,
        method: req.method,
        // The path only: the query string (tracking codes, CEPs) says nothing about timing. Tokens travel in headers.
        path: pathOf(req.url),
        status: call.status,
        attempts: call.attempts,
        ms,
        ...(call.gateMs >= 1 ? { gateMs: Math.round(call.gateMs) } : {}),
        ...(failure ? { error: failure.kind, ...(failure.details.circuitOpen ? { circuitOpen: true } : {}) } : {}),
      },
      "upstream call",
    );
  }

  private retryAfterFits(e: UpstreamError): boolean {
    const s = e.details.retryAfterSeconds;
    return s === undefined || s * 1000 <= this.opts.retryMaxDelayMs;
  }

  private backoff(ctx: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const err = "error" in ctx.result ? ctx.result.error : undefined;
    const retryAfter = err instanceof UpstreamError ? err.details.retryAfterSeconds : undefined;
    const exp = Math.min(this.opts.retryMaxDelayMs, this.opts.retryBaseMs * 2 ** (ctx.attempt - 1));
    // Full jitter keeps many clients that failed together from retrying together.
    const duration = retryAfter !== undefined ? retryAfter * 1000 : Math.round(exp / 2 + (Math.random() * exp) / 2);
    return { duration, next: (c) => this.backoff(c) };
  }

  private async once<T>(req: UpstreamRequest, call: CallRecord): Promise<UpstreamResponse<T>> {
    if (req.gate) {
      const waitStarted = performance.now();
      await req.gate();
      call.gateMs += performance.now() - waitStarted;
    }
    call.attempts++;
    this.stats.calls[req.api]++;
    const started = performance.now();
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
    let status = 0;
    try {
      const res = await fetch(req.url, {
        method: req.method,
        headers: { accept: "application/json", ...(req.body ? { "content-type": "application/json" } : {}), ...traceHeaders(), ...req.headers },
        body: req.body,
        signal,
      });
      status = res.status;
      const text = await readBounded(res, this.opts.maxBodyBytes, req.api);
      const body = req.responseType === "text" && res.ok ? text : parseJson(text, res.ok, req.api);
      if (!res.ok) throw errorForStatus(req.api, res.status, body, res.headers.get("retry-after"));
      return { status: res.status, body: body as T };
    } catch (e) {
      throw toUpstreamError(e, req.api, timeout.aborted, this.opts.timeoutMs);
    } finally {
      call.status = status;
      this.opts.logger?.debug(
        { ...scopeLogFields(), api: req.api, method: req.method, attempt: call.attempts, status, ms: Math.round(performance.now() - started) },
        "upstream attempt",
      );
    }
  }
}

/** `/cep/v2/enderecos/01001000` → `/cep/v2/enderecos/{id}`: a segment with a digit (other than a version) is data. */
export function pathTemplate(path: string): string {
  return path.replace(/\/(?!v\d+(?:\/|$))[^/]*\d[^/]*/g, "/{id}");
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split("?")[0] ?? "";
  }
}

function toUpstreamError(e: unknown, api: CorreiosApi, timedOut: boolean, timeoutMs: number): UpstreamError {
  if (e instanceof UpstreamError) return e;
  if (timedOut) return new UpstreamError("TIMEOUT", api, `${apiLabel(api)} did not answer within ${timeoutMs} ms`);
  if (e instanceof Error && e.name === "AbortError") {
    return new UpstreamError("TIMEOUT", api, `${apiLabel(api)} did not answer within the time budget`);
  }
  const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
  return new UpstreamError("UNAVAILABLE", api, `${apiLabel(api)} could not be reached (${cause})`);
}

async function readBounded(res: Response, max: number, api: CorreiosApi): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new UpstreamError("BAD_RESPONSE", api, `${apiLabel(api)} sent ${declared} bytes, over the ${max}-byte limit`);
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new UpstreamError("BAD_RESPONSE", api, `${apiLabel(api)} sent more than the ${max}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string, ok: boolean, api: CorreiosApi): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // An error status with a non-JSON body keeps its status meaning; a success that is not JSON is a bad response.
    if (!ok) return { msgs: [text.slice(0, 200)] };
    throw new UpstreamError("BAD_RESPONSE", api, `${apiLabel(api)} answered with a body that is not valid JSON`);
  }
}
