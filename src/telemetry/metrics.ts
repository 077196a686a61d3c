// Prometheus metrics (prom-client), in a registry per service instance (tests run several in one process), plus the
// process metrics once per process. The hot path only adds to plain counters: the services' own `stats` objects
// (codes asked, cache hits, stale answers, calls) are read when /metrics or the readiness probe asks, from one place
// (`counters()`), and the few metrics observed as they happen (an upstream call, a store call, a webhook delivery)
// are histograms whose label children are looked up once and kept.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type LabelValues } from "prom-client";

const PREFIX = "correios_subgraph_";

/** What a call to Correios ended as: `ok`, its error kind in lower case (`timeout`, …), or `circuit_open` (never sent). */
export type UpstreamOutcome = string;
export type BreakerStateName = "closed" | "open" | "half-open";
/** A webhook delivery's end: delivered (2xx), refused by the receiver (kept for a retry), failed to connect, given up. */
export type WebhookOutcome = "delivered" | "rejected" | "failed" | "dropped";

interface LookupStats {
  requested: number;
  cacheHits: number;
}

/** The counters the services keep themselves; read at scrape time, never copied on the hot path. */
export interface MetricSources {
  /** Requests that reached Correios, each retry included, by API (CorreiosHttpClient.stats.calls). */
  upstreamRequests: Record<string, number>;
  breakers(): Record<string, BreakerStateName>;
  tracking: LookupStats & { coalesced: number; sent: number; calls: number; stale: number };
  trackingEs: LookupStats & { calls: number; stale: number };
  quotes: LookupStats & { sent: number; stale: number };
  proofs: LookupStats & { sent: number };
  addresses: LookupStats & { sent: number };
  tokens: { fetches: number; failures: number };
}

const BREAKER_VALUE: Record<BreakerStateName, number> = { closed: 0, "half-open": 1, open: 2 };

let processRegistry: Registry | undefined;

/** Process metrics (CPU, memory, event loop lag, GC, handles), collected once per process whatever the instances. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class Metrics {
  readonly registry = new Registry();
  private sources?: MetricSources;
  private readonly upstreamCalls: Counter<"api" | "outcome">;
  private readonly upstreamSeconds: Histogram<"api" | "outcome">;
  private readonly storeSeconds: Histogram<"store" | "operation" | "outcome">;
  private readonly webhookDeliveries: Counter<"outcome">;
  private readonly webhookSeconds: Histogram<"outcome">;
  private readonly storeChildren = new Map<string, { observe(v: number): void }>();

  constructor() {
    const registers = [this.registry];
    processMetrics();
    this.upstreamCalls = new Counter({
      name: `${PREFIX}upstream_calls_total`,
      help: "Calls to Correios by API and outcome (a call with its retries counts once; circuit_open calls were never sent).",
      labelNames: ["api", "outcome"],
      registers,
    });
    this.upstreamSeconds = new Histogram({
      name: `${PREFIX}upstream_call_duration_seconds`,
      help: "Duration of calls to Correios, retries and their waits included.",
      labelNames: ["api", "outcome"],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.storeSeconds = new Histogram({
      name: `${PREFIX}store_operation_duration_seconds`,
      help: "Duration of store calls by store kind, namespace.operation and outcome.",
      labelNames: ["store", "operation", "outcome"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: `${PREFIX}webhook_deliveries_total`,
      help: "Webhook delivery attempts by outcome.",
      labelNames: ["outcome"],
      registers,
    });
    this.webhookSeconds = new Histogram({
      name: `${PREFIX}webhook_delivery_duration_seconds`,
      help: "Duration of webhook delivery attempts by outcome.",
      labelNames: ["outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.defineScrapedFamilies(registers);
  }

  /** Wires the services' own counters in; createServices calls it once everything is built. */
  observe(sources: MetricSources): void {
    this.sources = sources;
  }

  upstreamCall(api: string, outcome: UpstreamOutcome, seconds: number): void {
    const labels = { api, outcome };
    this.upstreamCalls.inc(labels);
    this.upstreamSeconds.observe(labels, seconds);
  }

  storeCall(store: string, operation: string, ok: boolean, seconds: number): void {
    const key = `${store}\0${operation}\0${ok}`;
    let child = this.storeChildren.get(key);
    if (!child) {
      child = this.storeSeconds.labels({ store, operation, outcome: ok ? "ok" : "error" });
      this.storeChildren.set(key, child);
    }
    child.observe(seconds);
  }

  /** For the notifications service: one call per delivery attempt. */
  webhookDelivery(outcome: WebhookOutcome, seconds?: number): void {
    this.webhookDeliveries.inc({ outcome });
    if (seconds !== undefined) this.webhookSeconds.observe({ outcome }, seconds);
  }

  /** What batching and caching saved since start, as the readiness probe shows it: the same numbers /metrics reads. */
  counters() {
    const s = this.sources;
    if (!s) return {};
    return {
      tracking: s.tracking,
      quotes: s.quotes,
      proofs: s.proofs,
      addresses: s.addresses,
      upstreamCalls: s.upstreamRequests,
    };
  }

  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;

  /** The text exposition: process metrics, then this instance's. */
  async text(): Promise<string> {
    return `${await processMetrics().metrics()}\n${await this.registry.metrics()}`;
  }

  /** Families whose values live in the services' `stats`: set from there at each scrape. */
  private defineScrapedFamilies(registers: Registry[]): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- collect() gets the metric as `this`
    const metrics = this;
    const scraped = <L extends string>(kind: "counter" | "gauge", name: string, help: string, labelNames: L[], read: (s: MetricSources) => Array<[LabelValues<L>, number]>) => {
      const config = { name: `${PREFIX}${name}`, help, labelNames, registers };
      if (kind === "gauge") {
        new Gauge<L>({
          ...config,
          collect() {
            this.reset();
            if (metrics.sources) for (const [labels, value] of read(metrics.sources)) this.set(labels, value);
          },
        });
        return;
      }
      new Counter<L>({
        ...config,
        // A counter kept elsewhere: emptied, then given the current totals (prom-client's Counter has no set()).
        collect() {
          this.reset();
          if (metrics.sources) for (const [labels, value] of read(metrics.sources)) this.inc(labels, value);
        },
      });
    };
    scraped("counter", "upstream_requests_total", "Requests that reached Correios by API, each retry included.", ["api"], (s) =>
      Object.entries(s.upstreamRequests).map(([api, n]) => [{ api }, n]),
    );
    scraped("gauge", "upstream_breaker_state", "Circuit breaker per API: 0 closed, 1 half-open, 2 open.", ["api"], (s) =>
      Object.entries(s.breakers()).map(([api, state]) => [{ api }, BREAKER_VALUE[state]]),
    );
    scraped("counter", "tracking_codes_total", "Tracking codes by stage: asked by requests, served from cache, merged into another request's call, sent to the carrier.", ["carrier", "stage"], (s) => [
      [{ carrier: "correios", stage: "requested" }, s.tracking.requested],
      [{ carrier: "correios", stage: "cache_hit" }, s.tracking.cacheHits],
      [{ carrier: "correios", stage: "coalesced" }, s.tracking.coalesced],
      [{ carrier: "correios", stage: "sent" }, s.tracking.sent],
      [{ carrier: "correos_es", stage: "requested" }, s.trackingEs.requested],
      [{ carrier: "correos_es", stage: "cache_hit" }, s.trackingEs.cacheHits],
    ]);
    scraped("counter", "tracking_calls_total", "Tracking calls made to the carrier (batches).", ["carrier"], (s) => [
      [{ carrier: "correios" }, s.tracking.calls],
      [{ carrier: "correos_es" }, s.trackingEs.calls],
    ]);
    scraped("counter", "cache_lookups_total", "Cache lookups by cache and result.", ["cache", "result"], (s) =>
      (
        [
          ["tracking", s.tracking],
          ["tracking_es", s.trackingEs],
          ["quotes", s.quotes],
          ["proofs", s.proofs],
          ["addresses", s.addresses],
        ] as const
      ).flatMap(([cache, c]): Array<[LabelValues<"cache" | "result">, number]> => [
        [{ cache, result: "hit" }, c.cacheHits],
        [{ cache, result: "miss" }, c.requested - c.cacheHits],
      ]),
    );
    scraped("counter", "stale_answers_total", "Last known answers served (stale: true) because Correios failed or was slow.", ["service"], (s) => [
      [{ service: "tracking" }, s.tracking.stale],
      [{ service: "tracking_es" }, s.trackingEs.stale],
      [{ service: "quotes" }, s.quotes.stale],
    ]);
    scraped("counter", "token_fetches_total", "Tokens the token manager fetched (Correios or CorreosID) because none usable was in memory or the store, by outcome; a verification's own token request shows in upstream_calls_total{api=\"token\"}.", ["outcome"], (s) => [
      [{ outcome: "ok" }, s.tokens.fetches - s.tokens.failures],
      [{ outcome: "error" }, s.tokens.failures],
    ]);
  }
}
