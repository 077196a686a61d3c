// Watching parcels: watchShipments / unwatchShipments, Shipment.watch, and the automatic watch of the postings and
// returns made through this subgraph. Every code is checked before anything is saved or asked upstream; a watch is a
// record (store/watches.ts) plus one poll job due at once, whose first answer becomes the baseline (not a change).
import type { Logger } from "pino";
import { parseTrackingCode } from "../../correios/domain/formats.js";
import { carrierOfCode } from "../../correos-es/codes.js";
import type { JobQueue } from "../../jobs/engine.js";
import type { StoredPosting } from "../../store/postings.js";
import type { StoredWatch, WatchRepository } from "../../store/watches.js";
import type { CredentialService } from "../credentials.js";
import { notRegistered, type UserError } from "../user-errors.js";
import { watchJobId, type WatchJob } from "./poller.js";

export interface WatchOptions {
  /** WATCH_MAX_DAYS. */
  maxDays: number;
  /** MAX_CODES_PER_REQUEST: the most codes one call may name. */
  maxCodes: number;
}

export interface WatchDeps {
  repo: WatchRepository;
  queue: JobQueue<WatchJob>;
  credentials: Pick<CredentialService, "get">;
  logger: Logger;
  options: WatchOptions;
  now?: () => number;
}

/** A watch as Shipment.watch shows it: the record, and when it was last checked and is next from its poll job. */
export interface WatchView extends StoredWatch {
  /** ms; absent before the first poll. */
  lastCheckedAt?: number;
  /** ms; absent when no poll is scheduled (the watch is ending). */
  nextCheckAt?: number;
}

export interface WatchPayload {
  /** watchShipments: the codes now watched. unwatchShipments: the codes no longer watched. */
  watched: string[];
  userErrors: UserError[];
}

/** Metadata travels in every webhook of the parcel: a few keys (an order id), not a document. */
export const MAX_METADATA_BYTES = 4096;

/** Pre-posting statuses after which the parcel will never move (posting-rules.ts). */
const CLOSED_POSTINGS: ReadonlySet<string> = new Set(["CANCELLED", "EXPIRED"]);

export class WatchService {
  constructor(private readonly d: WatchDeps) {}

  private now(): number {
    return this.d.now?.() ?? Date.now();
  }

  async watch(clientId: string, rawCodes: readonly unknown[], metadata: unknown): Promise<WatchPayload> {
    const { codes, userErrors } = this.parseCodes(rawCodes, true);
    if (metadata !== undefined && metadata !== null) {
      const size = Buffer.byteLength(JSON.stringify(metadata) ?? "");
      if (size > MAX_METADATA_BYTES) {
        userErrors.push({ field: "input.metadata", code: "METADATA_TOO_LARGE", message: `metadata is ${size} bytes as JSON; at most ${MAX_METADATA_BYTES}.` });
      }
    }
    if (userErrors.length) return { watched: [], userErrors };
    // Without a credential no poll could ever answer: say so now rather than fail every poll for 60 days.
    if (!(await this.d.credentials.get(clientId))) return { watched: [], userErrors: [{ ...notRegistered(clientId), field: "input.clientId" }] };

    const now = this.now();
    const existing = await this.d.repo.getMany(clientId, codes);
    const records: StoredWatch[] = codes.map((code, i) => {
      const old = existing[i];
      if (old) return metadata === undefined || metadata === null ? old : { ...old, metadata };
      return {
        clientId,
        code,
        metadata: metadata ?? null,
        since: new Date(now).toISOString(),
        expiresAt: new Date(now + this.d.options.maxDays * 86_400_000).toISOString(),
      };
    });
    // The record first: a poll that ran before it existed would take the watch for removed and end.
    await this.d.repo.saveMany(records);
    // Idempotent by id: a code already watched keeps its schedule; one whose job was lost gets it back.
    await Promise.all(records.map((w) => this.d.queue.add(watchJobId(clientId, w.code), { clientId, code: w.code }, now)));
    return { watched: codes, userErrors: [] };
  }

  async unwatch(clientId: string, rawCodes: readonly unknown[]): Promise<WatchPayload> {
    const { codes, userErrors } = this.parseCodes(rawCodes, false);
    if (userErrors.length) return { watched: [], userErrors };
    await Promise.all(
      codes.map(async (code) => {
        // The job first: a poll already running re-reads the record before saving and finds it gone.
        await this.d.queue.remove(watchJobId(clientId, code));
        await this.d.repo.delete(clientId, code);
      }),
    );
    return { watched: codes, userErrors: [] };
  }

  /** The client's watches of these codes (validated), undefined where not watched. */
  async getMany(clientId: string, codes: readonly string[]): Promise<Array<WatchView | undefined>> {
    const records = await this.d.repo.getMany(clientId, codes);
    return Promise.all(
      records.map(async (w) => {
        if (!w) return undefined;
        const job = await this.d.queue.get(watchJobId(clientId, w.code));
        return { ...w, lastCheckedAt: job?.data.checkedAt, nextCheckAt: job?.runAt };
      }),
    );
  }

  /**
   * Called by the posting service whenever it saves a posting or return: a tracking code that just appeared is watched
   * (metadata names the posting), and a pre-posting cancelled or expired before it was posted is no longer watched.
   * Never throws: a posting is not refused because its watch could not be set.
   */
  async followPosting(before: StoredPosting | undefined, after: StoredPosting): Promise<void> {
    const code = after.trackingCode;
    if (!code) return;
    try {
      if (CLOSED_POSTINGS.has(after.status)) {
        if (before?.status !== after.status) await this.unwatch(after.clientId, [code]);
        return;
      }
      if (before?.trackingCode === code) return;
      const metadata = after.kind === "RETURN" ? { returnId: after.id } : { postingId: after.id };
      const r = await this.watch(after.clientId, [code], metadata);
      if (r.userErrors.length) this.d.logger.warn({ posting: after.id, code, reason: r.userErrors[0]!.message }, "posting not watched");
    } catch (e) {
      this.d.logger.warn({ posting: after.id, code, err: e instanceof Error ? e.message : String(e) }, "posting not watched");
    }
  }

  private parseCodes(rawCodes: readonly unknown[], forWatching: boolean): { codes: string[]; userErrors: UserError[] } {
    const userErrors: UserError[] = [];
    const codes = new Set<string>();
    if (!Array.isArray(rawCodes) || rawCodes.length === 0) {
      return { codes: [], userErrors: [{ field: "input.codes", code: "REQUIRED", message: "Give at least one tracking code." }] };
    }
    if (rawCodes.length > this.d.options.maxCodes) {
      return {
        codes: [],
        userErrors: [{ field: "input.codes", code: "TOO_MANY_CODES", message: `At most ${this.d.options.maxCodes} codes per call; ${rawCodes.length} were given.` }],
      };
    }
    rawCodes.forEach((raw, i) => {
      const field = `input.codes[${i}]`;
      const parsed = parseTrackingCode(raw as string);
      if (!parsed.ok) {
        userErrors.push({ field, code: "INVALID_TRACKING_CODE", message: parsed.message });
      } else if (forWatching && carrierOfCode(parsed.value) === "CORREOS_ES") {
        userErrors.push({ field, code: "UNSUPPORTED_CARRIER", message: `${parsed.value} is a Correos (Spain) code; only Correios (Brazil) parcels can be watched.` });
      } else {
        codes.add(parsed.value);
      }
    });
    return { codes: [...codes], userErrors };
  }
}
