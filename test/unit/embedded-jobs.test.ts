// The embedded job engine against a real SQLite store: order, idempotent add, rescheduling, and what a new process
// finds after the old one stopped mid-run.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EmbeddedJobEngine } from "../../src/jobs/embedded.js";
import { openStore, type Store } from "../../src/store/open-store.js";

const open: Store[] = [];
async function sqlite(path: string): Promise<Store> {
  const s = await openStore(`sqlite://${path}`);
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("embedded job engine", () => {
  it("runs due jobs most overdue first, once each, and an add of a scheduled id changes nothing", async () => {
    const store = await sqlite(join(mkdtempSync(join(tmpdir(), "jobs-")), "s.sqlite"));
    const engine = await EmbeddedJobEngine.open(store.ns("jobs"));
    const q = engine.queue<{ n: number }>("q");
    const now = Date.now();
    expect(await q.add("b", { n: 2 }, now - 1000)).toBe(true);
    expect(await q.add("a", { n: 1 }, now - 5000)).toBe(true);
    expect(await q.add("c", { n: 3 }, now - 10)).toBe(true);
    expect(await q.add("a", { n: 99 }, now)).toBe(false);
    expect(await q.add("later", { n: 4 }, now + 3_600_000)).toBe(true);
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
    expect(await q.size()).toBe(1);
    expect((await q.get("later"))?.data).toEqual({ n: 4 });
  });

  it("keeps a job that asks to run again, with its new data and the next attempt number", async () => {
    const store = await openStore("memory://");
    open.push(store);
    const engine = await EmbeddedJobEngine.open(store.ns("jobs"));
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
    expect(attempts).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
    ]);
    await engine.close();
    expect(await q.size()).toBe(0);
  });

  it("a new process on the same file runs what the old one left: scheduled jobs, and the one it was running", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "jobs-")), "s.sqlite");
    const first = await sqlite(path);
    const engine1 = await EmbeddedJobEngine.open(first.ns("jobs"));
    const q1 = engine1.queue<string>("deliver");
    await q1.add("x", "running when the process died");
    await q1.add("y", "not yet due", Date.now() + 3_600_000);
    const started = deferred();
    q1.work(async () => {
      started.resolve();
      await new Promise(() => undefined); // never ends: the process "dies" here
    }, { concurrency: 1 });
    await started.promise;
    // No close of engine1: its run never finished, as after a kill -9. The store's writes were acknowledged.
    const second = await sqlite(path);
    const engine2 = await EmbeddedJobEngine.open(second.ns("jobs"));
    const q2 = engine2.queue<string>("deliver");
    expect(await q2.size()).toBe(2);
    const ran = deferred<string>();
    q2.work(async (job) => ran.resolve(job.id), { concurrency: 1 });
    expect(await ran.promise).toBe("x");
    expect((await q2.get("y"))?.data).toBe("not yet due");
  });

  it("a job removed while it runs is not rescheduled", async () => {
    const store = await openStore("memory://");
    open.push(store);
    const engine = await EmbeddedJobEngine.open(store.ns("jobs"));
    const q = engine.queue<null>("q");
    await q.add("j", null);
    const inside = deferred();
    const release = deferred();
    q.work(async () => {
      inside.resolve();
      await release.promise;
      return { runAt: Date.now() };
    }, { concurrency: 1 });
    await inside.promise;
    await q.remove("j");
    release.resolve();
    await engine.close();
    expect(await q.size()).toBe(0);
    expect(await q.add("j", null)).toBe(true);
  });
});
