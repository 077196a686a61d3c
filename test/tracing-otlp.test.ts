// The OTLP exporter as an operator switches it on: the subgraph as its own process with OTEL_TRACES_EXPORTER=otlp and
// OTEL_EXPORTER_OTLP_ENDPOINT pointing at a collector stub on loopback. Its spans reach /v1/traces with the configured
// headers and service name (flushed at SIGTERM at the latest), and the start-up log names the endpoint, not the headers.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { AUTH_SECRET, CREDENTIALS_KEY } from "./helpers/harness.js";
import { startSubgraphProcess } from "./helpers/process.js";

const COLLECTOR_KEY = "collector-api-key-0123456789";
const received: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
let collector: Server;
let collectorUrl: string;

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

describe("OTEL_TRACES_EXPORTER=otlp", () => {
  it("exports the operation span to the collector, with the configured headers and service name", async () => {
    const sub = await startSubgraphProcess({
      LOG_LEVEL: "info",
      STORE_URL: "memory://",
      AUTH_SECRET,
      CREDENTIALS_KEY,
      APOLLO_TELEMETRY_DISABLED: "true",
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
      OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${COLLECTOR_KEY}`,
      OTEL_SERVICE_NAME: "correios-subgraph-otlp-test",
    });
    try {
      const res = await fetch(sub.url, {
        method: "POST",
        headers: { "content-type": "application/json", traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
        body: JSON.stringify({ query: "query Probe { __typename }" }),
      });
      expect(res.status).toBe(200);
    } finally {
      await sub.kill("SIGTERM");
    }
    const exports = received.filter((r) => r.path === "/v1/traces");
    expect(exports.length).toBeGreaterThan(0);
    expect(exports[0]!.headers["x-api-key"]).toBe(COLLECTOR_KEY);
    const all = exports.map((e) => e.body).join("\n");
    expect(all).toContain("correios-subgraph-otlp-test");
    expect(all).toContain("query Probe");
    expect(all).toContain("0af7651916cd43dd8448eb211c80319c");
    const log = sub.output();
    expect(log).toContain("OpenTelemetry tracing on");
    expect(log).toContain(`${collectorUrl}/v1/traces`);
    expect(log).not.toContain(COLLECTOR_KEY);
  });
});

describe("the OTEL_* variables are checked at start-up", () => {
  it.each([
    ["OTEL_TRACES_EXPORTER", "jaeger"],
    ["OTEL_EXPORTER_OTLP_ENDPOINT", "not a url"],
    ["OTEL_EXPORTER_OTLP_HEADERS", "no-equals-sign"],
    ["OTEL_TRACES_SAMPLER", "sometimes"],
    ["OTEL_TRACES_SAMPLER_ARG", "2"],
    ["METRICS_TOKEN", "short"],
  ])("a bad %s stops start-up naming it", (variable, value) => {
    const env = { STORE_URL: "memory://", AUTH_SECRET, CREDENTIALS_KEY, [variable]: value };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it("tracing is off unless an exporter is named", () => {
    expect(loadConfig({ STORE_URL: "memory://", AUTH_SECRET, CREDENTIALS_KEY }).OTEL_TRACES_EXPORTER).toBe("none");
  });
});
