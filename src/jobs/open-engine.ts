// Picks the job engine from the store: Redis → BullMQ on the same server (every replica shares the work); anything
// else → the embedded engine on the store's "jobs" namespace (this process only).
import type { Logger } from "pino";
import type { Store } from "../store/open-store.js";
import type { JobEngine } from "./engine.js";
import { EmbeddedJobEngine } from "./embedded.js";

export interface JobEngineOptions {
  /** STORE_URL, for BullMQ's own connection. */
  storeUrl: string;
  logger?: Logger;
}

export async function openJobEngine(store: Store, o: JobEngineOptions): Promise<JobEngine> {
  if (store.kind === "redis") {
    const { openBullmqEngine } = await import("./bullmq.js");
    return openBullmqEngine(o.storeUrl, o.logger);
  }
  return EmbeddedJobEngine.open(store.ns("jobs"), o.logger);
}
