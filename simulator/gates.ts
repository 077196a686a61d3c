// Gates: an endpoint's requests held until a test lets them go, so a test can order events (a call in flight, the
// requests queued behind it, a stale answer served meanwhile) instead of sleeping and hoping. A held request has been
// counted and logged on arrival; its faults, latency and answer come after its release. A request whose client gives
// up leaves the gate, so the held count is what is still waiting.

import type { ServerResponse } from "node:http";
import { ENDPOINTS, type Endpoint } from "./types.js";

export interface GateStatus {
  endpoint: Endpoint;
  closed: boolean;
  /** Requests waiting at the gate now. */
  held: number;
}

interface Watcher {
  atLeast: number;
  resolve(): void;
}

interface Gate {
  closed: boolean;
  held: Array<() => void>;
  watchers: Watcher[];
}

export class GateStore {
  private readonly gates = new Map<Endpoint, Gate>(ENDPOINTS.map((e) => [e, { closed: false, held: [], watchers: [] }]));

  /** Later requests of the endpoint wait until released. */
  close(endpoint: Endpoint): GateStatus {
    this.gate(endpoint).closed = true;
    return this.status(endpoint);
  }

  /** Lets every held request go and stops holding new ones. */
  open(endpoint: Endpoint): GateStatus {
    const g = this.gate(endpoint);
    g.closed = false;
    this.release(endpoint);
    return this.status(endpoint);
  }

  /** Lets the `count` oldest held requests go (all by default); the gate stays closed. Returns how many went. */
  release(endpoint: Endpoint, count = Infinity): number {
    if (!(count >= 0)) throw new TypeError("count must be a non-negative number");
    const g = this.gate(endpoint);
    const going = g.held.splice(0, Math.min(count, g.held.length));
    for (const go of going) go();
    return going.length;
  }

  status(endpoint: Endpoint): GateStatus {
    const g = this.gate(endpoint);
    return { endpoint, closed: g.closed, held: g.held.length };
  }

  /** Resolves once at least `atLeast` requests are held at the gate; rejects after `timeoutMs` saying how many are. */
  whenHeld(endpoint: Endpoint, atLeast: number, timeoutMs = 5000): Promise<GateStatus> {
    const g = this.gate(endpoint);
    if (g.held.length >= atLeast) return Promise.resolve(this.status(endpoint));
    return new Promise((resolve, reject) => {
      const w: Watcher = {
        atLeast,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.status(endpoint));
        },
      };
      const timer = setTimeout(() => {
        g.watchers = g.watchers.filter((x) => x !== w);
        reject(new Error(`simulator: ${g.held.length} of ${atLeast} ${endpoint} requests held after ${timeoutMs} ms`));
      }, timeoutMs);
      g.watchers.push(w);
    });
  }

  /** Resolves at once when the gate is open; otherwise when the request is released or its client goes away. */
  pass(endpoint: Endpoint, res: ServerResponse): Promise<void> {
    const g = this.gate(endpoint);
    if (!g.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const go = () => {
        res.off("close", gone);
        resolve();
      };
      const gone = () => {
        g.held = g.held.filter((x) => x !== go);
        resolve();
      };
      res.once("close", gone);
      g.held.push(go);
      const ready = g.watchers.filter((w) => g.held.length >= w.atLeast);
      g.watchers = g.watchers.filter((w) => g.held.length < w.atLeast);
      for (const w of ready) w.resolve();
    });
  }

  /** Opens every gate, letting held requests go. */
  reset(): void {
    for (const e of ENDPOINTS) this.open(e);
  }

  private gate(endpoint: Endpoint): Gate {
    const g = this.gates.get(endpoint);
    if (!g) throw new TypeError(`gate endpoint must be one of ${ENDPOINTS.join(", ")}`);
    return g;
  }
}
