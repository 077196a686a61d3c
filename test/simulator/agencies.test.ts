import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENCIES, MSG, startSimulator, type Agency, type Simulator } from "../../simulator/index.js";
import { cardToken, get } from "./helpers.js";

interface Page {
  itens: Agency[];
  page: { size: number; totalElements: number; totalPages: number; number: number };
}

describe("simulator agencies API", () => {
  let sim: Simulator;
  let token: string;
  const units = async (query: string) => {
    const res = await get(sim, `/agencia/v1/unidades${query}`, token);
    return { status: res.status, body: (await res.json()) as Page & { msgs?: string[] } };
  };

  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
    token = await cardToken(sim);
  });
  afterAll(() => sim.close());

  it("lists a city's units in the manual's shape", async () => {
    const { status, body } = await units("?municipio=S%C3%A3o%20Paulo&uf=SP&page=0&size=50");
    expect(status).toBe(200);
    expect(body.page).toEqual({ size: 50, totalElements: 4, totalPages: 1, number: 0 });
    expect(body.itens.map((a) => a.nome)).toEqual(["AC PAULISTA", "AC SE", "AGF ITAIM BIBI", "AC VILA MARIANA"]);
    const paulista = body.itens[0]!;
    expect(paulista).toMatchObject({
      id: "00410127",
      nome: "AC PAULISTA",
      status: 2,
      tipoUnidade: { codigo: "09", sigla: "AC" },
      endereco: { cep: "01310100", uf: "SP", localidade: "São Paulo", municipio: "São Paulo", logradouro: "Avenida Paulista", bairro: "Bela Vista", numero: "1000" },
      horarios: { iniExpediente: "09:00", fimExpediente: "17:00", limitePostagemSemana: "16:00" },
    });
    expect(typeof paulista.endereco.latitude).toBe("number");
    expect(typeof paulista.endereco.longitude).toBe("number");
    expect(paulista.horarios.funcionamento).toContain("09:00");
  });

  it("filters without case or accents, by district, state, status and unit type", async () => {
    expect((await units("?municipio=sao%20paulo")).body.page.totalElements).toBe(4);
    expect((await units("?municipio=SAO%20PAULO&bairro=itaim%20bibi")).body.itens.map((a) => a.nome)).toEqual(["AGF ITAIM BIBI"]);
    expect((await units("?uf=rj")).body.itens.map((a) => a.endereco.municipio)).toEqual(["Rio de Janeiro", "Rio de Janeiro"]);
    expect((await units("?codigoTipoUnidade=16")).body.itens.every((a) => a.tipoUnidade.sigla === "AGF")).toBe(true);
    expect((await units("?status=2&status=5&municipio=Curitiba")).body.page.totalElements).toBe(2);
    expect((await units("?status=5")).body.itens).toEqual([]);
    expect((await units("?municipio=Porto%20Alegre")).body.itens).toHaveLength(1);
    expect((await units("?municipio=Recife")).body.itens).toHaveLength(1);
    expect((await units("?municipio=Belo%20Horizonte")).body.itens).toHaveLength(1);
    expect((await units("?municipio=Cidade%20Nenhuma")).body).toEqual({ itens: [], page: { size: 50, totalElements: 0, totalPages: 0, number: 0 } });
    expect((await units("")).body.page.totalElements).toBe(AGENCIES.length);
  });

  it("pages, and refuses bad page parameters", async () => {
    const second = await units("?municipio=Sao%20Paulo&size=3&page=1");
    expect(second.body.itens.map((a) => a.nome)).toEqual(["AC VILA MARIANA"]);
    expect(second.body.page).toEqual({ size: 3, totalElements: 4, totalPages: 2, number: 1 });
    for (const [query, name] of [["?size=0", "size"], ["?size=101", "size"], ["?page=-1", "page"], ["?page=x", "page"]] as const) {
      const res = await units(query);
      expect(res.status).toBe(400);
      expect(res.body.msgs).toEqual([MSG.agencyParamInvalid(name)]);
    }
  });

  it("needs a token, counts under agencies, and faults apply", async () => {
    expect((await get(sim, "/agencia/v1/unidades?uf=SP")).status).toBe(401);
    sim.reset();
    await units("?uf=SP");
    expect(sim.counts()).toMatchObject({ agencies: 1, total: 1 });
    sim.addFault({ endpoint: "agencies", kind: "rate-limit", retryAfterSeconds: 1, times: 1 });
    expect((await get(sim, "/agencia/v1/unidades?uf=SP", token)).status).toBe(429);
    expect((await get(sim, "/agencia/v1/unidades?uf=SP", token)).status).toBe(200);
  });
});
