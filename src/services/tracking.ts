// Tracking with the fewest upstream calls: answers come from the cache when fresh; misses from every request of
// the same client are merged, deduplicated and sent in calls of at most the per-call limit, a bounded number at a
// time. Codes that arrive while every call slot is busy wait in their client's queue and leave together in the next
// free call, so a burst of single-code requests costs a few full calls rather than one call each. A code already on
// its way upstream is never asked twice. When Correios fails, or is slower than TRACKING_UPSTREAM_BUDGET_MS, the last
// known answer is served flagged stale; a call that outlasts the budget goes on and refreshes the cache when it ends.
import type { Keyv } from "keyv";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { isOutageFault } from "../upstream/errors.js";
import type { TokenManager } from "../upstream/token-manager.js";
import type { TrackedObject, TrackingClient } from "../correios/client/tracking.js";
import { isFinalStatus } from "../correios/domain/tracking-status.js";
import type { CorreiosBrCredential } from "../store/credentials.js";
import type { CredentialService } from "./credentials.js";
import { MemoryCache } from "./memory-cache.js";
import type { MaybePromise } from "./maybe-promise.js";
import { ServiceError } from "./service-error.js";

export interface ShipmentResult {
  object: TrackedObject;
  fetchedAt: number;
  /** Until when the cache here serves this answer without asking Correios (in the past for a stale answer). */
  freshUntil: number;
  stale: boolean;
}

interface CacheEntry {
  object: TrackedObject;
  fetchedAt: number;
  freshUntil: number;
}

/** How one code's upstream answer ended, or that the budget ran out first. */
type Outcome = { entry: CacheEntry } | { error: unknown } | "budget";

interface Waiting {
  resolve(e: CacheEntry): void;
  reject(err: unknown): void;
}

interface TenantQueue {
  waiting: Map<string, Waiting>;
  /** Set once the window has passed and the credential and token are in hand. */
  credential?: CorreiosBrCredential;
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
  /** Fresh answers only, held as the result handed out (a warm read allocates nothing per code). */
  private readonly memory = new MemoryCache<ShipmentResult>(50_000);
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  /** Codes waiting for an upstream call, per client, in arrival order. */
  private readonly queues = new Map<string, TenantQueue>();
  /** Tracking calls in flight, across clients (at most TRACKING_CONCURRENCY). */
  private active = 0;
  /** Clients whose queue is ready to send, served in turn so one busy client cannot starve the others. */
  private readonly turn: string[] = [];
  /** Codes asked for by callers vs. codes sent upstream: what the shared window saves; codes served stale. */
  readonly stats = { requested: 0, coalesced: 0, sent: 0, cacheHits: 0, calls: 0, stale: 0 };

  constructor(private readonly d: TrackingDeps) {}

  /**
   * Results in the order of `codes` (already validated and distinct), with an Error in the slot of a failure. When
   * every code is fresh in memory the answer is returned as it is, not as a promise: a warm list then costs no
   * microtask here nor in the resolvers above (graphql-js completes plain values synchronously).
   */
  track(tenant: string, codes: string[]): MaybePromise<Array<ShipmentResult | Error>> {
    const now = Date.now();
    const out: Array<ShipmentResult | Error | undefined> = new Array(codes.length);
    // The memory cache only holds fresh entries (get drops expired ones), so a hit there is served as it is; only what
    // came from the store is put into memory.
    let hits = 0;
    for (let i = 0; i < codes.length; i++) if ((out[i] = this.memory.get(tenant, codes[i]!, now))) hits++;
    if (hits === codes.length) {
      this.stats.requested += hits;
      this.stats.cacheHits += hits;
      return out as ShipmentResult[];
    }
    return this.trackBeyondMemory(tenant, codes, out, now);
  }

  /** The codes memory did not have: from the store when fresh there, else from Correios (stale answers as fallbacks). */
  private async trackBeyondMemory(
    tenant: string,
    codes: string[],
    out: Array<ShipmentResult | Error | undefined>,
    now: number,
  ): Promise<Array<ShipmentResult | Error>> {
    const cached: Array<CacheEntry | undefined> = new Array(codes.length);
    const unknown: number[] = [];
    for (let i = 0; i < codes.length; i++) if (!out[i]) unknown.push(i);
    try {
      const fromStore = (await this.d.cache.getMany(unknown.map((i) => key(tenant, codes[i]!)))) as Array<CacheEntry | undefined>;
      unknown.forEach((i, j) => {
        const e = fromStore[j] ?? undefined;
        cached[i] = e;
        if (e && e.freshUntil > now) this.memory.set(tenant, codes[i]!, (out[i] = fresh(e)), e.freshUntil);
      });
    } catch (e) {
      // An unreadable cache costs upstream calls, not answers.
      this.d.logger.warn({ err: String(e) }, "tracking cache read failed");
    }
    const misses: number[] = [];
    for (const i of unknown) if (!out[i]) misses.push(i);
    this.stats.requested += codes.length;
    this.stats.cacheHits += codes.length - misses.length;
    if (misses.length === 0) return out as ShipmentResult[];

    const fetched = this.fetch(tenant, misses.map((i) => codes[i]!));
    const fallbacks = misses.map((i) => this.usableStale(cached[i], now));
    // A code with a last known answer waits for Correios at most the budget (one timer for the request). The call is
    // not aborted: the codes of a call are shared with other requests, and its answer still refreshes the cache.
    let timer: NodeJS.Timeout | undefined;
    const budget = fallbacks.some(Boolean)
      ? new Promise<"budget">((resolve) => (timer = setTimeout(() => resolve("budget"), this.d.config.TRACKING_UPSTREAM_BUDGET_MS)))
      : undefined;
    try {
      await Promise.all(
        misses.map(async (i, j) => {
          const answer = fetched[j]!.then(
            (entry): Outcome => ({ entry }),
            (error: unknown): Outcome => ({ error }),
          );
          const old = fallbacks[j];
          const outcome = old && budget ? await Promise.race([answer, budget]) : await answer;
          if (outcome !== "budget" && "entry" in outcome) {
            out[i] = { object: outcome.entry.object, fetchedAt: outcome.entry.fetchedAt, freshUntil: outcome.entry.freshUntil, stale: false };
          } else if (old && (outcome === "budget" || isOutageFault(outcome.error))) {
            this.stats.stale++;
            out[i] = { object: old.object, fetchedAt: old.fetchedAt, freshUntil: old.freshUntil, stale: true };
          } else {
            out[i] = asError((outcome as { error: unknown }).error);
          }
        }),
      );
    } finally {
      clearTimeout(timer);
    }
    return out as Array<ShipmentResult | Error>;
  }

  /** A cached answer young enough to be served stale when Correios fails or is slow. */
  private usableStale(e: CacheEntry | undefined, now: number): CacheEntry | undefined {
    return e && now - e.fetchedAt <= this.d.config.TRACKING_STALE_MAX_SECONDS * 1000 ? e : undefined;
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
    let q = this.queues.get(tenant);
    if (!q) {
      q = { waiting: new Map() };
      this.queues.set(tenant, q);
      const open = () => void this.open(tenant, q!);
      if (this.d.config.TRACKING_WINDOW_MS > 0) setTimeout(open, this.d.config.TRACKING_WINDOW_MS);
      else setImmediate(open);
    }
    q.waiting.set(code, w);
  }

  /** After the window: check the credential and get the token once, then let the queue's codes go out. */
  private async open(tenant: string, q: TenantQueue): Promise<void> {
    try {
      q.credential = await this.usableCredential(tenant);
      // Codes that arrive while a cold token is fetched join this queue.
      await this.d.tokens.get(this.d.credentials.tokenSubject(q.credential));
    } catch (err) {
      this.queues.delete(tenant);
      for (const w of q.waiting.values()) w.reject(err);
      return;
    }
    this.turn.push(tenant);
    this.pump();
  }

  /** Fills the free call slots, one client at a time, each call with up to TRACKING_BATCH_SIZE queued codes. */
  private pump(): void {
    while (this.active < this.d.config.TRACKING_CONCURRENCY && this.turn.length > 0) {
      const tenant = this.turn.shift()!;
      const q = this.queues.get(tenant)!;
      const chunk = new Map<string, Waiting>();
      for (const [code, w] of q.waiting) {
        if (chunk.size === this.d.config.TRACKING_BATCH_SIZE) break;
        chunk.set(code, w);
        q.waiting.delete(code);
      }
      // An emptied queue is closed: the client's next code opens a new one (window, credential check).
      if (q.waiting.size > 0) this.turn.push(tenant);
      else this.queues.delete(tenant);
      this.active++;
      void this.send(tenant, q.credential!, chunk).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async send(tenant: string, credential: CorreiosBrCredential, chunk: Map<string, Waiting>): Promise<void> {
    const codes = [...chunk.keys()];
    try {
      this.stats.sent += codes.length;
      this.stats.calls++;
      const subject = this.d.credentials.tokenSubject(credential);
      const found = await this.d.tokens.withToken(subject, (token) => this.d.client.fetchBatch(token, codes));
      const fetchedAt = Date.now();
      const entries: Array<{ code: string; entry: CacheEntry }> = [];
      for (const code of codes) {
        const object = found.get(code)!;
        // SRO-019: Correios calls the code itself invalid. That is the caller's to fix, and nothing to cache.
        if (object.invalid) chunk.get(code)!.reject(invalidCode(code, object.message));
        else entries.push({ code, entry: { object, fetchedAt, freshUntil: fetchedAt + this.ttlMs(object) } });
      }
      await this.d.cache
        .setMany(entries.map(({ code, entry }) => ({ key: key(tenant, code), value: entry, ttl: this.d.config.TRACKING_STALE_MAX_SECONDS * 1000 })))
        .catch((e: unknown) => this.d.logger.warn({ err: String(e) }, "tracking cache write failed"));
      for (const { code, entry } of entries) {
        this.memory.set(tenant, code, fresh(entry), entry.freshUntil);
        chunk.get(code)!.resolve(entry);
      }
    } catch (err) {
      for (const w of chunk.values()) w.reject(err);
    }
  }

  private ttlMs(o: TrackedObject): number {
    const c = this.d.config;
    if (o.status === "NOT_FOUND") return c.TRACKING_TTL_NOT_FOUND_SECONDS * 1000;
    return (isFinalStatus(o.status) ? c.TRACKING_TTL_FINAL_SECONDS : c.TRACKING_TTL_ACTIVE_SECONDS) * 1000;
  }

  /**
   * No refusal on the card's API list here: the lists in the token answer may be wrong (correios/token.ts), so the
   * call is made and a 403 from Correios becomes API_NOT_ENABLED naming API 87 (correios/errors.ts).
   */
  private usableCredential(tenant: string): Promise<CorreiosBrCredential> {
    return this.d.credentials.usable(tenant);
  }
}

const key = (tenant: string, code: string) => `${tenant}:${code}`;

const fresh = (e: CacheEntry): ShipmentResult => ({ object: e.object, fetchedAt: e.fetchedAt, freshUntil: e.freshUntil, stale: false });

function invalidCode(code: string, message: string | undefined): ServiceError {
  return new ServiceError("BAD_USER_INPUT", `Correios says tracking code ${code} is invalid${message ? `: "${message}"` : ""}. Check the code with the sender.`, {
    trackingCode: code,
    upstreamMessage: message,
  });
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
