// "The same idempotency key never acts twice", for writes whose upstream has no key of its own (a Correios
// pre-posting). Concurrent callers in this process share one promise; across replicas a store lock serialises them,
// and the record in the store says what happened: PENDING while the upstream call runs, DONE with the result's id,
// IN_DOUBT when the call may have acted but we could not learn its result (a timeout, or a crash between Correios'
// answer and our write). An IN_DOUBT key is never replayed: acting again could make a second pre-posting.
import { createHash } from "node:crypto";
import type { Locker } from "../store/locker.js";
import type { IdempotencyRecords } from "../store/postings.js";
import { ServiceError } from "./service-error.js";

export type Outcome<T> =
  | { kind: "DONE"; value: T; replayed: boolean }
  | { kind: "KEY_REUSED" }
  | { kind: "IN_DOUBT"; reason: string };

export interface IdempotencyOptions {
  /** How long a lock may be held by a caller (the upstream call and our write). */
  lockTtlMs: number;
  /** How long another replica's caller waits for the holder before giving up. */
  lockWaitMs: number;
}

export function fingerprintOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url");
}

/** One write under an idempotency key. */
export interface Attempt<T> {
  scope: string;
  clientId: string;
  key: string;
  /** Of the validated request: the same key with another body is KEY_REUSED. */
  fingerprint: string;
  /** Reads back a DONE result by its id. */
  load: (id: string) => Promise<T | undefined>;
  /** The upstream write and our record of it; returns the result and its id. */
  act: () => Promise<{ id: string; value: T }>;
  /** Whether a failure of `act` may still have acted upstream (the key is then IN_DOUBT, never replayed). */
  isAmbiguous: (e: unknown) => boolean;
}

export class Idempotency {
  private readonly inflight = new Map<string, { fingerprint: string; promise: Promise<Outcome<unknown>> }>();

  constructor(
    private readonly records: IdempotencyRecords,
    private readonly locker: Locker,
    private readonly opts: IdempotencyOptions,
  ) {}

  /** Runs `a.act` at most once per (scope, client, key); see Attempt. */
  async run<T>(a: Attempt<T>): Promise<Outcome<T>> {
    const slot = `${a.scope}:${a.clientId}:${a.key}`;
    const running = this.inflight.get(slot);
    if (running) {
      // A caller that joins an in-flight run with another body gets KEY_REUSED, like one that came later.
      if (running.fingerprint !== a.fingerprint) return { kind: "KEY_REUSED" };
      const o = (await running.promise) as Outcome<T>;
      return o.kind === "DONE" ? { kind: "DONE", value: o.value, replayed: true } : o;
    }
    const promise = this.locked(a).finally(() => this.inflight.delete(slot));
    this.inflight.set(slot, { fingerprint: a.fingerprint, promise });
    return promise;
  }

  private async locked<T>({ scope, clientId, key, fingerprint, load, act, isAmbiguous }: Attempt<T>): Promise<Outcome<T>> {
    const held = await this.locker.tryWithLock(`idem:${scope}:${clientId}:${key}`, this.opts.lockTtlMs, this.opts.lockWaitMs, async (): Promise<Outcome<T>> => {
      const existing = await this.records.get(scope, clientId, key);
      if (existing) {
        if (existing.fingerprint !== fingerprint) return { kind: "KEY_REUSED" };
        if (existing.state === "DONE") {
          const value = await load(existing.resultId);
          if (value !== undefined) return { kind: "DONE", value, replayed: true };
          return { kind: "IN_DOUBT", reason: "The key's result is recorded but its record is missing from the store." };
        }
        if (existing.state === "IN_DOUBT") return { kind: "IN_DOUBT", reason: existing.reason };
        // PENDING under a free lock: the holder died between its upstream call and its write (kill -9, lost lock).
        const reason = "An earlier attempt with this key stopped before its result was saved; Correios may have acted on it.";
        await this.records.set(scope, clientId, key, { state: "IN_DOUBT", fingerprint, reason });
        return { kind: "IN_DOUBT", reason };
      }
      // PENDING is on disk before Correios is asked: a crash after Correios acts leaves a trace, never a clean slate.
      await this.records.set(scope, clientId, key, { state: "PENDING", fingerprint, startedAt: new Date().toISOString() });
      let result: { id: string; value: T };
      try {
        result = await act();
      } catch (e) {
        if (isAmbiguous(e)) {
          await this.records
            .set(scope, clientId, key, { state: "IN_DOUBT", fingerprint, reason: "Correios did not answer in time; the request may have been carried out." })
            .catch(() => undefined);
        } else {
          // A definite refusal or an unreachable Correios acted on nothing: the key may be used again.
          await this.records.delete(scope, clientId, key).catch(() => undefined);
        }
        throw e;
      }
      await this.records.set(scope, clientId, key, { state: "DONE", fingerprint, resultId: result.id });
      return { kind: "DONE", value: result.value, replayed: false };
    });
    if (!held.ran) {
      throw new ServiceError("IDEMPOTENCY_BUSY", "Another request with this idempotency key is still running; retry in a few seconds with the same key.");
    }
    return held.value;
  }
}
