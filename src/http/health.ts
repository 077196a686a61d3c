// Health probes. Liveness answers from memory at once; readiness writes to the store and reads it back (a store lost
// under the process fails it), shows the breakers from memory (a probe never calls Correios) and the service counters.
import type { ServerResponse } from "node:http";
import type { Services } from "../services/services.js";
import { sendJson } from "./respond.js";

export const LIVENESS_PATHS: ReadonlySet<string> = new Set(["/.well-known/apollo/server-health", "/health/live", "/healthz"]);
export const READINESS_PATH = "/health/ready";

export function live(res: ServerResponse): void {
  sendJson(res, 200, { status: "pass" });
}

export async function ready(res: ServerResponse, services: Services): Promise<void> {
  let storeOk = true;
  try {
    await services.store.ping();
  } catch {
    storeOk = false;
  }
  sendJson(res, storeOk ? 200 : 503, {
    status: storeOk ? "pass" : "fail",
    store: { kind: services.store.kind, ok: storeOk },
    upstream: services.http.breakerStates(),
    // What batching and caching saved since start: codes asked vs. served from cache, merged, and sent upstream.
    // The same numbers GET /metrics shows, from the same place.
    counters: services.metrics.counters(),
  });
}
