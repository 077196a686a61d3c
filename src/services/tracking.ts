// Tracking with the fewest upstream calls: answers come from the cache when fresh; misses from every request of
// the same client inside a short window are merged, deduplicated, cut into chunks of the per-call limit and sent
// with bounded concurrency. A code already on its way upstream is never asked twice. When Correios fails, the
// last known answer is served flagged stale.
import type { Keyv } from "keyv";
import pLimit from "p-limit";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { UpstreamError } from "../correios/errors.js";
import { API_ID } from "../correios/endpoints.js";
import type { TokenManager } from "../correios/token-manager.js";
import type { TrackedObject, TrackingClient } from "../correios/tracking.js";
import { isFinalStatus } from "../correios/tracking-status.js";
import type { CorreiosBrCredential } from "../store/credentials.js";
import type { CredentialService } from "./credentials.js";
import { MemoryCache } from "./memory-cache.js";
import { ServiceError } from "./service-error.js";

export interface ShipmentResult {
  object: TrackedObject;
  fetchedAt: number;
  stale: boolean;
}

interface CacheEntry {
  object: TrackedObject;
  fetchedAt: number;
  freshUntil: number;
}

interface Waiting {
  resolve(e: CacheEntry): void;
  reject(err: unknown): void;
}

export interface TrackingDeps {
  config: Config;
  logger: Logger;
  cache: Keyv;
  client: TrackingClient;
  tokens: TokenManager;
  credentials: CredentialService;
}

export class TrackingService {
  private readonly memory = new MemoryCache<CacheEntry>(50_000);
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  private readonly pending = new Map<string, Map<string, Waiting>>();
  private readonly limit;
  /** Codes asked for by callers vs. codes sent upstream: what the shared window saves. */
  readonly stats = { requested: 0, coalesced: 0, sent: 0, cacheHits: 0 };

  constructor(private readonly d: TrackingDeps) {
    this.limit = pLimit(d.config.TRACKING_CONCURRENCY);
  }

  /** Results in the order of `codes` (already validated and distinct), with an Error in the slot of a failure. */
  async track(tenant: string, codes: string[]): Promise<Array<ShipmentResult | Error>> {
    const now = Date.now();
    const out: Array<ShipmentResult | Error | undefined> = new Array(codes.length);
    const cached: Array<CacheEntry | undefined> = codes.map((c) => this.memory.get(key(tenant, c), now));
    const unknown = codes.map((_, i) => i).filter((i) => !cached[i]);
    if (unknown.length) {
      const fromStore = (await this.d.cache.getMany(unknown.map((i) => key(tenant, codes[i]!)))) as Array<CacheEntry | undefined>;
      unknown.forEach((i, j) => (cached[i] = fromStore[j] ?? undefined));
    }
    const misses: number[] = [];
    codes.forEach((_, i) => {
      const e = cached[i];
      if (e && e.freshUntil > now) {
        this.memory.set(key(tenant, codes[i]!), e, e.freshUntil);
        out[i] = { object: e.object, fetchedAt: e.fetchedAt, stale: false };
      } else {
        misses.push(i);
      }
    });
    this.stats.requested += codes.length;
    this.stats.cacheHits += codes.length - misses.length;
    if (misses.length === 0) return out as ShipmentResult[];

    const fetched = this.fetch(tenant, misses.map((i) => codes[i]!));
    await Promise.all(
      misses.map(async (i, j) => {
        try {
          const e = await fetched[j]!;
          out[i] = { object: e.object, fetchedAt: e.fetchedAt, stale: false };
        } catch (err) {
          const old = cached[i];
          const usable = old && now - old.fetchedAt <= this.d.config.TRACKING_STALE_MAX_SECONDS * 1000;
          out[i] = usable && isUpstreamFault(err) ? { object: old.object, fetchedAt: old.fetchedAt, stale: true } : asError(err);
        }
      }),
    );
    return out as Array<ShipmentResult | Error>;
  }

  /** Forgets cached answers of a tenant in this process (the store entries expire by themselves). */
  clearMemory(): void {
    this.memory.clear();
  }

  private fetch(tenant: string, codes: string[]): Array<Promise<CacheEntry>> {
    return codes.map((code) => {
      const k = key(tenant, code);
      const existing = this.inflight.get(k);
      if (existing) {
        this.stats.coalesced++;
        return existing;
      }
      const p = new Promise<CacheEntry>((resolve, reject) => this.enqueue(tenant, code, { resolve, reject }));
      this.inflight.set(k, p);
      p.then(
        () => this.inflight.delete(k),
        () => this.inflight.delete(k),
      );
      return p;
    });
  }

  private enqueue(tenant: string, code: string, w: Waiting): void {
    let batch = this.pending.get(tenant);
    if (!batch) {
      batch = new Map();
      this.pending.set(tenant, batch);
      const flush = () => void this.flush(tenant);
      if (this.d.config.TRACKING_WINDOW_MS > 0) setTimeout(flush, this.d.config.TRACKING_WINDOW_MS);
      else setImmediate(flush);
    }
    batch.set(code, w);
  }

  private async flush(tenant: string): Promise<void> {
    let credential: CorreiosBrCredential | undefined;
    let failure: unknown;
    try {
      credential = await this.usableCredential(tenant);
      // Get the token before taking the batch: codes that arrive while a cold token is fetched join this batch.
      await this.d.tokens.get(this.d.credentials.tokenSubject(credential));
    } catch (err) {
      failure = err;
    }
    const batch = this.pending.get(tenant);
    this.pending.delete(tenant);
    if (!batch || batch.size === 0) return;
    const all = [...batch.keys()];
    const fail = (codes: string[], err: unknown) => codes.forEach((c) => batch.get(c)!.reject(err));
    if (!credential) return fail(all, failure);
    const size = this.d.config.TRACKING_BATCH_SIZE;
    const chunks: string[][] = [];
    for (let i = 0; i < all.length; i += size) chunks.push(all.slice(i, i + size));
    await Promise.all(
      chunks.map((chunk) =>
        this.limit(async () => {
          try {
            this.stats.sent += chunk.length;
            const subject = this.d.credentials.tokenSubject(credential);
            const found = await this.d.tokens.withToken(subject, (token) => this.d.client.fetchBatch(token, chunk));
            const fetchedAt = Date.now();
            const entries = chunk.map((code) => {
              const object = found.get(code)!;
              return { code, entry: { object, fetchedAt, freshUntil: fetchedAt + this.ttlMs(object) } };
            });
            await this.d.cache
              .setMany(entries.map(({ code, entry }) => ({ key: key(tenant, code), value: entry, ttl: this.d.config.TRACKING_STALE_MAX_SECONDS * 1000 })))
              .catch((e: unknown) => this.d.logger.warn({ err: String(e) }, "tracking cache write failed"));
            for (const { code, entry } of entries) {
              this.memory.set(key(tenant, code), entry, entry.freshUntil);
              batch.get(code)!.resolve(entry);
            }
          } catch (err) {
            fail(chunk, err);
          }
        }),
      ),
    );
  }

  private ttlMs(o: TrackedObject): number {
    const c = this.d.config;
    if (o.status === "NOT_FOUND") return c.TRACKING_TTL_NOT_FOUND_SECONDS * 1000;
    return (isFinalStatus(o.status) ? c.TRACKING_TTL_FINAL_SECONDS : c.TRACKING_TTL_ACTIVE_SECONDS) * 1000;
  }

  private async usableCredential(tenant: string): Promise<CorreiosBrCredential> {
    const c = await this.d.credentials.usable(tenant);
    if (c.status === "ACTIVE" && !c.enabledApis.includes(API_ID.tracking)) {
      throw new ServiceError(
        "API_NOT_ENABLED",
        `Tracking (SRO Rastro, API 87) is not enabled for the posting card of client "${tenant}": ask Correios to enable it in CWS, then call verifyCredential.`,
        { clientId: tenant, api: "TRACKING" },
      );
    }
    return c;
  }
}

const key = (tenant: string, code: string) => `${tenant}:${code}`;

function isUpstreamFault(err: unknown): boolean {
  return err instanceof UpstreamError && err.kind !== "CREDENTIAL_REJECTED" && err.kind !== "TOKEN_REJECTED";
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
