// The watch-poll job: one job per watch (id `${clientId}|${code}`), run when the parcel is due (its runAt is the
// watch's next check, its data the time of the last answer seen). Its code joins the
// codes of the other polls running at the same moment (TrackBatcher: ⌈due/50⌉ tracking requests, cache shared with
// storefront queries), the answer is compared with the watch's baseline (detect.ts), a change is published to the sink
// BEFORE the new baseline is saved (a crash in between finds the same change again, with the same id, and the sink
// keeps it once), and the job asks to run again at the status's interval, or ends with the watch (final status,
// WATCH_MAX_DAYS, a code Correios calls invalid).
import type { Logger } from "pino";
import type { Job, JobResult } from "../../jobs/engine.js";
import { isFinalStatus } from "../../correios/domain/tracking-status.js";
import type { StoredWatch, WatchRepository } from "../../store/watches.js";
import { ServiceError } from "../service-error.js";
import type { ShipmentResult } from "../tracking.js";
import type { ChangeSink } from "./change.js";
import { detect } from "./detect.js";
import { nextCheckAt, retryAt, RETRY_SECONDS, type Schedule } from "./intervals.js";
import type { TrackBatcher } from "./track-batcher.js";

export const WATCH_QUEUE = "watch-poll";

export interface WatchJob {
  clientId: string;
  code: string;
  /** When the answer the last poll saw was fetched from Correios (ms); absent before the first poll. */
  checkedAt?: number;
}

/** No ':' in job ids (BullMQ refuses them); client ids and codes have no '|'. */
export const watchJobId = (clientId: string, code: string) => `${clientId}|${code}`;

export interface PollerDeps {
  repo: WatchRepository;
  batcher: TrackBatcher;
  /** Where changes go: durable and idempotent by change.id once publish resolves (the webhook dispatcher). */
  sink: ChangeSink;
  schedule: Schedule;
  logger: Logger;
  now?: () => number;
}

type Outcome = JobResult<WatchJob>;

export class Poller {
  /** What the polls did, for tests and the benchmark. */
  readonly stats = { polls: 0, changes: 0, ended: 0, failed: 0 };

  constructor(private readonly d: PollerDeps) {}

  private now(): number {
    return this.d.now?.() ?? Date.now();
  }

  readonly poll = async (job: Job<WatchJob>): Promise<Outcome> => {
    const { clientId, code, checkedAt } = job.data;
    this.stats.polls++;
    try {
      // Asked at once, before any await, so every job started in this tick lands in the same batch.
      const [answer, watch] = await Promise.all([this.d.batcher.track(clientId, code), this.d.repo.get(clientId, code)]);
      if (!watch) return undefined; // unwatched meanwhile
      return await this.handle(watch, answer, checkedAt);
    } catch (e) {
      // The store (or the sink) failed: nothing was saved, so the next run finds the same state and the same change.
      this.stats.failed++;
      this.d.logger.warn({ clientId, code, err: e instanceof Error ? e.message : String(e) }, "watch poll failed; it runs again later");
      return { runAt: this.now() + RETRY_SECONDS * 1000 };
    }
  };

  private async handle(watch: StoredWatch, answer: ShipmentResult | Error, checkedAt: number | undefined): Promise<Outcome> {
    const now = this.now();
    const expiresAt = Date.parse(watch.expiresAt);
    const status = watch.baseline?.status ?? "NOT_FOUND";
    if (now >= expiresAt) return this.end(watch, "its WATCH_MAX_DAYS passed");
    if (answer instanceof Error) {
      // SRO-019: Correios calls the code itself invalid; asking again will not change that.
      if (answer instanceof ServiceError && answer.code === "BAD_USER_INPUT") return this.end(watch, "Correios calls the code invalid");
      this.stats.failed++;
      return { runAt: retryAt(status, now, expiresAt, this.d.schedule) };
    }
    // The last known answer, served because Correios failed or was slow: not news, and not a baseline either.
    if (answer.stale) {
      this.stats.failed++;
      return { runAt: retryAt(status, now, expiresAt, this.d.schedule) };
    }
    const { baseline, change } = detect(watch.baseline, {
      clientId: watch.clientId,
      code: watch.code,
      object: answer.object,
      fetchedAt: answer.fetchedAt,
      seenAt: checkedAt,
      metadata: watch.metadata,
      now,
    });
    if (change) {
      await this.d.sink.publish(change);
      this.stats.changes++;
    }
    if (isFinalStatus(baseline.status)) return this.end(watch, `the parcel is ${baseline.status}`);
    if (baseline !== watch.baseline) {
      // Read again: an unwatch while this poll ran must not be undone by saving the record back.
      const current = await this.d.repo.get(watch.clientId, watch.code);
      if (!current) return undefined;
      await this.d.repo.save({ ...current, baseline });
    }
    const seen = Math.max(answer.fetchedAt, checkedAt ?? 0);
    return { runAt: nextCheckAt(baseline.status, now, expiresAt, this.d.schedule), data: { clientId: watch.clientId, code: watch.code, checkedAt: seen } };
  }

  private async end(watch: StoredWatch, why: string): Promise<Outcome> {
    await this.d.repo.delete(watch.clientId, watch.code);
    this.stats.ended++;
    this.d.logger.debug({ clientId: watch.clientId, code: watch.code }, `watch ended: ${why}`);
    return undefined;
  }
}
