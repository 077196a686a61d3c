import { describe, expect, it } from "vitest";
import { MemoryCache } from "../../src/services/memory-cache.js";

describe("MemoryCache", () => {
  it("returns what was set until it expires", () => {
    const c = new MemoryCache<string>(10);
    c.set("t", "a", "A", 1_000);
    expect(c.get("t", "a", 999)).toBe("A");
    expect(c.get("t", "a", 1_000)).toBeUndefined();
    expect(c.get("t", "a", 0)).toBeUndefined(); // an expired entry is gone, not hidden
  });

  it("never holds more than its size", () => {
    const c = new MemoryCache<number>(10);
    for (let i = 0; i < 100; i++) c.set("t", `k${i}`, i, Infinity);
    const held = Array.from({ length: 100 }, (_, i) => c.get("t", `k${i}`, 0)).filter((v) => v !== undefined);
    expect(held.length).toBeLessThanOrEqual(10);
    expect(held).toContain(99);
  });

  it("keeps an entry that is read while others come and go, and drops one that is not", () => {
    const c = new MemoryCache<string>(10);
    c.set("t", "hot", "H", Infinity);
    c.set("t", "cold", "C", Infinity);
    for (let i = 0; i < 50; i++) {
      c.set("t", `k${i}`, "x", Infinity);
      expect(c.get("t", "hot", 0)).toBe("H");
    }
    expect(c.get("t", "cold", 0)).toBeUndefined();
  });

  it("delete and clear forget entries in both generations", () => {
    const c = new MemoryCache<string>(4);
    c.set("t", "a", "A", Infinity);
    c.set("t", "b", "B", Infinity);
    c.set("t", "c", "C", Infinity); // a and b are now the old generation
    c.delete("t", "a");
    expect(c.get("t", "a", 0)).toBeUndefined();
    expect(c.get("t", "b", 0)).toBe("B");
    c.clear();
    expect(c.get("t", "b", 0)).toBeUndefined();
    expect(c.get("t", "c", 0)).toBeUndefined();
  });

  it("keeps scopes apart, and its bound holds over all of them", () => {
    const c = new MemoryCache<string>(10);
    c.set("t1", "a", "one", Infinity);
    c.set("t2", "a", "two", Infinity);
    expect(c.get("t1", "a", 0)).toBe("one");
    expect(c.get("t2", "a", 0)).toBe("two");
    expect(c.get("t3", "a", 0)).toBeUndefined();
    for (let t = 0; t < 20; t++) for (let i = 0; i < 5; i++) c.set(`s${t}`, `k${i}`, "x", Infinity);
    let held = 0;
    for (let t = 0; t < 20; t++) for (let i = 0; i < 5; i++) if (c.get(`s${t}`, `k${i}`, 0) !== undefined) held++;
    expect(held).toBeLessThanOrEqual(10);
    expect(c.get("s19", "k4", 0)).toBe("x");
  });

  it("a size of zero holds nothing", () => {
    const c = new MemoryCache<string>(0);
    c.set("t", "a", "A", Infinity);
    expect(c.get("t", "a", 0)).toBeUndefined();
  });
});
