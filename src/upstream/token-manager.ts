// Bearer tokens per credential: fetched once, reused until shortly before expiry, shared by concurrent callers
// (one in-flight fetch per key in this process, and a store lock across replicas), kept in the store so a restart
// does not refetch, and dropped when an API refuses them.
import type { Locker } from "../store/locker.js";
import { UpstreamError } from "./errors.js";

/** How long a replica waits for another one's token fetch before fetching itself. */
const LOCK_WAIT_MS = 30_000;

export interface CachedToken {
  token: string;
  expiresAt: number;
  /** After this instant a new token is asked for (expiry minus the renewal margin). */
  renewAt: number;
}

export interface TokenCache {
  get(key: string): Promise<CachedToken | undefined>;
  set(key: string, value: CachedToken): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface TokenSubject {
  /** Unique per credential revision (and scope set), so a replaced credential never reuses an old token. */
  key: string;
  fetch(): Promise<{ token: string; expiresAt: number }>;
  /** Called when the token endpoint refuses the credential itself. */
  onRejected?(error: UpstreamError): Promise<void>;
  /** Overrides the manager's renewal margin for this subject (tokens of another carrier live much shorter). */
  renewMarginMs?: number;
}

export interface TokenManagerOptions {
  renewMarginMs: number;
  now?: () => number;
}

export class TokenManager {
  private readonly memory = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<CachedToken>>();
  private readonly now: () => number;
  /** Tokens asked of a token API (the metrics' token fetches); reuse from memory or the store is not counted. */
  readonly stats = { fetches: 0, failures: 0 };

  constructor(
    private readonly cache: TokenCache,
    private readonly locker: Locker,
    private readonly opts: TokenManagerOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  async get(subject: TokenSubject): Promise<string> {
    const mem = this.memory.get(subject.key);
    if (mem && this.usable(mem)) return mem.token;
    return (await this.load(subject)).token;
  }

  /** Stores a token obtained elsewhere (a verification's fresh token), so the next call does not fetch again. */
  async put(key: string, grant: { token: string; expiresAt: number }, renewMarginMs?: number): Promise<void> {
    const entry = this.entryFor(grant, renewMarginMs);
    this.memory.set(key, entry);
    await this.cache.set(key, entry);
  }

  /** Drops the token if it is still the one that failed (a concurrent caller may already have replaced it). */
  async invalidate(key: string, failedToken: string): Promise<void> {
    const mem = this.memory.get(key);
    if (mem && mem.token !== failedToken) return;
    this.memory.delete(key);
    const stored = await this.cache.get(key);
    if (stored && stored.token === failedToken) await this.cache.delete(key);
  }

  /** Drops a token from memory and from the store, whatever it is (a removed credential's token must not outlive it). */
  async discard(key: string): Promise<void> {
    this.memory.delete(key);
    await this.cache.delete(key);
  }

  async forget(keyPrefix: string): Promise<void> {
    for (const key of [...this.memory.keys()]) if (key.startsWith(keyPrefix)) this.memory.delete(key);
  }

  /** Runs fn with a token; when the API refuses the token (401), refreshes it once and tries again. */
  async withToken<T>(subject: TokenSubject, fn: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get(subject);
    try {
      return await fn(token);
    } catch (e) {
      if (!(e instanceof UpstreamError) || e.kind !== "TOKEN_REJECTED") throw e;
      await this.invalidate(subject.key, token);
      return fn(await this.get(subject));
    }
  }

  private usable(t: CachedToken): boolean {
    return this.now() < t.renewAt;
  }

  private entryFor(grant: { token: string; expiresAt: number }, renewMarginMs = this.opts.renewMarginMs): CachedToken {
    const now = this.now();
    let renewAt = grant.expiresAt - renewMarginMs;
    // Correios hands back the same token until ~30 min before expiry; inside the margin, re-ask at a slow pace
    // instead of on every call.
    if (renewAt <= now) renewAt = Math.min(grant.expiresAt - 1000, now + Math.min(60_000, (grant.expiresAt - now) / 2));
    return { token: grant.token, expiresAt: grant.expiresAt, renewAt };
  }

  private load(subject: TokenSubject): Promise<CachedToken> {
    let p = this.inflight.get(subject.key);
    if (!p) {
      p = this.loadOnce(subject).finally(() => this.inflight.delete(subject.key));
      this.inflight.set(subject.key, p);
    }
    return p;
  }

  private async loadOnce(subject: TokenSubject): Promise<CachedToken> {
    const stored = await this.cache.get(subject.key);
    if (stored && this.usable(stored)) {
      this.memory.set(subject.key, stored);
      return stored;
    }
    // The holder extends the lock while it fetches; its lifetime only bounds how long a crashed holder blocks others.
    const locked = await this.locker.tryWithLock(`token:${subject.key}`, 10_000, LOCK_WAIT_MS, () => this.storedOrFetch(subject));
    // A holder still busy after the wait is stuck, not slow: check once more what it may have stored, then fetch.
    const entry = locked.ran ? locked.value : await this.storedOrFetch(subject);
    this.memory.set(subject.key, entry);
    return entry;
  }

  /** Another replica may have fetched while this one waited. */
  private async storedOrFetch(subject: TokenSubject): Promise<CachedToken> {
    const stored = await this.cache.get(subject.key);
    if (stored && this.usable(stored)) return stored;
    return this.fetchAndStore(subject);
  }

  private async fetchAndStore(subject: TokenSubject): Promise<CachedToken> {
    this.stats.fetches++;
    let grant;
    try {
      grant = await subject.fetch();
    } catch (e) {
      this.stats.failures++;
      if (e instanceof UpstreamError && e.kind === "CREDENTIAL_REJECTED") await subject.onRejected?.(e);
      throw e;
    }
    const entry = this.entryFor(grant, subject.renewMarginMs);
    await this.cache.set(subject.key, entry);
    return entry;
  }
}
