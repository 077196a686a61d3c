// The gate: an endpoint's requests held until released, with the held count readable, so tests order events
// through the simulator instead of sleeping.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { codeForScenario, startSimulator, type Simulator } from "../../simulator/index.js";
import { cardToken, get } from "./helpers.js";

describe("simulator gate", () => {
  let sim: Simulator;
  let token: string;
  const track = (signal?: AbortSignal) => get(sim, `/srorastro/v1/objetos/${codeForScenario("DELIVERED")}`, token, signal);
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.url}/__simulator/${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
    token = await cardToken(sim);
  });
  afterEach(() => sim.reset());
  afterAll(() => sim.close());

  it("holds requests of the closed endpoint only, counted on arrival, until released oldest first", async () => {
    sim.closeGate("tracking");
    const held: Array<Promise<Response>> = [];
    // Request n+1 is sent once request n is held, so the arrival order is known.
    for (let n = 1; n <= 3; n++) {
      held.push(track());
      await sim.whenHeld("tracking", n);
    }
    expect(sim.gateStatus("tracking")).toEqual({ endpoint: "tracking", closed: true, held: 3 });
    expect(sim.counts().tracking).toBe(3);
    expect((await get(sim, "/prazo/v1/nacional/03220?cepOrigem=01310100&cepDestino=13010111", token)).status).toBe(200);

    expect(sim.releaseGate("tracking", 1)).toBe(1);
    expect((await held[0]!).status).toBe(200);
    expect(sim.gateStatus("tracking").held).toBe(2);
    sim.openGate("tracking");
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(sim.gateStatus("tracking")).toEqual({ endpoint: "tracking", closed: false, held: 0 });
    expect((await track()).status).toBe(200);
  });

  it("faults apply after the release, and a request whose client gave up leaves the gate", async () => {
    sim.closeGate("tracking");
    const abort = new AbortController();
    const gone = track(abort.signal).catch((e: Error) => e.name);
    await sim.whenHeld("tracking", 1);
    abort.abort();
    expect(await gone).toBe("AbortError");
    await expect.poll(() => sim.gateStatus("tracking").held).toBe(0);
    // The fault was not used up by the request that left: it answers the next one, once released.
    sim.addFault({ endpoint: "tracking", kind: "status", status: 503, times: 1 });
    const kept = track();
    await sim.whenHeld("tracking", 1);
    sim.openGate("tracking");
    expect((await kept).status).toBe(503);
    expect((await track()).status).toBe(200);
  });

  it("is driven over HTTP: close, wait for the N-th held request, release some, open", async () => {
    expect(await (await control("POST", "gate/tracking", { closed: true })).json()).toEqual({ endpoint: "tracking", closed: true, held: 0 });
    const held = [track(), track()];
    const waited = (await (await control("GET", "gate/tracking?atLeast=2")).json()) as { held: number };
    expect(waited.held).toBe(2);
    expect(await (await control("POST", "gate/tracking/release", { count: 1 })).json()).toEqual({ endpoint: "tracking", closed: true, held: 1, released: 1 });
    expect((await held[0]!).status).toBe(200);
    expect(await (await control("POST", "gate/tracking", { closed: false })).json()).toEqual({ endpoint: "tracking", closed: false, held: 0 });
    expect((await held[1]!).status).toBe(200);
    // A wait that is not met answers with the count reached, after its timeout.
    expect(await (await control("GET", "gate/tracking?atLeast=1&timeoutMs=0")).json()).toEqual({ endpoint: "tracking", closed: false, held: 0 });
    expect((await control("POST", "gate/nowhere", { closed: true })).status).toBe(404);
    expect((await control("POST", "gate/tracking", { closed: "yes" })).status).toBe(400);
  });

  it("reset lets every held request go", async () => {
    sim.closeGate("price");
    const held = get(sim, "/preco/v1/nacional/03298?cepOrigem=01310100&cepDestino=13010111&psObjeto=300", token);
    await sim.whenHeld("price", 1);
    sim.reset();
    expect((await held).status).toBe(200);
    expect(sim.gateStatus("price").closed).toBe(false);
  });
});
