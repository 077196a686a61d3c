import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { codeForScenario, startSimulator, MSG, type Simulator } from "../../simulator/index.js";
import { cardToken, get } from "./helpers.js";

describe("simulator faults", () => {
  let sim: Simulator;
  let token: string;
  const track = (signal?: AbortSignal) => get(sim, `/srorastro/v1/objetos/${codeForScenario("DELIVERED")}`, token, signal);

  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
    token = await cardToken(sim);
  });
  afterEach(() => sim.clearFaults());
  afterAll(() => sim.close());

  it("status: answers the given status once, then recovers", async () => {
    sim.addFault({ endpoint: "tracking", kind: "status", status: 503, times: 1 });
    const failed = await track();
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ msgs: [MSG.simulatedFailure(503)], causa: "Service Unavailable" });
    expect((await track()).status).toBe(200);
  });

  it("status: sends a custom body, and only to the targeted endpoint", async () => {
    sim.addFault({ endpoint: "price", kind: "status", status: 500, body: { oops: true } });
    expect((await track()).status).toBe(200);
    const res = await get(sim, "/preco/v1/nacional/03298?cepOrigem=01310100&cepDestino=13010111&psObjeto=300", token);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ oops: true });
  });

  it("rate-limit: 429 with Retry-After when given", async () => {
    sim.addFault({ endpoint: "*", kind: "rate-limit", retryAfterSeconds: 2, times: 1 });
    sim.addFault({ endpoint: "*", kind: "rate-limit", times: 1 });
    const first = await track();
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("2");
    const second = await track();
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBeNull();
    expect((await track()).status).toBe(200);
  });

  it("hang: never answers", async () => {
    sim.addFault({ endpoint: "tracking", kind: "hang", times: 1 });
    await expect(track(AbortSignal.timeout(150))).rejects.toThrow(/abort|timeout/i);
    expect((await track()).status).toBe(200);
  });

  it("malformed: 200 with a body that is not JSON", async () => {
    sim.addFault({ endpoint: "tracking", kind: "malformed", times: 1 });
    const res = await track();
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it("truncated: half a body, then the connection drops", async () => {
    sim.addFault({ endpoint: "tracking", kind: "truncated", times: 1 });
    await expect(track().then((r) => r.text())).rejects.toThrow();
  });

  it("huge: about 20 MB of valid JSON", async () => {
    sim.addFault({ endpoint: "tracking", kind: "huge", times: 1 });
    const res = await track();
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    expect(() => JSON.parse(bytes.toString("utf8"))).not.toThrow();
  });

  it("reset: the socket is destroyed at once", async () => {
    sim.addFault({ endpoint: "tracking", kind: "reset", times: 1 });
    await expect(track()).rejects.toThrow();
    expect((await track()).status).toBe(200);
  });

  it("latency: delays matching requests, alone or with the simulator latency", async () => {
    sim.addFault({ endpoint: "tracking", kind: "latency", ms: 120, times: 1 });
    let started = Date.now();
    expect((await track()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    sim.setLatency(80);
    try {
      started = Date.now();
      await track();
      expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    } finally {
      sim.setLatency(0);
    }
  });

  it("counts and logs faulted requests", async () => {
    sim.reset();
    sim.addFault({ endpoint: "tracking", kind: "status", status: 502, times: 2 });
    await track();
    await track();
    await track();
    expect(sim.counts()).toMatchObject({ tracking: 3, total: 3 });
    expect(sim.requests().map((r) => r.status)).toEqual([502, 502, 200]);
  });
});

describe("simulator close", () => {
  it("does not wait for hanging or keep-alive connections", async () => {
    const sim = await startSimulator({ tokenRatePerSecond: 0 });
    const token = await cardToken(sim);
    sim.addFault({ endpoint: "*", kind: "hang" });
    const pending = get(sim, `/srorastro/v1/objetos/${codeForScenario("DELIVERED")}`, token).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
