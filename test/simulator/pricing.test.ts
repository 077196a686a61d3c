import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, MSG, type Simulator } from "../../simulator/index.js";
import { LOCAL_DATE_TIME, NO_API, NO_PRICE, cardToken, get, post } from "./helpers.js";

type Item = Record<string, unknown>;
const SP = "01310100";
const CAMPINAS = "13010111";
const MANAUS = "69005010";
const box = { tpObjeto: "2", comprimento: "20", largura: "15", altura: "10" };

describe("simulator price API", () => {
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
    token = await cardToken(sim);
  });
  afterAll(() => sim.close());

  it("prices a batch in request order, refusing bad items with txErro", async () => {
    const res = await post(
      sim,
      "/preco/v1/nacional",
      {
        idLote: "lote-1",
        parametrosProduto: [
          // SEDEX, SP → Manaus (NATIONAL), 350 g (≤ 1 kg): 38,90 × 1.6 = 62,24; AR 7,25; VD (150 − 25) × 1,5 % = 1,88
          { coProduto: "03220", nuRequisicao: "1", cepOrigem: SP, cepDestino: MANAUS, psObjeto: "350", ...box, servicosAdicionais: [{ coServAdicional: "001" }, { coServAdicional: "019" }], vlDeclarado: "150,00" },
          { coProduto: "04162", nuRequisicao: "2", cepOrigem: SP, cepDestino: CAMPINAS, psObjeto: "350", ...box },
          // PAC, SP → SP same 5 digits (LOCAL), 200 g: 15,40
          { coProduto: "03298", nuRequisicao: "3", cepOrigem: SP, cepDestino: "01310200", psObjeto: 200, ...box },
          { coProduto: "03298", nuRequisicao: "4", cepOrigem: "00000000", cepDestino: CAMPINAS, psObjeto: "350", ...box },
          { coProduto: "03298", nuRequisicao: "5", cepOrigem: SP, cepDestino: "1301011", psObjeto: "350", ...box },
          { coProduto: "04227", nuRequisicao: "6", cepOrigem: SP, cepDestino: CAMPINAS, psObjeto: "301", ...box },
          // PAC, SP → Campinas (first digits 0 and 1: REGIONAL), 2 kg real, 60×50×40 cm → 20 000 g cubic, ≤ 30 kg bracket
          { coProduto: "03298", nuRequisicao: "7", cepOrigem: SP, cepDestino: CAMPINAS, psObjeto: "2000", tpObjeto: "2", comprimento: "60", largura: "50", altura: "40" },
        ],
      },
      token,
    );
    expect(res.status).toBe(200);
    const items = (await res.json()) as Item[];
    expect(items.map((i) => i["nuRequisicao"])).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(items[0]).toMatchObject({
      coProduto: "03220",
      pcBase: "62,24",
      pcProduto: "62,24",
      inPesoCubico: "N",
      psCobrado: "350",
      servicoAdicional: [
        { coServAdicional: "001", pcServicoAdicional: "7,25" },
        { coServAdicional: "019", pcServicoAdicional: "1,88" },
      ],
      pcTotalServicosAdicionais: "9,13",
      pcFinal: "71,37",
    });
    expect(items[1]).toEqual({ coProduto: "04162", nuRequisicao: "2", txErro: MSG.productNotContracted });
    expect(items[2]).toMatchObject({ pcFinal: "15,40", servicoAdicional: [] });
    expect(items[3]).toMatchObject({ txErro: MSG.cepOriginInvalid });
    expect(items[4]).toMatchObject({ txErro: MSG.cepDestinationInvalid });
    expect(items[5]).toMatchObject({ txErro: MSG.weightOverLimit });
    expect(items[6]).toMatchObject({ inPesoCubico: "S", psCobrado: "20000", pcFinal: "134,80" });
    for (const item of items.filter((i) => !("txErro" in i))) {
      for (const field of ["pcBase", "pcBaseGeral", "pcReferencia", "pcFaixa", "pcFinal", "vlSeguroAutomatico"]) {
        expect(item[field]).toMatch(/^\d+,\d{2}$/);
      }
    }
  });

  it("reads the batch in the manual's forms only: services as objects, dtEvento as dd/MM/yyyy", async () => {
    const item = { coProduto: "03298", nuRequisicao: "1", cepOrigem: SP, cepDestino: CAMPINAS, psObjeto: "350", ...box };
    const bare = await post(sim, "/preco/v1/nacional", { idLote: "f", parametrosProduto: [{ ...item, servicosAdicionais: ["001"] }] }, token);
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { msgs: string[] }).msgs).toEqual([MSG.additionalServicesForm]);

    const dated = await post(
      sim,
      "/preco/v1/nacional",
      { idLote: "f", parametrosProduto: [{ ...item, dtEvento: "18/03/2026" }, { ...item, nuRequisicao: "2", dtEvento: "18-03-2026" }] },
      token,
    );
    const [slash, dash] = (await dated.json()) as Item[];
    expect(slash).toMatchObject({ pcFinal: "29,60" });
    expect(dash).toMatchObject({ nuRequisicao: "2", txErro: MSG.eventDateInvalid });
  });

  it("prices one product over GET", async () => {
    const res = await get(sim, `/preco/v1/nacional/03298?cepOrigem=${SP}&cepDestino=${CAMPINAS}&psObjeto=350&tpObjeto=2&comprimento=20&largura=15&altura=10&servicosAdicionais=001`, token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ coProduto: "03298", pcBase: "29,60", pcFinal: "36,85" });
    const refused = await get(sim, `/preco/v1/nacional/03298?cepOrigem=${SP}&cepDestino=00000000&psObjeto=350`, token);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { msgs: string[] }).msgs).toEqual([MSG.cepDestinationInvalid]);
  });

  it("checks the batch envelope and its limit", async () => {
    const item = { coProduto: "03298", nuRequisicao: "1", cepOrigem: SP, cepDestino: CAMPINAS, psObjeto: "350" };
    expect((await post(sim, "/preco/v1/nacional", { parametrosProduto: [item] }, token)).status).toBe(400);
    expect((await post(sim, "/preco/v1/nacional", { idLote: "x", parametrosProduto: [] }, token)).status).toBe(400);
    const tooMany = await post(sim, "/preco/v1/nacional", { idLote: "x", parametrosProduto: Array(101).fill(item) }, token);
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { msgs: string[] }).msgs).toEqual([MSG.priceTooMany(100)]);
    expect((await post(sim, "/preco/v1/nacional", { idLote: "x", parametrosProduto: Array(100).fill(item) }, token)).status).toBe(200);
  });

  it("refuses restricted price and deadline calls with 403, but not for a card with no API", async () => {
    const restricted = await cardToken(sim, NO_PRICE);
    const body = { idLote: "x", parametrosProduto: [{ coProduto: "03298", nuRequisicao: "1", cepOrigem: SP, cepDestino: CAMPINAS, psObjeto: "350" }] };
    const price = await post(sim, "/preco/v1/nacional", body, restricted);
    expect(price.status).toBe(403);
    expect(((await price.json()) as { msgs: string[] }).msgs).toEqual([MSG.priceRestricted]);
    const deadline = await get(sim, `/prazo/v1/nacional/03298?cepOrigem=${SP}&cepDestino=${CAMPINAS}`, restricted);
    expect(deadline.status).toBe(403);
    expect(((await deadline.json()) as { msgs: string[] }).msgs).toEqual([MSG.deadlineRestricted]);

    const noApi = await cardToken(sim, NO_API);
    expect((await post(sim, "/preco/v1/nacional", body, noApi)).status).toBe(200);
    expect((await get(sim, `/prazo/v1/nacional/03298?cepOrigem=${SP}&cepDestino=${CAMPINAS}`, noApi)).status).toBe(200);
  });
});

describe("simulator deadline API", () => {
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
    token = await cardToken(sim);
  });
  afterAll(() => sim.close());

  it("answers a batch with days, a Sunday-skipping maximum date and txErro for refused items", async () => {
    const res = await post(
      sim,
      "/prazo/v1/nacional",
      {
        idLote: "p-1",
        parametrosPrazo: [
          // PAC NATIONAL: 7 + 2 = 9 days from Wed 25-11-2026, Sunday 29 skipped → Sat 05-12-2026
          { coProduto: "03298", nuRequisicao: "1", cepOrigem: SP, cepDestino: MANAUS, dtEvento: "25/11/2026" },
          // SEDEX NATIONAL: ceil(7 / 2) = 4 days → Mon 30-11-2026
          { coProduto: "03220", nuRequisicao: "2", cepOrigem: SP, cepDestino: MANAUS, dtEvento: "25/11/2026" },
          { coProduto: "99999", nuRequisicao: "3", cepOrigem: SP, cepDestino: MANAUS },
          { coProduto: "03220", nuRequisicao: "4", cepOrigem: SP, cepDestino: "abc" },
          { coProduto: "03220", nuRequisicao: "5", cepOrigem: SP, cepDestino: CAMPINAS, dtEvento: "31/02/2026" },
          // The form of a GET query is not the batch's.
          { coProduto: "03220", nuRequisicao: "7", cepOrigem: SP, cepDestino: CAMPINAS, dtEvento: "25-11-2026" },
          { coProduto: "03220", nuRequisicao: "6", cepOrigem: SP, cepDestino: "01310999" },
        ],
      },
      token,
    );
    expect(res.status).toBe(200);
    const items = (await res.json()) as Item[];
    expect(items[0]).toEqual({
      coProduto: "03298",
      nuRequisicao: "1",
      prazoEntrega: 9,
      dataMaxima: "2026-12-05T23:59:59",
      entregaDomiciliar: "S",
      entregaSabado: "N",
    });
    expect(items[1]).toMatchObject({ prazoEntrega: 4, dataMaxima: "2026-11-30T23:59:59", entregaSabado: "S" });
    expect(items[2]).toEqual({ coProduto: "99999", nuRequisicao: "3", txErro: MSG.productNotContracted });
    expect(items[3]).toMatchObject({ txErro: MSG.cepDestinationInvalid });
    expect(items[4]).toMatchObject({ txErro: MSG.eventDateInvalid });
    expect(items[5]).toMatchObject({ txErro: MSG.eventDateInvalid });
    expect(items[6]).toMatchObject({ prazoEntrega: 1 });
    expect(items[6]!["dataMaxima"]).toMatch(LOCAL_DATE_TIME);
  });

  it("answers one product over GET", async () => {
    const res = await get(sim, `/prazo/v1/nacional/03220?cepOrigem=${SP}&cepDestino=${CAMPINAS}&dtEvento=28-11-2026`, token);
    expect(res.status).toBe(200);
    // REGIONAL 4 days, SEDEX halves → 2 days from Sat 28-11: Sunday skipped → Tue 01-12
    expect(await res.json()).toMatchObject({ coProduto: "03220", prazoEntrega: 2, dataMaxima: "2026-12-01T23:59:59" });
  });
});
