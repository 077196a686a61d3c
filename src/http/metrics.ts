// GET /metrics: the Prometheus text format, for a scraper that talks to this process directly (not through the
// router, so the router guard does not apply). With METRICS_TOKEN set it answers only `Authorization: Bearer <token>`,
// compared in constant time. Nothing in it names a client: labels are APIs, caches, stages and outcomes.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Services } from "../services/services.js";
import { headerOf, sendJson } from "./respond.js";
import { sameSecret } from "./router-guard.js";

export const METRICS_PATH = "/metrics";

export async function serveMetrics(req: IncomingMessage, res: ServerResponse, services: Services): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return sendJson(res, 405, { error: "Use GET." });
  }
  const token = services.config.METRICS_TOKEN;
  if (token && !sameSecret(/^Bearer (.+)$/i.exec(headerOf(req, "authorization") ?? "")?.[1], token)) {
    res.setHeader("www-authenticate", 'Bearer realm="metrics"');
    return sendJson(res, 401, { error: "The metrics need Authorization: Bearer <METRICS_TOKEN>." });
  }
  const text = await services.metrics.text();
  res.writeHead(200, { "content-type": services.metrics.contentType, "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : text);
}
