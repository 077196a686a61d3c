import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeForScenario, startSimulator, type RequestLogEntry, type Simulator } from "../../simulator/index.js";
import { DEMO, basic, cardToken, get, post } from "./helpers.js";

describe("simulator control API and counters", () => {
  let sim: Simulator;
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.url}/__simulator/${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
  });
  afterAll(() => sim.close());

  it("counts and logs API requests per endpoint, not control requests", async () => {
    sim.reset();
    const token = await cardToken(sim);
    await get(sim, `/srorastro/v1/objetos?codigosObjetos=${codeForScenario("POSTED")}&codigosObjetos=${codeForScenario("IN_TRANSIT")}&resultado=T`, token);
    await get(sim, "/prazo/v1/nacional/03220?cepOrigem=01310100&cepDestino=13010111", token);
    await control("GET", "counts");
    expect(sim.counts()).toEqual({
      token: 1, tracking: 1, price: 0, deadline: 1, proof: 0, correosEsToken: 0, correosEsTracking: 0, prepost: 0, labels: 0, cep: 0, agencies: 0, total: 3,
    });
    const overHttp = (await (await control("GET", "counts")).json()) as Record<string, number>;
    expect(overHttp).toEqual(sim.counts());

    const log = (await (await control("GET", "requests")).json()) as RequestLogEntry[];
    expect(log.map((e) => [e.endpoint, e.method, e.status])).toEqual([
      ["token", "POST", 201],
      ["tracking", "GET", 200],
      ["deadline", "GET", 200],
    ]);
    expect(log[1]!.path).toBe("/srorastro/v1/objetos");
    expect(log[1]!.query["codigosObjetos"]).toEqual([codeForScenario("POSTED"), codeForScenario("IN_TRANSIT")]);
    expect(log[1]!.query["resultado"]).toBe("T");
    expect(Date.parse(log[0]!.at)).not.toBeNaN();

    expect((await control("POST", "reset")).status).toBe(200);
    expect(sim.counts().total).toBe(0);
    expect(sim.requests()).toEqual([]);
  });

  it("adds accounts and regenerates access codes", async () => {
    const seed = { login: "loja-http", accessCode: "Q".repeat(40), card: "0071111111", contract: "9911111111", apis: [87] };
    expect((await control("POST", "accounts", seed)).status).toBe(201);
    const token = await cardToken(sim, seed);
    expect((await get(sim, `/srorastro/v1/objetos/${codeForScenario("POSTED")}`, token)).status).toBe(200);

    const res = await control("POST", "accounts/loja-http/regenerate");
    const { accessCode } = (await res.json()) as { accessCode: string };
    expect(accessCode).toMatch(/^[A-Za-z0-9]{40}$/);
    expect((await get(sim, `/srorastro/v1/objetos/${codeForScenario("POSTED")}`, token)).status).toBe(401);
    expect((await control("POST", "accounts/ghost/regenerate")).status).toBe(404);
    expect((await control("POST", "accounts", { login: "x" })).status).toBe(400);
  });

  it("sets faults, latency and config over HTTP", async () => {
    const token = await cardToken(sim);
    expect((await control("POST", "faults", { endpoint: "proof", kind: "status", status: 500, times: 1 })).status).toBe(201);
    expect((await control("POST", "faults", { endpoint: "nowhere", kind: "status", status: 500 })).status).toBe(400);
    expect((await get(sim, `/srorastro/v1/ar-digital?objetos=${codeForScenario("DELIVERED")}`, token)).status).toBe(500);
    await control("POST", "faults", { endpoint: "proof", kind: "status", status: 500 });
    expect((await control("DELETE", "faults")).status).toBe(200);
    expect((await get(sim, `/srorastro/v1/ar-digital?objetos=${codeForScenario("DELIVERED")}`, token)).status).toBe(200);

    await control("POST", "latency", { ms: 100 });
    let started = Date.now();
    await control("GET", "counts"); // control requests are never delayed
    expect(Date.now() - started).toBeLessThan(90);
    started = Date.now();
    await get(sim, `/srorastro/v1/objetos/${codeForScenario("DELIVERED")}`, token);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    await control("POST", "latency", { ms: 0 });

    expect((await control("POST", "config", { trackingBatchLimit: 2 })).status).toBe(200);
    const codes = [0, 1, 2].map((n) => codeForScenario("POSTED", n)).join(",");
    const res = await get(sim, `/srorastro/v1/objetos?codigosObjetos=${codes}&resultado=U`, token);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { msgs: string[] }).msgs).toEqual(["SRO-017: Quantidade de objetos excede o limite de 2."]);
    await control("POST", "config", { trackingBatchLimit: 50 });
    expect((await control("POST", "config", { trackingBatchLimit: -1 })).status).toBe(400);
  });

  it("adds CorreosID clients over HTTP", async () => {
    expect((await control("POST", "correos-es/clients", { clientId: "http-client", clientSecret: "s3", scopes: ["TPB"] })).status).toBe(201);
    const res = await fetch(`${sim.url}/Api/Authorize/Token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: basic("http-client", "s3") },
      body: "grant_type=client_credentials&scope=TPB",
    });
    expect(res.status).toBe(200);
  });

  it("answers unknown API paths with a 404 MessageResponse, and wrong methods with 405", async () => {
    const missing = await get(sim, "/nada/v1/coisa");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ path: "/nada/v1/coisa", causa: "Not Found" });
    const wrongMethod = await post(sim, "/srorastro/v1/objetos", {}, await cardToken(sim, DEMO));
    expect(wrongMethod.status).toBe(405);
  });
});
