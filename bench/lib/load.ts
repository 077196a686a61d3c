// One autocannon run against a GraphQL endpoint, reduced to the figures the tables show. Latencies are taken from
// autocannon's per-response event (fractional ms) rather than its histogram, which rounds to whole milliseconds: the
// added-latency target is a few ms.
import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Stop after this many requests. */
  amount?: number;
  /** The JSON body of every request... */
  body?: string;
  /** ...or a new body per request (e.g. a code never asked before, so every request misses the cache). */
  nextBody?: () => string;
  headers?: Record<string, string>;
  /** Seconds of unmeasured load first. */
  warmup?: number;
  /** Called when the measured part starts (after the warm-up), e.g. to read the server's CPU time. */
  onMeasure?: () => void;
}

export interface LoadResult {
  /** Answered 2xx without GraphQL errors. */
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 200 answers that carried GraphQL `errors`. */
  graphqlErrors: number;
  seconds: number;
}

/** Every failed answer of a run: connection errors and timeouts, non-2xx statuses, 200s carrying GraphQL errors. */
export const failures = (r: LoadResult) => r.errors + r.non2xx + r.graphqlErrors;

/** The saturation load of the tables: `connections` connections for `duration` s after `warmup` s, one body repeated. */
export function saturate(
  s: { connections: number; duration: number; warmup: number },
  url: string,
  body: string,
  headers?: Record<string, string>,
  onMeasure?: () => void,
): Promise<LoadResult> {
  return load({ url, connections: s.connections, duration: s.duration, warmup: s.warmup, body, headers, onMeasure });
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  if (o.warmup && o.warmup > 0) await once({ ...o, duration: o.warmup, amount: undefined });
  o.onMeasure?.();
  return once(o);
}

async function once(o: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const nextBody = o.nextBody;
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 10 }),
    method: "POST",
    headers: { "content-type": "application/json", ...o.headers },
    timeout: 60,
    ...(nextBody
      ? { requests: [{ setupRequest: (req) => ({ ...req, method: "POST", body: nextBody() }) }] }
      : { body: o.body }),
    verifyBody: (body) => !body.includes('"errors":'),
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const r = await instance;
  latencies.sort((a, b) => a - b);
  const ok = r["2xx"] - r.mismatches;
  return {
    requests: ok,
    reqPerSec: round(ok / r.duration, 1),
    p50: round(percentile(latencies, 0.5), 2),
    p99: round(percentile(latencies, 0.99), 2),
    max: round(latencies.at(-1) ?? 0, 2),
    mean: round(latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length), 2),
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    graphqlErrors: r.mismatches,
    seconds: round(r.duration, 2),
  };
}

export interface OpenLoadOptions {
  url: string;
  /** Mean arrivals per second. */
  rate: number;
  duration: number;
  nextBody: () => string;
}

/**
 * Open-loop load: requests arrive at random (Poisson) times at a mean rate, whether or not earlier ones have been
 * answered, as independent shoppers do. A closed loop (autocannon's connections) synchronises its clients behind the
 * same upstream round trip and hides queueing; this does not.
 */
export async function openLoad(o: OpenLoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let graphqlErrors = 0;
  const inflight: Array<Promise<void>> = [];
  const started = performance.now();
  const end = started + o.duration * 1000;
  let next = started;
  while (next < end) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = o.nextBody();
    inflight.push(
      (async () => {
        const t = performance.now();
        try {
          const res = await fetch(o.url, { method: "POST", headers: { "content-type": "application/json" }, body });
          const text = await res.text();
          if (!res.ok) non2xx++;
          else if (text.includes('"errors":')) graphqlErrors++;
          else latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      })(),
    );
    // Exponential gaps: a Poisson process of the given rate.
    next += (-Math.log(1 - Math.random()) * 1000) / o.rate;
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    reqPerSec: round(latencies.length / seconds, 1),
    p50: round(percentile(latencies, 0.5), 2),
    p99: round(percentile(latencies, 0.99), 2),
    max: round(latencies.at(-1) ?? 0, 2),
    mean: round(latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length), 2),
    errors,
    non2xx,
    graphqlErrors,
    seconds: round(seconds, 2),
  };
}

/** Nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A GraphQL request body, JSON-encoded once. */
export function graphqlBody(query: string, variables?: unknown): string {
  return JSON.stringify({ query, variables });
}
