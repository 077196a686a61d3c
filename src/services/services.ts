// The composition root: builds the long-lived parts (store, upstream client, token manager, services) once.
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { CorreiosHttpClient } from "../upstream/http-client.js";
import { CwsTokenClient, TOKEN_RATE_WINDOW_MS } from "../correios/client/token.js";
import { TokenManager } from "../upstream/token-manager.js";
import { CredentialRepository } from "../store/credentials.js";
import { openStore, type Store } from "../store/open-store.js";
import { Metrics } from "../telemetry/metrics.js";
import { SecretBox } from "../store/secret-box.js";
import { storeTokenCache } from "../store/token-cache.js";
import { TrackingClient } from "../correios/client/tracking.js";
import { CredentialService } from "./credentials.js";
import { TrackingService } from "./tracking.js";
import { PricingClient } from "../correios/client/pricing.js";
import { ProofClient } from "../correios/client/proof.js";
import { QuoteService } from "./quotes/quotes.js";
import { ProofService } from "./proofs.js";
import { correosEsEndpoints } from "../correos-es/endpoints.js";
import { CorreosEsTokenClient } from "../correos-es/token.js";
import { CorreosEsCredentialService } from "./correos-es-credentials.js";
import { CorreosEsTrackingClient } from "../correos-es/tracking.js";
import { CorreosEsTrackingService } from "./tracking-es.js";
import { AgencyClient } from "../correios/client/agencies.js";
import { CepClient } from "../correios/client/cep.js";
import { PrepostClient } from "../correios/client/prepost.js";
import { IdempotencyRecords, OwnedRecords, type StoredLabelJob, type StoredPosting } from "../store/postings.js";
import { AddressService } from "./addresses.js";
import { AgencyService } from "./agencies.js";
import { Idempotency } from "./idempotency.js";
import { LabelService } from "./postings/labels.js";
import { PostingService } from "./postings/postings.js";
import { ReturnService } from "./returns.js";
import type { JobEngine } from "../jobs/engine.js";
import { openJobEngine } from "../jobs/open-engine.js";
import { DeliveryRecords, WebhookEndpointRecords } from "../store/webhooks.js";
import { DELIVERY_QUEUE, WebhookDeliveryService, type DeliveryJob } from "./notifications/delivery.js";
import { WebhookDispatcher } from "./notifications/dispatcher.js";
import { WebhookEndpointService } from "./notifications/webhook-endpoints.js";
import { WatchRepository } from "../store/watches.js";
import type { ChangeSink } from "./notifications/change.js";
import { Poller, WATCH_QUEUE, type WatchJob } from "./notifications/poller.js";
import { TrackBatcher } from "./notifications/track-batcher.js";
import { WatchService } from "./notifications/watches.js";

export interface Services {
  config: Config;
  logger: Logger;
  store: Store;
  http: CorreiosHttpClient;
  /** Prometheus metrics (GET /metrics) and the readiness counters, from one source. */
  metrics: Metrics;
  repo: CredentialRepository;
  tokens: TokenManager;
  credentials: CredentialService;
  tracking: TrackingService;
  quotes: QuoteService;
  proofs: ProofService;
  correosEsCredentials: CorreosEsCredentialService;
  trackingEs: CorreosEsTrackingService;
  addresses: AddressService;
  agencies: AgencyService;
  postings: PostingService;
  labels: LabelService;
  returns: ReturnService;
  /** Durable background work: watch polls and webhook deliveries (embedded, or BullMQ on Redis). */
  jobs: JobEngine;
  /** Webhook endpoints, their deliveries, and the dispatcher that turns shipment changes into deliveries. */
  webhooks: { endpoints: WebhookEndpointService; deliveries: WebhookDeliveryService; dispatcher: WebhookDispatcher };
  /** Watched parcels (watchShipments, Shipment.watch) and their poll jobs. */
  watches: WatchService;
  poller: Poller;
  /** Where the poller publishes detected changes. */
  changes: ChangeSink;
  close(): Promise<void>;
}

export async function createServices(config: Config, logger: Logger): Promise<Services> {
  const metrics = new Metrics();
  const store = await openStore(config.storeUrl, { logger, timeoutMs: config.STORE_TIMEOUT_MS, from: config.storeUrlFrom, metrics });
  const box = new SecretBox(config.credentialsKey);
  const http = new CorreiosHttpClient({
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    retries: config.UPSTREAM_RETRIES,
    retryBaseMs: config.UPSTREAM_RETRY_BASE_MS,
    retryMaxDelayMs: config.UPSTREAM_RETRY_MAX_DELAY_MS,
    breakerFailures: config.BREAKER_FAILURES,
    breakerHalfOpenAfterMs: config.BREAKER_HALF_OPEN_AFTER_MS,
    maxBodyBytes: config.UPSTREAM_MAX_BODY_BYTES,
    logger: logger.child({ component: "upstream" }),
    metrics,
  });
  const baseUrl = config.CORREIOS_BASE_URL.replace(/\/+$/, "");
  const repo = new CredentialRepository(store.ns("credentials"), box);
  const tokens = new TokenManager(storeTokenCache(store.ns("tokens"), box), store.locker, {
    renewMarginMs: config.TOKEN_RENEW_MARGIN_SECONDS * 1000,
  });
  const cwsTokens = new CwsTokenClient(http, baseUrl, store.rateGate("cws-token", config.TOKEN_REQUESTS_PER_SECOND, TOKEN_RATE_WINDOW_MS));
  const credentials = new CredentialService({ repo, tokens, cwsTokens, correiosEnvironment: config.correiosEnvironment, logger });
  const tracking = new TrackingService({
    config,
    logger,
    cache: store.ns("tracking"),
    client: new TrackingClient(http, baseUrl, logger.child({ component: "tracking" })),
    tokens,
    credentials,
  });
  const quotes = new QuoteService({
    config,
    logger,
    cache: store.ns("quotes"),
    client: new PricingClient(http, baseUrl, config.PRICE_BATCH_SIZE),
    tokens,
    credentials,
  });
  const proofs = new ProofService({ config, logger, cache: store.ns("proofs"), client: new ProofClient(http, baseUrl), tokens, credentials });
  const correosEsEndpointSet = correosEsEndpoints(
    { production: config.CORREOS_ES_TOKEN_URL, preproduction: config.CORREOS_ES_PRE_TOKEN_URL },
    { production: config.CORREOS_ES_API_URL, preproduction: config.CORREOS_ES_PRE_API_URL },
  );
  const correosEsCredentials = new CorreosEsCredentialService({
    repo,
    tokens,
    tokenClient: new CorreosEsTokenClient(http),
    endpoints: correosEsEndpointSet,
    renewMarginMs: config.CORREOS_ES_RENEW_MARGIN_SECONDS * 1000,
    logger,
  });
  const trackingEs = new CorreosEsTrackingService({
    config,
    logger,
    // Beside Brazil's answers, under an "es:" key prefix (tracking-es.ts).
    cache: store.ns("tracking"),
    client: new CorreosEsTrackingClient(http),
    credentials: correosEsCredentials,
    endpoints: correosEsEndpointSet,
  });
  const addresses = new AddressService({
    logger,
    cache: store.ns("addresses"),
    client: new CepClient(http, baseUrl),
    tokens,
    credentials,
    options: { ttlMs: config.CEP_TTL_SECONDS * 1000, notFoundTtlMs: config.CEP_NOT_FOUND_TTL_SECONDS * 1000 },
  });
  const agencies = new AgencyService({
    logger,
    cache: store.ns("agencies"),
    client: new AgencyClient(http, baseUrl),
    tokens,
    credentials,
    addresses,
    ttlMs: config.AGENCY_TTL_SECONDS * 1000,
  });
  const prepost = new PrepostClient(http, baseUrl);
  const postingRecords = new OwnedRecords<StoredPosting>(store.ns("postings"));
  const idempotency = new Idempotency(new IdempotencyRecords(store.ns("idempotency")), store.locker, {
    lockTtlMs: config.IDEMPOTENCY_LOCK_MS,
    lockWaitMs: config.IDEMPOTENCY_LOCK_MS,
  });
  const postings = new PostingService({
    logger,
    postings: postingRecords,
    idempotency,
    client: prepost,
    tokens,
    credentials,
    addresses,
    options: { refreshAfterMs: config.POSTING_REFRESH_SECONDS * 1000 },
    // `watches` is made below, with the job engine; this runs only once requests come in.
    onSaved: (before, after) => watches.followPosting(before, after),
  });
  const labels = new LabelService({
    logger,
    jobs: new OwnedRecords<StoredLabelJob>(store.ns("labels")),
    postings: postingRecords,
    client: prepost,
    tokens,
    credentials,
    options: {
      firstPollMs: config.LABEL_FIRST_POLL_MS,
      maxIntervalMs: config.LABEL_POLL_MAX_INTERVAL_MS,
      maxTotalMs: config.LABEL_POLL_MAX_MS,
      maxPerRequest: config.LABELS_PER_REQUEST,
    },
  });
  const returns = new ReturnService({ postings, credentials });
  const jobs = await openJobEngine(store, { storeUrl: config.storeUrl, logger: logger.child({ component: "jobs" }) });
  const webhookLogger = logger.child({ component: "webhooks" });
  const webhookEndpoints = new WebhookEndpointService(new WebhookEndpointRecords(store.ns("webhooks"), box, store.locker), config, webhookLogger);
  const deliveries = new WebhookDeliveryService({
    config,
    logger: webhookLogger,
    records: new DeliveryRecords(store.ns("deliveries"), store.locker),
    endpoints: webhookEndpoints,
    queue: jobs.queue<DeliveryJob>(DELIVERY_QUEUE),
    metrics,
  });
  const webhooks = { endpoints: webhookEndpoints, deliveries, dispatcher: new WebhookDispatcher(webhookEndpoints, deliveries) };
  if (config.NOTIFICATIONS_WORKERS) deliveries.start();
  // Detected changes go to the webhook dispatcher: recorded and queued for each subscribed endpoint.
  const changes: ChangeSink = webhooks.dispatcher;
  const watchQueue = jobs.queue<WatchJob>(WATCH_QUEUE);
  const watchRepo = new WatchRepository(store.ns("watches"));
  const watches = new WatchService({
    repo: watchRepo,
    queue: watchQueue,
    credentials,
    logger: logger.child({ component: "watches" }),
    options: { maxDays: config.WATCH_MAX_DAYS, maxCodes: config.MAX_CODES_PER_REQUEST },
  });
  const poller = new Poller({
    repo: watchRepo,
    batcher: new TrackBatcher(
      tracking,
      store.rateGate("watch-tracking", config.WATCH_MAX_CALLS_PER_SECOND, 1000),
      { batchSize: config.TRACKING_BATCH_SIZE, waitMs: config.WATCH_BATCH_WAIT_MS },
      logger.child({ component: "watches" }),
    ),
    sink: changes,
    schedule: { intervals: config.WATCH_INTERVALS, minIntervalSeconds: config.WATCH_MIN_INTERVAL_SECONDS },
    logger: logger.child({ component: "watches" }),
  });
  // Polls at once: full batches for two seconds of the calls the rate allows (more would only wait for the gate).
  const pollConcurrency = config.TRACKING_BATCH_SIZE * config.WATCH_MAX_CALLS_PER_SECOND * 2;
  if (config.NOTIFICATIONS_WORKERS) watchQueue.work(poller.poll, { concurrency: pollConcurrency });
  metrics.observe({
    upstreamRequests: http.stats.calls,
    breakers: () => http.breakerStates(),
    tracking: tracking.stats,
    trackingEs: trackingEs.stats,
    quotes: quotes.stats,
    proofs: proofs.stats,
    addresses: addresses.stats,
    tokens: tokens.stats,
  });
  return {
    config,
    logger,
    store,
    http,
    metrics,
    repo,
    tokens,
    credentials,
    tracking,
    quotes,
    proofs,
    correosEsCredentials,
    trackingEs,
    addresses,
    agencies,
    postings,
    labels,
    returns,
    jobs,
    webhooks,
    watches,
    poller,
    changes,
    close: async () => {
      labels.close();
      await jobs.close();
      await store.close();
    },
  };
}
