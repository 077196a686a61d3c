// A bounded in-process front for hot cache entries, so a warm read costs no store round trip. Least recently used
// entries leave first; entries also carry their own expiry.
export class MemoryCache<V> {
  private readonly map = new Map<string, { value: V; until: number }>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, now = Date.now()): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.until <= now) {
      this.map.delete(key);
      return undefined;
    }
    // Re-insert to mark as recently used.
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  set(key: string, value: V, until: number): void {
    if (this.maxEntries <= 0) return;
    this.map.delete(key);
    this.map.set(key, { value, until });
    if (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value!);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
