// Gathers the codes of due poll jobs, per client, into tracking requests of up to the per-call limit (50). A full batch
// leaves at once; a partial one after WATCH_BATCH_WAIT_MS from its first code, so codes coming due one by one (their
// times are jittered) still share calls. A batch is cut only once it holds a slot of the shared rate gate
// (WATCH_MAX_CALLS_PER_SECOND): codes that come due while polling waits for the gate join the next call instead of
// each queueing a call of its own. The tracking service does the rest (cache shared with queries, one token per
// credential, calls of at most 50).
import type { Logger } from "pino";
import type { RateGate } from "../../store/rate-gate.js";
import type { ShipmentResult } from "../tracking.js";
import type { MaybePromise } from "../maybe-promise.js";

export interface Tracker {
  /** Ready at once when every code is fresh in memory. */
  track(clientId: string, codes: string[]): MaybePromise<Array<ShipmentResult | Error>>;
}

type Resolve = (r: ShipmentResult | Error) => void;

interface ClientQueue {
  /** Codes waiting, in arrival order, with whoever waits for each. */
  codes: Map<string, Resolve[]>;
  /** Cancels the wait of a partial batch, when one is armed. */
  cancel?: () => void;
  /** A slot of the rate gate is being waited for. */
  gated: boolean;
}

export interface BatcherOptions {
  batchSize: number;
  /** How long a partial batch waits for more codes (0: the next macrotask). */
  waitMs: number;
}

export class TrackBatcher {
  private readonly queues = new Map<string, ClientQueue>();
  /** Requests sent (each one tracking call at most when nothing is cached) and the codes in them. */
  readonly stats = { batches: 0, codes: 0 };

  constructor(
    private readonly tracker: Tracker,
    private readonly gate: RateGate,
    private readonly o: BatcherOptions,
    private readonly logger?: Logger,
  ) {}

  /** One code's answer, asked together with the client's other due codes. Never rejects: a failure is an Error. */
  track(clientId: string, code: string): Promise<ShipmentResult | Error> {
    return new Promise((resolve) => {
      let q = this.queues.get(clientId);
      if (!q) {
        q = { codes: new Map(), gated: false };
        this.queues.set(clientId, q);
      }
      const waiting = q.codes.get(code);
      if (waiting) waiting.push(resolve);
      else q.codes.set(code, [resolve]);
      if (q.codes.size >= this.o.batchSize) this.ready(clientId, q);
      else if (!q.cancel && !q.gated) this.arm(clientId, q);
    });
  }

  private arm(clientId: string, q: ClientQueue): void {
    const go = () => {
      q.cancel = undefined;
      this.ready(clientId, q);
    };
    if (this.o.waitMs > 0) {
      const t = setTimeout(go, this.o.waitMs);
      q.cancel = () => clearTimeout(t);
    } else {
      const t = setImmediate(go);
      q.cancel = () => clearImmediate(t);
    }
  }

  /** The batch may go: wait for a gate slot, then cut up to batchSize codes (those that came meanwhile included). */
  private ready(clientId: string, q: ClientQueue): void {
    if (q.gated) return;
    q.cancel?.();
    q.cancel = undefined;
    q.gated = true;
    void this.gate()
      .catch(() => undefined)
      .then(() => {
        q.gated = false;
        const batch = new Map<string, Resolve[]>();
        for (const [code, resolvers] of q.codes) {
          if (batch.size === this.o.batchSize) break;
          batch.set(code, resolvers);
          q.codes.delete(code);
        }
        if (q.codes.size >= this.o.batchSize) this.ready(clientId, q);
        else if (q.codes.size > 0) this.arm(clientId, q);
        else if (this.queues.get(clientId) === q) this.queues.delete(clientId);
        if (batch.size) void this.send(clientId, batch);
      });
  }

  private async send(clientId: string, batch: Map<string, Resolve[]>): Promise<void> {
    const codes = [...batch.keys()];
    this.stats.batches++;
    this.stats.codes += codes.length;
    let results: Array<ShipmentResult | Error>;
    try {
      results = await this.tracker.track(clientId, codes);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      results = codes.map(() => err);
    }
    const failed = results.filter((r): r is Error => r instanceof Error);
    // One line per batch, not per code: an outage would otherwise log every watched parcel.
    if (failed.length) this.logger?.warn({ clientId, failed: failed.length, of: codes.length, err: failed[0]!.message }, "watch poll: tracking failed");
    codes.forEach((code, i) => {
      for (const resolve of batch.get(code)!) resolve(results[i]!);
    });
  }
}
