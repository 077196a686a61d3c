// The BullMQ job engine against a real Redis: the contract both engines keep (run on the embedded engine too, so the
// two are held to the same suite), then what only a shared engine has to do: two engines on one Redis run each job
// once, and a job whose worker process was killed mid-run runs again on the other one.
// Needs Redis: REDIS_URL (default redis://127.0.0.1:6379; database 11 is used). Without it these tests are skipped
// locally (start one with `redis-server --port 6379`), and fail in CI (CI=true), which must run them.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { openBullmqEngine, type BullmqEngineOptions } from "../src/jobs/bullmq.js";
import { EmbeddedJobEngine } from "../src/jobs/embedded.js";
import type { JobEngine } from "../src/jobs/engine.js";
import { openStore, type Store } from "../src/store/open-store.js";
import { deferred, jobEngineContract } from "./helpers/job-engine-contract.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DB_URL = Object.assign(new URL(REDIS_URL), { pathname: "/11" }).toString();
const truthy = (v: string | undefined) => !!v && !["0", "false", "no"].includes(v.toLowerCase());
const required = truthy(process.env.CI) || truthy(process.env.REQUIRE_REDIS);

function redisReachable(): Promise<boolean> {
  const u = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const s = connect({ host: u.hostname, port: Number(u.port || 6379) });
    s.setTimeout(1000);
    s.once("connect", () => (s.end(), resolve(true)));
    s.once("error", () => resolve(false));
    s.once("timeout", () => (s.destroy(), resolve(false)));
  });
}

const available = await redisReachable();
if (!available && required) {
  throw new Error(`Redis is required here (CI=true or REQUIRE_REDIS=1) but ${REDIS_URL} is not reachable. Start one: redis-server --port 6379`);
}
if (!available) console.warn(`Skipping the BullMQ job engine tests: ${REDIS_URL} is not reachable. Run them with a Redis server (redis-server --port 6379) or set REDIS_URL.`);

/** Every prefix a test used, so only our own keys are deleted afterwards. */
const prefixes: string[] = [];
const newPrefix = () => {
  const p = `test-jobs-${randomUUID().slice(0, 8)}`;
  prefixes.push(p);
  return p;
};

async function deleteKeys(prefix: string): Promise<void> {
  const r = new Redis(DB_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
}

const stores: Store[] = [];
afterAll(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  if (available) for (const p of prefixes) await deleteKeys(p);
});

jobEngineContract("embedded", async () => {
  const store = await openStore("memory://");
  stores.push(store);
  return () => EmbeddedJobEngine.open(store.ns("jobs"));
});

describe.skipIf(!available)("BullMQ job engine", () => {
  jobEngineContract("bullmq", async () => {
    const prefix = newPrefix();
    return () => openBullmqEngine(DB_URL, undefined, { prefix });
  });

  const engines: JobEngine[] = [];
  const open = async (o: BullmqEngineOptions) => {
    const e = await openBullmqEngine(DB_URL, undefined, o);
    engines.push(e);
    return e;
  };
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });

  it("refuses a job id with ':' (BullMQ would)", async () => {
    const engine = await open({ prefix: newPrefix() });
    await expect(engine.queue("q").add("a:b", null)).rejects.toThrow(/':'/);
  });

  it("two engines on one Redis: 200 jobs, each run exactly once across both", async () => {
    const prefix = newPrefix();
    const [e1, e2] = await Promise.all([open({ prefix }), open({ prefix })]);
    const q1 = e1.queue<number>("q");
    const q2 = e2.queue<number>("q");
    const runs = new Map<string, string[]>();
    const handler = (who: string) => async (job: { id: string }) => {
      runs.set(job.id, [...(runs.get(job.id) ?? []), who]);
    };
    q1.work(handler("one"), { concurrency: 4 });
    q2.work(handler("two"), { concurrency: 4 });
    const ids = Array.from({ length: 200 }, (_, i) => `job.${i}`);
    // Both engines add every id: one add of each wins.
    const added = await Promise.all(ids.flatMap((id, i) => [q1.add(id, i), q2.add(id, i)]));
    expect(added.filter(Boolean)).toHaveLength(200);
    await vi.waitFor(() => expect(runs.size).toBe(200), { timeout: 20_000, interval: 50 });
    await vi.waitFor(async () => expect(await q1.size()).toBe(0), { timeout: 5_000, interval: 50 });
    expect([...runs.values()].filter((r) => r.length !== 1)).toEqual([]);
  });

  it("a job whose worker process was killed mid-run runs again on the other engine", async () => {
    const prefix = newPrefix();
    // The other process: one engine whose handler announces the job and never finishes; then it is killed (SIGKILL).
    const script = `
      import { openBullmqEngine } from "./src/jobs/bullmq.ts";
      const engine = await openBullmqEngine(${JSON.stringify(DB_URL)}, undefined, { prefix: ${JSON.stringify(prefix)}, lockDurationMs: 1000, stalledIntervalMs: 500 });
      engine.queue("q").work(async (job) => { console.log("running " + job.id + " " + job.attempt); await new Promise(() => {}); }, { concurrency: 1 });
      console.log("ready");
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    try {
      await vi.waitFor(() => expect(out).toContain("ready"), { timeout: 20_000, interval: 50 });
      const engine = await open({ prefix, lockDurationMs: 1000, stalledIntervalMs: 300 });
      const q = engine.queue<string>("q");
      await q.add("delivery.1", "payload");
      await vi.waitFor(() => expect(out).toContain("running delivery.1 1"), { timeout: 10_000, interval: 50 });
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      const ran = deferred<{ id: string; attempt: number; data: string }>();
      q.work(async (job) => ran.resolve(job), { concurrency: 1 });
      const job = await ran.promise;
      expect(job).toMatchObject({ id: "delivery.1", attempt: 1, data: "payload" });
      await vi.waitFor(async () => expect(await q.size()).toBe(0), { timeout: 5_000, interval: 50 });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});
