// Watched parcels, one record per (client, tracking code) in the "watches" namespace: what the poller compares against
// (the baseline) and what the client gave. When it was last checked and is checked next live in its poll job
// ("watch-poll"), which the engine saves at every poll anyway: a poll that finds no change writes nothing here.
import type { Keyv } from "keyv";
import type { Baseline } from "../services/notifications/detect.js";

export interface StoredWatch {
  clientId: string;
  code: string;
  metadata: unknown;
  /** ISO 8601: when the watch started. */
  since: string;
  /** ISO 8601: WATCH_MAX_DAYS after `since`; the watch ends by itself then. */
  expiresAt: string;
  /** Absent until the first poll took it. */
  baseline?: Baseline;
}

/** Client ids have no '|' (user-errors.ts parseClientId), tracking codes neither: the key is unambiguous. */
export const watchKey = (clientId: string, code: string) => `${clientId}|${code}`;

export class WatchRepository {
  constructor(private readonly kv: Keyv) {}

  async get(clientId: string, code: string): Promise<StoredWatch | undefined> {
    const w = (await this.kv.get(watchKey(clientId, code))) as StoredWatch | undefined;
    return w && w.clientId === clientId ? w : undefined;
  }

  /** In the order of `codes`, undefined where not watched. */
  async getMany(clientId: string, codes: readonly string[]): Promise<Array<StoredWatch | undefined>> {
    if (codes.length === 0) return [];
    const found = (await this.kv.getMany(codes.map((c) => watchKey(clientId, c)))) as Array<StoredWatch | undefined | null>;
    return found.map((w) => (w && w.clientId === clientId ? w : undefined));
  }

  async save(w: StoredWatch): Promise<void> {
    const ok = await this.kv.set(watchKey(w.clientId, w.code), w);
    if (!ok) throw new Error("The store refused to save the watch");
  }

  async saveMany(ws: readonly StoredWatch[]): Promise<void> {
    if (ws.length === 0) return;
    const ok = await this.kv.setMany(ws.map((w) => ({ key: watchKey(w.clientId, w.code), value: w })));
    // @keyv/redis answers setMany with nothing (it throws on failure instead); SQLite with one boolean per value.
    if (Array.isArray(ok) && ok.some((x) => !x)) throw new Error("The store refused to save a watch");
  }

  async delete(clientId: string, code: string): Promise<void> {
    await this.kv.delete(watchKey(clientId, code));
  }
}
