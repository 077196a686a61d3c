import { describe, expect, it } from "vitest";
import { MemoryCache } from "../../src/services/memory-cache.js";

describe("MemoryCache", () => {
  it("returns what was set until it expires", () => {
    const c = new MemoryCache<string>(10);
    c.set("a", "A", 1_000);
    expect(c.get("a", 999)).toBe("A");
    expect(c.get("a", 1_000)).toBeUndefined();
    expect(c.get("a", 0)).toBeUndefined(); // an expired entry is gone, not hidden
  });

  it("never holds more than its size", () => {
    const c = new MemoryCache<number>(10);
    for (let i = 0; i < 100; i++) c.set(`k${i}`, i, Infinity);
    const held = Array.from({ length: 100 }, (_, i) => c.get(`k${i}`, 0)).filter((v) => v !== undefined);
    expect(held.length).toBeLessThanOrEqual(10);
    expect(held).toContain(99);
  });

  it("keeps an entry that is read while others come and go, and drops one that is not", () => {
    const c = new MemoryCache<string>(10);
    c.set("hot", "H", Infinity);
    c.set("cold", "C", Infinity);
    for (let i = 0; i < 50; i++) {
      c.set(`k${i}`, "x", Infinity);
      expect(c.get("hot", 0)).toBe("H");
    }
    expect(c.get("cold", 0)).toBeUndefined();
  });

  it("delete and clear forget entries in both generations", () => {
    const c = new MemoryCache<string>(4);
    c.set("a", "A", Infinity);
    c.set("b", "B", Infinity);
    c.set("c", "C", Infinity); // a and b are now the old generation
    c.delete("a");
    expect(c.get("a", 0)).toBeUndefined();
    expect(c.get("b", 0)).toBe("B");
    c.clear();
    expect(c.get("b", 0)).toBeUndefined();
    expect(c.get("c", 0)).toBeUndefined();
  });

  it("a size of zero holds nothing", () => {
    const c = new MemoryCache<string>(0);
    c.set("a", "A", Infinity);
    expect(c.get("a", 0)).toBeUndefined();
  });
});
