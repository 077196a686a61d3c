// OpenTelemetry tracing, off unless OTEL_TRACES_EXPORTER says otherwise. While it is off nothing is registered: every
// span below comes from the API's no-op tracer, and the hot paths check `tracingOn()` before building attributes, so
// a request pays for one boolean read per place that could trace. Switched on, one NodeTracerProvider is registered
// globally with the W3C trace-context propagator and an AsyncLocalStorage context manager, so the span of the GraphQL
// operation is the parent of every upstream and store call made for it, batched work included (it runs in the scope
// of the request that started it, like its log lines).
import { context, INVALID_SPAN_CONTEXT, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type NodeTracerConfig,
  type Sampler,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { Logger } from "pino";
import type { Config } from "../config.js";

export const TRACER_NAME = "correios-subgraph";
const tracer = trace.getTracer(TRACER_NAME);

let on = false;
/** What `withSpan` hands its function while tracing is off: records nothing. */
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** True while a tracer provider of ours is registered; code that would build span attributes checks this first. */
export function tracingOn(): boolean {
  return on;
}

export type TracingSettings = Pick<
  Config,
  | "OTEL_TRACES_EXPORTER"
  | "OTEL_SERVICE_NAME"
  | "OTEL_EXPORTER_OTLP_ENDPOINT"
  | "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
  | "OTEL_EXPORTER_OTLP_HEADERS"
  | "OTEL_EXPORTER_OTLP_TRACES_HEADERS"
  | "OTEL_TRACES_SAMPLER"
  | "OTEL_TRACES_SAMPLER_ARG"
  | "OTEL_RESOURCE_ATTRIBUTES"
>;

export interface Tracing {
  /** Exports what is buffered and unregisters the provider; later spans are no-ops again. */
  shutdown(): Promise<void>;
}

/**
 * Registers the tracer provider the settings ask for, or nothing when OTEL_TRACES_EXPORTER is `none` (the default).
 * `exporter` is the test hook: spans go to it, synchronously as each ends, whatever the settings' exporter.
 */
export function startTracing(settings: TracingSettings, opts: { logger?: Logger; exporter?: SpanExporter } = {}): Tracing {
  const processor = opts.exporter
    ? new SimpleSpanProcessor(opts.exporter)
    : settings.OTEL_TRACES_EXPORTER === "otlp"
      ? new BatchSpanProcessor(
          new OTLPTraceExporter({
            url: tracesUrl(settings),
            headers: parseKeyValues(settings.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? settings.OTEL_EXPORTER_OTLP_HEADERS),
          }),
        )
      : settings.OTEL_TRACES_EXPORTER === "console"
        ? new BatchSpanProcessor(new ConsoleSpanExporter())
        : undefined;
  if (!processor) return { shutdown: async () => undefined };
  if (on) throw new Error("Tracing is already started in this process.");

  const provider = new NodeTracerProvider({
    resource: resourceOf({ ...parseKeyValues(settings.OTEL_RESOURCE_ATTRIBUTES), [ATTR_SERVICE_NAME]: settings.OTEL_SERVICE_NAME }),
    sampler: samplerOf(settings),
    spanProcessors: [processor],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  on = true;
  // The endpoint only: OTLP headers often carry an API key.
  opts.logger?.info(
    { exporter: opts.exporter ? "test" : settings.OTEL_TRACES_EXPORTER, endpoint: opts.exporter ? undefined : tracesUrl(settings), sampler: settings.OTEL_TRACES_SAMPLER },
    "OpenTelemetry tracing on",
  );
  return {
    shutdown: async () => {
      if (!on) return;
      on = false;
      await provider.shutdown().catch((e: unknown) => opts.logger?.warn({ err: e instanceof Error ? e.message : String(e) }, "span export at shutdown failed"));
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * Runs `fn` in a span that is the active one while it runs (so calls made inside are its children); the span ends
 * when `fn` settles, with an error status when it throws. With tracing off `fn` simply runs. For work that is not a
 * request: webhook deliveries, label polls.
 */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  if (!on) return fn(NO_SPAN);
  return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      failSpan(span, e);
      throw e;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed with the error's kind or name; the message is left out (it may quote input). */
export function failSpan(span: Span, e: unknown, kind?: string): void {
  const type = kind ?? (e instanceof Error ? e.name : "error");
  span.setAttribute("error.type", type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

/** The tracer every span of this service comes from (a no-op one while tracing is off). */
export function serviceTracer() {
  return tracer;
}

/** `traceparent` (and `tracestate`) for an outgoing request, from the active span; nothing while tracing is off. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (on) propagation.inject(context.active(), carrier);
  return carrier;
}

function tracesUrl(s: TracingSettings): string | undefined {
  if (s.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return s.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  // The spec: the general endpoint is a base to which the signal's path is added.
  if (s.OTEL_EXPORTER_OTLP_ENDPOINT) return `${s.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`;
  return undefined; // the exporter's default, http://localhost:4318/v1/traces
}

function samplerOf(s: TracingSettings): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(s.OTEL_TRACES_SAMPLER_ARG ?? 1);
  switch (s.OTEL_TRACES_SAMPLER) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return ratio();
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: ratio() });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** `k=v,k2=v2` with URL-encoded values (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES); config.ts checked the form. */
export function parseKeyValues(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? "").split(",")) {
    const i = pair.indexOf("=");
    if (i <= 0) continue;
    out[decodeURIComponent(pair.slice(0, i).trim())] = decodeURIComponent(pair.slice(i + 1).trim());
  }
  return out;
}

type Resource = NonNullable<NodeTracerConfig["resource"]>;

/**
 * A resource with fixed attributes. @opentelemetry/resources (which has `resourceFromAttributes`) is not a direct
 * dependency: the copy at the top of node_modules is the 1.x one another package brought, with another shape.
 */
function resourceOf(attributes: Attributes): Resource {
  const resource: Resource = {
    attributes,
    asyncAttributesPending: false,
    waitForAsyncAttributes: async () => undefined,
    getRawAttributes: () => Object.entries(attributes),
    // The one a merge is given wins on a shared key, as the spec says.
    merge: (other) => (other ? resourceOf({ ...attributes, ...other.attributes }) : resource),
  };
  return resource;
}
