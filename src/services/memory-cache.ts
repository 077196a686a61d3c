// A bounded in-process front for hot cache entries, so a warm read costs no store round trip. Entries carry their own
// expiry and live in a scope (the tenant) under a key, each looked up as it is: no joined key string to build and hash
// on every read. Recency is kept by two generations rather than by reordering a list on every read (which showed in
// the warm-path profile): reads that hit the young generation touch nothing; a hit in the old one moves the entry to
// the young one; when the young one is full, it becomes the old one and the previous old one is dropped. So at most
// `maxEntries` are held over all scopes, and an entry read at least once per generation is never dropped.
interface Entry<V> {
  value: V;
  until: number;
}

class Generation<V> {
  readonly scopes = new Map<string, Map<string, Entry<V>>>();
  size = 0;

  get(scope: string, key: string): Entry<V> | undefined {
    return this.scopes.get(scope)?.get(key);
  }

  /** Adds or replaces. */
  set(scope: string, key: string, e: Entry<V>): void {
    let entries = this.scopes.get(scope);
    if (!entries) this.scopes.set(scope, (entries = new Map()));
    const before = entries.size;
    entries.set(key, e);
    this.size += entries.size - before;
  }

  has(scope: string, key: string): boolean {
    return this.scopes.get(scope)?.has(key) ?? false;
  }

  delete(scope: string, key: string): void {
    const entries = this.scopes.get(scope);
    if (entries?.delete(key)) {
      this.size--;
      if (entries.size === 0) this.scopes.delete(scope);
    }
  }
}

export class MemoryCache<V> {
  private young = new Generation<V>();
  private old = new Generation<V>();
  private readonly generationSize: number;

  constructor(maxEntries: number) {
    this.generationSize = Math.floor(maxEntries / 2);
  }

  get(scope: string, key: string, now = Date.now()): V | undefined {
    let e = this.young.get(scope, key);
    if (!e) {
      e = this.old.get(scope, key);
      if (!e) return undefined;
      this.old.delete(scope, key);
      if (e.until > now) this.put(scope, key, e);
    }
    if (e.until <= now) {
      this.young.delete(scope, key);
      return undefined;
    }
    return e.value;
  }

  set(scope: string, key: string, value: V, until: number): void {
    this.old.delete(scope, key);
    this.put(scope, key, { value, until });
  }

  delete(scope: string, key: string): void {
    this.young.delete(scope, key);
    this.old.delete(scope, key);
  }

  clear(): void {
    this.young = new Generation();
    this.old = new Generation();
  }

  private put(scope: string, key: string, e: Entry<V>): void {
    if (this.generationSize <= 0) return;
    if (this.young.size >= this.generationSize && !this.young.has(scope, key)) {
      this.old = this.young;
      this.young = new Generation();
    }
    this.young.set(scope, key, e);
  }
}
