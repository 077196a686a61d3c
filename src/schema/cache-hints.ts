// Cache hints from what the resolvers returned, not from a hook on every field: a resolver that hands out cached data
// says how long it stays fresh here and whether it belongs to one client; the answer is cacheable for the least of
// those, and private when any part is. Apollo's cache-control plugin does this per field and cost ≈5 % of the warm
// path; this costs one call per entity. src/http/cache-control.ts turns the result into the Cache-Control header.
//
// Safe by default: a root field whose resolver says nothing makes the whole answer uncacheable. Each root object, each
// item of a root list and each entity of `_entities` needs a hint from its root resolver (one given with `info`);
// nested resolvers that add data of their own (a proof, a return) narrow the hint without `info`.
import type { GraphQLResolveInfo } from "graphql";

export type CacheScope = "PUBLIC" | "PRIVATE";

export interface CachePolicy {
  maxAge: number;
  scope: CacheScope;
}

export class CacheHints {
  private maxAge = Number.POSITIVE_INFINITY;
  private scope: CacheScope = "PUBLIC";
  /** Hints given by root resolvers, by response key. */
  private readonly roots = new Map<string, number>();

  /** `now` is read once per request: every entity's remaining freshness is counted from the same instant. */
  constructor(readonly now = Date.now()) {}

  /** Data that stays fresh until `freshUntil` (epoch ms); stale data (freshUntil in the past) makes the answer uncacheable. */
  until(freshUntil: number, scope: CacheScope, info?: GraphQLResolveInfo, items = 1): void {
    this.add(Math.floor((freshUntil - this.now) / 1000), scope, info, items);
  }

  /**
   * Data that stays fresh this many seconds; `Infinity` adds no limit (a reference that only echoes its key). `items`:
   * how many items of a root list this one hint covers (a list resolver hints all of them at once).
   */
  add(maxAgeSeconds: number, scope: CacheScope, info?: GraphQLResolveInfo, items = 1): void {
    if (maxAgeSeconds < this.maxAge) this.maxAge = Math.max(0, maxAgeSeconds);
    if (scope === "PRIVATE") this.scope = "PRIVATE";
    if (info && info.path.prev === undefined) {
      const key = String(info.path.key);
      this.roots.set(key, (this.roots.get(key) ?? 0) + items);
    }
  }

  /** The policy for an answer's data, or undefined when some part of it said nothing (or nothing may be kept). */
  policyFor(data: Record<string, unknown> | null | undefined): CachePolicy | undefined {
    if (!data || !Number.isFinite(this.maxAge) || this.maxAge <= 0) return undefined;
    for (const key of Object.keys(data)) {
      if (key === "__typename") continue;
      const value = data[key];
      const needed = Array.isArray(value) ? Math.max(1, value.length) : 1;
      if ((this.roots.get(key) ?? 0) < needed) return undefined;
    }
    return { maxAge: this.maxAge, scope: this.scope };
  }
}
