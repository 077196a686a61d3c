import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTrackingCode, parseTrackingCode } from "../../src/correios/domain/formats.js";
import { CorreiosHttpClient } from "../../src/upstream/http-client.js";
import { TrackingClient } from "../../src/correios/client/tracking.js";
import { codeForScenario, historyOf, scenarioOf, startSimulator, MSG, type Scenario, type Simulator } from "../../simulator/index.js";
import { INVALID_OBJECT_PREFIX, invalidObjectCode } from "../../simulator/tracking-histories.js";
import { LOCAL_DATE_TIME, NO_API, NO_PRICE, cardToken, get } from "./helpers.js";

interface Event {
  codigo: string;
  tipo: string;
  dtHrCriado: string;
  descricao: string;
  detalhe?: string;
  dtLimiteRetirada?: string;
  urlIcone: string;
  unidade: { tipo: string; nome?: string; endereco: { cidade?: string; uf: string } };
  unidadeDestino?: { tipo: string; endereco: { cidade?: string; uf: string } };
}
interface TrackedObject {
  codObjeto: string;
  mensagem?: string;
  dtPrevista?: string;
  tipoPostal?: { sigla: string; descricao: string; categoria: string };
  eventos?: Event[];
}
interface TrackingBody {
  versao: string;
  quantidade: number;
  resultado: string;
  objetos: TrackedObject[];
}

const NEWEST: Record<Exclude<Scenario, "NOT_FOUND">, { codigo: string; tipo: string; count: number }> = {
  DELIVERED: { codigo: "BDE", tipo: "01", count: 5 },
  IN_TRANSIT: { codigo: "RO", tipo: "01", count: 3 },
  POSTED: { codigo: "PO", tipo: "01", count: 1 },
  OUT_FOR_DELIVERY: { codigo: "OEC", tipo: "01", count: 4 },
  AWAITING_PICKUP: { codigo: "LDI", tipo: "01", count: 4 },
  DELIVERY_FAILED: { codigo: "BDE", tipo: "20", count: 5 },
  RETURNED: { codigo: "BDE", tipo: "23", count: 6 },
};

describe("simulator tracking API", () => {
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
    token = await cardToken(sim);
  });
  afterAll(() => sim.close());

  it("maps the last serial digit to a scenario and builds valid codes", () => {
    expect(scenarioOf(buildTrackingCode("AA", "12345670"))).toBe("DELIVERED");
    expect(scenarioOf(buildTrackingCode("AA", "12345672"))).toBe("DELIVERED");
    expect(scenarioOf(buildTrackingCode("QB", "12345679"))).toBe("NOT_FOUND");
    expect(scenarioOf("AA123456789BR")).toBeUndefined();
    for (const s of Object.keys(NEWEST) as Scenario[]) {
      expect(scenarioOf(codeForScenario(s, 7))).toBe(s);
      expect(scenarioOf(codeForScenario(s, 42, "QB"))).toBe(s);
    }
  });

  it("answers a batch with every scenario, in request order, events newest first", async () => {
    const scenarios = [...(Object.keys(NEWEST) as Exclude<Scenario, "NOT_FOUND">[])];
    const codes = scenarios.map((s, i) => codeForScenario(s, i + 3));
    const notFound = codeForScenario("NOT_FOUND", 1);
    const query = [...codes, notFound, "AA123456789BR", codes[0]!].map((c) => `codigosObjetos=${c}`).join("&");
    const res = await get(sim, `/srorastro/v1/objetos?${query}&resultado=T`, token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TrackingBody;
    expect(body).toMatchObject({ versao: "3.5.38", quantidade: codes.length + 3, resultado: "Todos os Eventos" });
    expect(body).not.toHaveProperty("tipoResultado");
    expect(body.objetos.map((o) => o.codObjeto)).toEqual([...codes, notFound, "AA123456789BR", codes[0]]);

    scenarios.forEach((scenario, i) => {
      const object = body.objetos[i]!;
      const want = NEWEST[scenario];
      const events = object.eventos!;
      expect(events, scenario).toHaveLength(want.count);
      expect([events[0]!.codigo, events[0]!.tipo], scenario).toEqual([want.codigo, want.tipo]);
      expect(events.at(-1)!.codigo).toBe("PO");
      const times = events.map((e) => e.dtHrCriado);
      times.forEach((t) => expect(t).toMatch(LOCAL_DATE_TIME));
      expect([...times].sort().reverse()).toEqual(times);
      // Kept after delivery too, as in the manual's example.
      expect(object.dtPrevista, scenario).toMatch(LOCAL_DATE_TIME);
      for (const e of events) expect(e.urlIcone).toMatch(/^\/public-resources\/img\/[a-z-]+\.png$/);
      expect(object.tipoPostal).toEqual({ sigla: "AA", descricao: "ETIQUETA LOGICA SEDEX", categoria: "SEDEX" });
      for (const e of events) if (e.codigo === "RO") expect(e.unidadeDestino?.endereco.uf).toMatch(/^[A-Z]{2}$/);
    });
    const pickup = body.objetos[scenarios.indexOf("AWAITING_PICKUP")]!.eventos![0]!;
    expect(pickup.detalhe).toContain("AC ");
    expect(pickup.dtLimiteRetirada).toMatch(LOCAL_DATE_TIME);
    const returned = body.objetos[scenarios.indexOf("RETURNED")]!.eventos!;
    expect(returned.map((e) => `${e.codigo}/${e.tipo}`)).toContain("FC/01");

    expect(body.objetos[codes.length]).toEqual({ codObjeto: notFound, mensagem: MSG.objectNotFound });
    expect(body.objetos[codes.length + 1]).toEqual({ codObjeto: "AA123456789BR", mensagem: MSG.objectInvalid });
  });

  it("derives times from the code alone", async () => {
    const code = codeForScenario("DELIVERED", 0);
    const a = (await (await get(sim, `/srorastro/v1/objetos/${code}`, token)).json()) as TrackingBody;
    const b = (await (await get(sim, `/srorastro/v1/objetos/${code}?resultado=T`, token)).json()) as TrackingBody;
    expect(a).toEqual(b);
    expect(a.resultado).toBe("Todos os Eventos");
    expect(a.objetos[0]!.eventos!.at(-1)!.dtHrCriado).toBe("2026-11-02T08:00:00");
  });

  it("honours resultado U and P, and defaults a batch to U", async () => {
    const code = codeForScenario("DELIVERED", 5);
    const last = (await (await get(sim, `/srorastro/v1/objetos?codigosObjetos=${code}`, token)).json()) as TrackingBody;
    expect(last.resultado).toBe("Último Evento");
    expect(last.objetos[0]!.eventos!.map((e) => e.codigo)).toEqual(["BDE"]);
    const first = (await (await get(sim, `/srorastro/v1/objetos/${code}?resultado=P`, token)).json()) as TrackingBody;
    expect(first.resultado).toBe("Primeiro Evento");
    expect(first.objetos[0]!.eventos!.map((e) => e.codigo)).toEqual(["PO"]);
  });

  it("accepts comma-joined codes", async () => {
    const codes = [codeForScenario("POSTED", 1), codeForScenario("IN_TRANSIT", 1)];
    const body = (await (await get(sim, `/srorastro/v1/objetos?codigosObjetos=${codes.join(",")}&resultado=U`, token)).json()) as TrackingBody;
    expect(body.objetos.map((o) => o.codObjeto)).toEqual(codes);
  });

  it("answers the manual's shapes: OEC/03 with a CRLF detalhe, units without names, units abroad", async () => {
    // An odd 6th serial digit (n = 10) gives OEC/03; a country other than BR, a parcel that starts abroad.
    const route = codeForScenario("OUT_FOR_DELIVERY", 10);
    const inbound = codeForScenario("IN_TRANSIT", 5, "LX", "HK");
    const body = (await (await get(sim, `/srorastro/v1/objetos?codigosObjetos=${route}&codigosObjetos=${inbound}&resultado=T`, token)).json()) as TrackingBody;
    const [out, ...beforeOut] = body.objetos[0]!.eventos!;
    expect(out).toMatchObject({ codigo: "OEC", tipo: "03", descricao: "Objeto em rota de entrega" });
    expect(out!.detalhe).toMatch(/\r\n$/);
    for (const e of [out!, ...beforeOut]) expect(e.unidade).not.toHaveProperty("nome");

    const abroad = body.objetos[1]!.eventos!;
    expect(abroad.map((e) => `${e.codigo}/${e.tipo}`)).toEqual(["RO/01", "PAR/16", "RO/01", "PO/01"]);
    expect(abroad.at(-1)!.unidade).toEqual({ tipo: "País", endereco: { uf: "HK" } });
    expect(abroad.at(-2)!.unidadeDestino).toEqual({ tipo: "País", endereco: { uf: "BR" } });
    expect(abroad[1]!.unidade.endereco.cidade).toBeDefined();
  });

  it("refuses more codes than the batch limit", async () => {
    const codes = Array.from({ length: 51 }, (_, i) => codeForScenario("DELIVERED", i));
    const res = await get(sim, `/srorastro/v1/objetos?${codes.map((c) => `codigosObjetos=${c}`).join("&")}&resultado=T`, token);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { msgs: string[] }).msgs).toEqual(["SRO-017: Quantidade de objetos excede o limite de 50."]);
    const fifty = await get(sim, `/srorastro/v1/objetos?codigosObjetos=${codes.slice(0, 50).join(",")}&resultado=U`, token);
    expect(fifty.status).toBe(200);
  });

  it("answers SRO-019 for well-formed XX codes, and only for those", async () => {
    const invalid = [invalidObjectCode(0), invalidObjectCode(1), invalidObjectCode(12_345_678), buildTrackingCode("xx", 42)];
    expect(invalid[1]).toBe("XX000000014BR");
    for (const code of invalid) {
      expect(parseTrackingCode(code).ok, code).toBe(true);
      expect(code.startsWith(INVALID_OBJECT_PREFIX)).toBe(true);
      expect(scenarioOf(code), code).toBeUndefined();
      expect(historyOf(code), code).toBeUndefined();
    }
    expect(() => codeForScenario("DELIVERED", 1, "XX")).toThrow(RangeError);

    const known = codeForScenario("DELIVERED", 9);
    const notFound = codeForScenario("NOT_FOUND", 9);
    const codes = [...invalid, known, notFound];
    const batch = await get(sim, `/srorastro/v1/objetos?${codes.map((c) => `codigosObjetos=${c}`).join("&")}&resultado=T`, token);
    expect(batch.status).toBe(200);
    const body = (await batch.json()) as TrackingBody;
    expect(body.objetos.slice(0, invalid.length)).toEqual(invalid.map((c) => ({ codObjeto: c.toUpperCase(), mensagem: MSG.objectInvalid })));
    expect(body.objetos[invalid.length]!.eventos).toHaveLength(5);
    expect(body.objetos[invalid.length + 1]).toEqual({ codObjeto: notFound, mensagem: MSG.objectNotFound });

    const single = (await (await get(sim, `/srorastro/v1/objetos/${invalid[0]}`, token)).json()) as TrackingBody;
    expect(single.objetos).toEqual([{ codObjeto: invalid[0], mensagem: "SRO-019: Objeto inválido" }]);
  });

  it("gives the upstream client an SRO-019 object it marks invalid, over real HTTP", async () => {
    const http = new CorreiosHttpClient({
      timeoutMs: 5_000,
      retries: 0,
      retryBaseMs: 10,
      retryMaxDelayMs: 10,
      breakerFailures: 100,
      breakerHalfOpenAfterMs: 1_000,
      maxBodyBytes: 1_000_000,
    });
    const client = new TrackingClient(http, sim.url);
    const invalid = invalidObjectCode(7);
    const notFound = codeForScenario("NOT_FOUND", 7);
    const found = await client.fetchBatch(token, [invalid, notFound, codeForScenario("POSTED", 7)]);
    expect(found.get(invalid)).toMatchObject({ code: invalid, status: "NOT_FOUND", invalid: true, messageCode: "SRO-019", events: [] });
    expect(found.get(notFound)).toMatchObject({ status: "NOT_FOUND", messageCode: "SRO-020" });
    expect(found.get(notFound)).not.toHaveProperty("invalid");
    expect(found.get(codeForScenario("POSTED", 7))).toMatchObject({ status: "POSTED" });
  });

  it("needs a valid token and API 87 on the card", async () => {
    const code = codeForScenario("DELIVERED");
    const missing = await get(sim, `/srorastro/v1/objetos/${code}`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { msgs: string[] }).msgs).toEqual([MSG.invalidToken]);
    expect((await get(sim, `/srorastro/v1/objetos/${code}`, "not-a-token")).status).toBe(401);

    const noApi = await get(sim, `/srorastro/v1/objetos/${code}`, await cardToken(sim, NO_API));
    expect(noApi.status).toBe(403);
    expect(((await noApi.json()) as { msgs: string[] }).msgs).toEqual([MSG.apiNotAuthorized]);
    expect((await get(sim, `/srorastro/v1/objetos/${code}`, await cardToken(sim, NO_PRICE))).status).toBe(200);
  });
});
