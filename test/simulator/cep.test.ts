import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATED_RANGES, KNOWN_CEPS, MSG, UNKNOWN_RANGE, generatedCep, startSimulator, type CepAddress, type Simulator } from "../../simulator/index.js";
import { DEMO, NO_PRICE, basic, cardToken, get } from "./helpers.js";

describe("simulator CEP API", () => {
  let sim: Simulator;
  let token: string;
  const one = (cep: string, t = token) => get(sim, `/cep/v2/enderecos/${cep}`, t);

  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
    token = await cardToken(sim);
  });
  afterAll(() => sim.close());

  it("answers a known CEP with the manual's fields", async () => {
    const res = await one("01310100");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      cep: "01310100",
      uf: "SP",
      numeroLocalidade: 9668,
      localidade: "São Paulo",
      logradouro: "Avenida Paulista",
      tipoLogradouro: "Avenida",
      nomeLogradouro: "Paulista",
      complemento: "de 612 a 1510 - lado par",
      abreviatura: "Av Paulista",
      bairro: "Bela Vista",
      tipoCEP: 2,
      cepUnidadeOperacional: "01310970",
      lado: "P",
      numeroInicial: 612,
      numeroFinal: 1510,
    });
    expect(KNOWN_CEPS.size).toBeGreaterThanOrEqual(15);
    const cities = new Set([...KNOWN_CEPS.values()].map((a) => a.localidade));
    for (const city of ["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre", "Recife"]) expect(cities).toContain(city);
    for (const cep of KNOWN_CEPS.keys()) expect((await one(cep)).status).toBe(200);
  });

  it("refuses a CEP with a hyphen or the wrong length (400) and answers an unknown one with 404", async () => {
    for (const bad of ["01310-100", "0131010", "013101000", "ABCDEFGH"]) {
      const res = await one(bad);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ msgs: [MSG.cepInvalid(bad)], causa: "Bad Request" });
    }
    for (const unknown of ["00070555", UNKNOWN_RANGE.from, UNKNOWN_RANGE.to, "00000000", "99999999"]) {
      const res = await one(unknown);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ msgs: [MSG.cepNotFound(unknown)], causa: "Not Found" });
    }
  });

  it("knows 200+ distinct generated CEPs, the same answer every time", async () => {
    const ceps = Array.from({ length: 250 }, (_, n) => generatedCep(n * 397));
    expect(new Set(ceps).size).toBe(250);
    const found: CepAddress[] = [];
    for (let i = 0; i < ceps.length; i += 50) {
      const res = await get(sim, `/cep/v2/enderecos?${ceps.slice(i, i + 50).map((c) => `cep=${c}`).join("&")}`, token);
      expect(res.status).toBe(200);
      found.push(...((await res.json()) as { itens: CepAddress[] }).itens);
    }
    expect(found.map((a) => a.cep)).toEqual(ceps);
    for (const a of found) {
      expect(a.logradouro).toBe(`${a.tipoLogradouro} ${a.nomeLogradouro}`);
      expect(a.bairro.length).toBeGreaterThan(0);
    }
    expect(await (await one(ceps[7]!)).json()).toEqual(found[7]);
    const last = GENERATED_RANGES.at(-1)!;
    expect((await one(last.to)).status).toBe(200);
    expect((await one(String(Number(last.to) + 1).padStart(8, "0"))).status).toBe(404);
  });

  it("answers several CEPs at once, leaving unknown ones out", async () => {
    const res = await get(sim, "/cep/v2/enderecos?cep=01310100&cep=00070555&cep=20040002", token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { itens: CepAddress[] };
    expect(body.itens.map((a) => [a.cep, a.localidade])).toEqual([["01310100", "São Paulo"], ["20040002", "Rio de Janeiro"]]);
    expect((await get(sim, "/cep/v2/enderecos?cep=01310-100&cep=20040002", token)).status).toBe(400);
    const none = await get(sim, "/cep/v2/enderecos", token);
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ msgs: [MSG.cepNone] });
    const tooMany = await get(sim, `/cep/v2/enderecos?${Array(51).fill("cep=01310100").join("&")}`, token);
    expect(await tooMany.json()).toMatchObject({ msgs: [MSG.cepTooMany(50)] });
  });

  it("needs api 41 on the token; a contract token with it is fine", async () => {
    expect((await get(sim, "/cep/v2/enderecos/01310100")).status).toBe(401);
    const restricted = await one("01310100", await cardToken(sim, NO_PRICE));
    expect(restricted.status).toBe(403);
    expect(await restricted.json()).toMatchObject({ msgs: [MSG.apiNotAuthorized] });
    const contract = await fetch(`${sim.url}/token/v1/autentica/contrato`, {
      method: "POST",
      headers: { Authorization: basic(DEMO.login, DEMO.accessCode), "Content-Type": "application/json" },
      body: JSON.stringify({ numero: DEMO.contract }),
    });
    expect((await one("01310100", ((await contract.json()) as { token: string }).token)).status).toBe(200);
  });

  it("counts CEP calls under cep, and faults apply to them", async () => {
    sim.reset();
    await one("01310100");
    await get(sim, "/cep/v2/enderecos?cep=01310100", token);
    expect(sim.counts()).toMatchObject({ cep: 2, total: 2 });
    sim.addFault({ endpoint: "cep", kind: "hang", times: 1 });
    await expect(get(sim, "/cep/v2/enderecos/01310100", token, AbortSignal.timeout(150))).rejects.toThrow(/abort|timeout/i);
    expect((await one("01310100")).status).toBe(200);
  });
});
