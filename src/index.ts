// Start-up only: read the configuration, open the store, start the server, stop cleanly on a signal.
import "reflect-metadata";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startServer } from "./http/server.js";
import { createServices } from "./services/services.js";
import { StoreOpenError } from "./store/store-guard.js";
import { startTracing } from "./telemetry/tracing.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (config.generatedSecretsFile) {
    logger.warn(
      { file: config.generatedSecretsFile },
      "AUTH_SECRET and/or CREDENTIALS_KEY were not set: using secrets generated once and kept in the data folder (owner-only). Set both for production.",
    );
  }
  // Before anything that makes spans; a no-op unless OTEL_TRACES_EXPORTER names an exporter.
  const tracing = startTracing(config, { logger });
  let services;
  try {
    services = await createServices(config, logger);
  } catch (e) {
    if (e instanceof StoreOpenError) {
      logger.fatal({ err: e.message }, "could not open the store");
      process.exit(1);
    }
    throw e;
  }
  let server;
  try {
    server = await startServer(services);
  } catch (e) {
    logger.fatal({ err: e instanceof Error ? e.message : String(e) }, "could not start");
    await services.close();
    process.exit(1);
  }
  logger.info({ url: server.url, store: services.store.kind, correios: config.CORREIOS_BASE_URL }, "correios-subgraph ready");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await server.close();
    await services.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
