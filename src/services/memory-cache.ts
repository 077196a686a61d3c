// A bounded in-process front for hot cache entries, so a warm read costs no store round trip. Entries carry their own
// expiry. Recency is kept by two generations rather than by reordering a list on every read (which showed in the
// warm-path profile): reads that hit the young generation touch nothing; a hit in the old one moves the entry to the
// young one; when the young one is full, it becomes the old one and the previous old one is dropped. So at most
// `maxEntries` are held, and an entry read at least once per generation is never dropped.
interface Entry<V> {
  value: V;
  until: number;
}

export class MemoryCache<V> {
  private young = new Map<string, Entry<V>>();
  private old = new Map<string, Entry<V>>();
  private readonly generationSize: number;

  constructor(maxEntries: number) {
    this.generationSize = Math.floor(maxEntries / 2);
  }

  get(key: string, now = Date.now()): V | undefined {
    let e = this.young.get(key);
    if (!e) {
      e = this.old.get(key);
      if (!e) return undefined;
      this.old.delete(key);
      if (e.until > now) this.put(key, e);
    }
    if (e.until <= now) {
      this.young.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V, until: number): void {
    this.old.delete(key);
    this.put(key, { value, until });
  }

  delete(key: string): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  private put(key: string, e: Entry<V>): void {
    if (this.generationSize <= 0) return;
    if (!this.young.has(key) && this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, e);
  }
}
