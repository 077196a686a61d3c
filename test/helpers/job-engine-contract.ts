// The behaviours every job engine keeps (src/jobs/engine.ts), as one suite each engine's test file runs with its own
// way of opening an engine: order, idempotent add, rescheduling with the attempt number, get/size/remove, and a job
// removed while it runs.
import { afterEach, describe, expect, it } from "vitest";
import type { JobEngine } from "../../src/jobs/engine.js";

export function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * `backing` makes empty queues (a new store, a new key prefix) and answers how to open an engine on them: each test
 * opens one, and, after closing it, a second one on the same queues to see what the first left.
 */
export function jobEngineContract(name: string, backing: () => Promise<() => Promise<JobEngine>>): void {
  describe(`${name}: the job engine contract`, () => {
    const engines: JobEngine[] = [];
    let open: () => Promise<JobEngine>;
    const fresh = async () => {
      open = await backing();
      return again();
    };
    /** Another engine on the queues of the last `fresh()`. */
    const again = async () => {
      const e = await open();
      engines.push(e);
      return e;
    };
    afterEach(async () => {
      await Promise.all(engines.splice(0).map((e) => e.close()));
    });

    it("runs due jobs most overdue first, once each, and an add of a scheduled id changes nothing", async () => {
      const engine = await fresh();
      const q = engine.queue<{ n: number }>("q");
      const now = Date.now();
      expect(await q.add("b", { n: 2 }, now - 1000)).toBe(true);
      expect(await q.add("a", { n: 1 }, now - 5000)).toBe(true);
      expect(await q.add("c", { n: 3 }, now - 10)).toBe(true);
      expect(await q.add("a", { n: 99 }, now)).toBe(false);
      expect(await q.add("later", { n: 4 }, now + 3_600_000)).toBe(true);
      expect(await q.size()).toBe(4);
      const seen: number[] = [];
      const done = deferred();
      q.work(
        async (job) => {
          seen.push(job.data.n);
          if (seen.length === 3) done.resolve();
        },
        { concurrency: 1 },
      );
      await done.promise;
      await engine.close(); // waits for the run in progress
      expect(seen).toEqual([1, 2, 3]);
      const after = (await again()).queue<{ n: number }>("q");
      expect(await after.size()).toBe(1);
      expect(await after.get("later")).toEqual({ data: { n: 4 }, attempt: 1, runAt: now + 3_600_000 });
    });

    it("keeps a job that asks to run again, with its new data and the next attempt number", async () => {
      const engine = await fresh();
      const q = engine.queue<{ step: number }>("q");
      await q.add("j", { step: 0 });
      const attempts: Array<[number, number]> = [];
      const done = deferred();
      q.work(
        async (job) => {
          attempts.push([job.attempt, job.data.step]);
          if (job.data.step < 2) return { runAt: Date.now(), data: { step: job.data.step + 1 } };
          done.resolve();
        },
        { concurrency: 4 },
      );
      await done.promise;
      await engine.close();
      expect(attempts).toEqual([
        [1, 0],
        [2, 1],
        [3, 2],
      ]);
      expect(await (await again()).queue("q").size()).toBe(0);
    });

    it("a job that throws ends (its id can be scheduled again); a rescheduled job keeps its data when none is given", async () => {
      const engine = await fresh();
      const q = engine.queue<string>("q");
      await q.add("boom", "x");
      await q.add("again", "kept");
      const seen: string[] = [];
      const done = deferred();
      q.work(
        async (job) => {
          seen.push(`${job.id}:${job.attempt}:${job.data}`);
          if (job.id === "boom") throw new Error("handler failed");
          if (job.attempt === 1) return { runAt: Date.now() };
          done.resolve();
        },
        { concurrency: 1 },
      );
      await done.promise;
      await engine.close();
      expect(seen).toContain("boom:1:x");
      expect(seen).toContain("again:2:kept");
      expect(seen.filter((s) => s.startsWith("boom"))).toHaveLength(1);
      const after = (await again()).queue<string>("q");
      expect(await after.size()).toBe(0);
      expect(await after.add("boom", "y")).toBe(true);
    });

    it("get, size and remove of scheduled jobs; a removed id can be added again", async () => {
      const engine = await fresh();
      const q = engine.queue<{ v: number }>("q");
      const at = Date.now() + 3_600_000;
      await q.add("x", { v: 1 }, at);
      await q.add("y", { v: 2 }, at + 1);
      expect(await q.get("x")).toEqual({ data: { v: 1 }, attempt: 1, runAt: at });
      expect(await q.get("nope")).toBeUndefined();
      await q.remove("x");
      await q.remove("nope");
      expect(await q.get("x")).toBeUndefined();
      expect(await q.size()).toBe(1);
      expect(await q.add("x", { v: 3 }, at)).toBe(true);
      expect((await q.get("x"))?.data).toEqual({ v: 3 });
      expect(await q.size()).toBe(2);
    });

    it("a job removed while it runs is not rescheduled", async () => {
      const engine = await fresh();
      const q = engine.queue<null>("q");
      await q.add("j", null);
      const inside = deferred();
      const release = deferred();
      let runs = 0;
      q.work(
        async () => {
          runs++;
          inside.resolve();
          await release.promise;
          return { runAt: Date.now() };
        },
        { concurrency: 1 },
      );
      await inside.promise;
      await q.remove("j");
      expect(await q.get("j")).toBeUndefined();
      release.resolve();
      await engine.close();
      expect(runs).toBe(1);
      const after = (await again()).queue<null>("q");
      expect(await after.size()).toBe(0);
      expect(await after.add("j", null)).toBe(true);
    });

    it("queues are separate: the same id in two queues is two jobs", async () => {
      const engine = await fresh();
      const a = engine.queue<string>("watch-poll");
      const b = engine.queue<string>("webhook-delivery");
      const at = Date.now() + 3_600_000;
      expect(await a.add("same", "a", at)).toBe(true);
      expect(await b.add("same", "b", at)).toBe(true);
      expect((await a.get("same"))?.data).toBe("a");
      expect((await b.get("same"))?.data).toBe("b");
    });
  });
}
