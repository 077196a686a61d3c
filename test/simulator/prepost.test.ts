import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_CENTS, CODE_BASE, MSG, formatCents, scenarioOf, startSimulator, type Simulator } from "../../simulator/index.js";
import { DEFAULT_ACCOUNTS } from "../../simulator/accounts.js";
import { checkPrepost } from "../../simulator/prepost-checks.js";
import { PrepostStore } from "../../simulator/prepost-store.js";
import { DEMO, NO_PRICE, basic, cardToken } from "./helpers.js";
import {
  RECIPIENT_CPF,
  brasiliaDate,
  brasiliaIsoDate,
  control,
  create,
  order,
  reverseOrder,
  send,
  withAddress,
  withPerson,
  type PrepostBody,
} from "./prepost-fixtures.js";

const OTHER = { login: "outra-loja", accessCode: "O".repeat(40), card: "0071234567", contract: "9971234567" };
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

interface ErrorBody {
  msgs: string[];
  date: string;
  method: string;
  path: string;
  causa: string;
}

describe("simulator pre-posting API", () => {
  let sim: Simulator;
  let token: string;
  let other: string;
  const createRaw = (body: unknown, t = token) => send(sim, "POST", "/prepostagem/v1/prepostagens", t, body);
  const list = (query: string, t = token) => send(sim, "GET", `/prepostagem/v2/prepostagens${query}`, t);
  const cancel = (id: string, t = token, requester = DEMO.login) =>
    send(sim, "DELETE", `/prepostagem/v1/prepostagens/${id}?idCorreiosSolicitanteCancelamento=${requester}`, t);
  const posted = (code: string, t = token) => send(sim, "GET", `/prepostagem/v1/prepostagens/postada?codigoObjeto=${code}`, t);

  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
    sim.addAccount(OTHER);
    token = await cardToken(sim);
    other = await cardToken(sim, OTHER);
  });
  afterAll(() => sim.close());

  it("creates a pre-posting: PR id, an allocated trackable code, PREPOSTADO, 7-day deadline, prices, the request echoed", async () => {
    const res = await createRaw(order());
    expect(res.status).toBe(200);
    const body = (await res.json()) as PrepostBody;
    expect(body.id).toMatch(/^PR[A-Za-z0-9]{22}$/);
    expect(body.codigoObjeto).toMatch(/^QB\d{9}BR$/);
    expect(scenarioOf(body.codigoObjeto)).toBe("POSTED");
    expect(Number(body.codigoObjeto.slice(2, 10))).toBeGreaterThanOrEqual(CODE_BASE * 10);
    expect(body).toMatchObject({
      statusAtual: 2,
      descStatusAtual: "Prepostado",
      idCorreios: DEMO.login,
      numeroCartaoPostagem: DEMO.card,
      logisticaReversa: "N",
      prazoPostagem: `${brasiliaIsoDate(7)}T23:59:59`,
      // PAC, São Paulo (0…) → Campinas (1…) is REGIONAL; 350 g is the ≤ 1 kg bracket; factor 1.0.
      precoServico: formatCents(BASE_CENTS.REGIONAL[1]!),
      precoPrePostagem: formatCents(BASE_CENTS.REGIONAL[1]!),
      codigoServico: "03298",
      pesoInformado: "350",
      itensDeclaracaoConteudo: [{ conteudo: "Caneca de cerâmica", quantidade: "2", valor: "35,00" }],
      destinatario: { nome: "Maria da Silva", cpfCnpj: RECIPIENT_CPF },
    });
    expect(body["dataHora"]).toMatch(LOCAL_DATE_TIME);
    expect(body["historicoStatus"]).toEqual([{ status: 2, descStatus: "Prepostado", dataHora: body["dataHora"] }]);
    expect(body).not.toHaveProperty("eticket");

    const again = await create(sim, token);
    expect(again.codigoObjeto).not.toBe(body.codigoObjeto);
    expect(again.id).not.toBe(body.id);

    // The code is one the tracking API knows: the POSTED history, one "Objeto postado" event.
    const tracked = await send(sim, "GET", `/srorastro/v1/objetos?codigosObjetos=${body.codigoObjeto}&resultado=T`, token);
    const objeto = ((await tracked.json()) as { objetos: { codObjeto: string; eventos: { codigo: string }[] }[] }).objetos[0]!;
    expect(objeto.codObjeto).toBe(body.codigoObjeto);
    expect(objeto.eventos.map((e) => e.codigo)).toEqual(["PO"]);
  });

  it("prices additional services and picks code prefixes by service", async () => {
    const sedex = await create(sim, token, order({
      codigoServico: "03220",
      listaServicoAdicional: [{ codigoServicoAdicional: "001" }, { codigoServicoAdicional: "019", valorDeclarado: "125,00" }],
    }));
    expect(sedex.codigoObjeto).toMatch(/^AB/);
    const base = Math.round((BASE_CENTS.REGIONAL[1]! * 16) / 10);
    // AR R$ 7,25; declared value 1,5 % of the part above R$ 25,00 → R$ 1,50.
    expect(sedex).toMatchObject({ precoServico: formatCents(base), precoPrePostagem: formatCents(base + 725 + 150) });
    const mini = await create(sim, token, order({ codigoServico: "04227", pesoInformado: "200", codigoFormatoObjetoInformado: "1" }));
    expect(mini.codigoObjeto).toMatch(/^AN/);
  });

  it("refuses invalid requests with one Correios-style message at a time", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["no content declaration", order({ itensDeclaracaoConteudo: undefined }), MSG.ppnContentDeclarationMissing],
      ["empty content declaration", order({ itensDeclaracaoConteudo: [] }), "PPN-347: obrigatório informar Declaração de Conteúdo"],
      ["content under 5 characters", order({ itensDeclaracaoConteudo: [{ conteudo: "Copo", quantidade: "1", valor: "10,00" }] }), MSG.ppnContentTooShort(1)],
      ["generic content produto(s)", order({ itensDeclaracaoConteudo: [{ conteudo: "produto(s)", quantidade: "1", valor: "10,00" }] }), MSG.ppnContentGeneric(1)],
      ["generic content Volume 1", order({ itensDeclaracaoConteudo: [{ conteudo: "Caneca azul", quantidade: "1", valor: "10,00" }, { conteudo: "Volume 1", quantidade: "1", valor: "10,00" }] }), MSG.ppnContentGeneric(2)],
      ["a mobile number in telefone", withPerson("remetente", { telefone: "987654321" }), "Telefone do remetente inválido"],
      ["a landline in celular", withPerson("destinatario", { celular: "33334444" }), MSG.ppnMobileInvalid("destinatário")],
      ["a bad CPF check digit", withPerson("destinatario", { cpfCnpj: "52998224724" }), MSG.ppnDocumentInvalid("destinatário")],
      ["a bad CNPJ check digit", withPerson("remetente", { cpfCnpj: "11222333000182" }), MSG.ppnDocumentInvalid("remetente")],
      ["no sender", order({ remetente: undefined }), MSG.ppnPersonMissing("remetente")],
      ["no recipient address", withPerson("destinatario", { endereco: undefined }), MSG.ppnAddressMissing("destinatário")],
      ["a CEP with a hyphen", withAddress("destinatario", { cep: "13010-111" }), MSG.ppnCepInvalid("destinatário")],
      ["a CEP in the unknown range", withAddress("destinatario", { cep: "00070555" }), MSG.ppnCepNotFound("destinatário")],
      ["a street over 50 characters", withAddress("remetente", { logradouro: "R".repeat(51) }), MSG.ppnAddressFieldTooLong("logradouro", "remetente", 50)],
      ["no district", withAddress("destinatario", { bairro: "" }), MSG.ppnAddressFieldMissing("bairro", "destinatário")],
      ["an unknown UF", withAddress("destinatario", { uf: "XX" }), MSG.ppnUfInvalid("destinatário")],
      ["no service", order({ codigoServico: undefined }), MSG.ppnServiceMissing],
      ["a service not on the card", order({ codigoServico: "04162" }), MSG.ppnServiceNotOnCard("04162")],
      ["another posting card", order({ numeroCartaoPostagem: "0079066690" }), MSG.ppnCardMismatch],
      ["weight in kilograms", order({ pesoInformado: "0,35" }), MSG.ppnWeightInvalid],
      ["weight over the service limit", order({ codigoServico: "04227", pesoInformado: "301" }), MSG.ppnWeightOverLimit("04227", 300)],
      ["an unknown format", order({ codigoFormatoObjetoInformado: "4" }), MSG.ppnFormatInvalid],
      ["a box without height", order({ alturaInformada: undefined }), MSG.ppnDimensionInvalid("alturaInformada", 1, 100)],
      ["dimensions over 200 cm", order({ comprimentoInformado: "100", larguraInformada: "60", alturaInformada: "50" }), MSG.ppnDimensionSum],
      ["no prohibited-goods acknowledgement", order({ cienteObjetoNaoProibido: "0" }), MSG.ppnNotProhibitedMissing],
      ["an unknown additional service", order({ listaServicoAdicional: [{ codigoServicoAdicional: "099" }] }), MSG.ppnAdditionalServiceInvalid("099")],
      ["SEDEX declared value on PAC", order({ listaServicoAdicional: [{ codigoServicoAdicional: "019", valorDeclarado: "100,00" }] }), MSG.ppnAdditionalServiceNotForService("019", "03298")],
      ["declared value without an amount", order({ listaServicoAdicional: [{ codigoServicoAdicional: "064" }] }), MSG.ppnDeclaredValueMissing("064")],
      ["an ISO posting date", order({ dataPrevistaPostagem: brasiliaIsoDate(1) }), MSG.ppnPostingDateInvalid],
      ["a posting date in the past", order({ dataPrevistaPostagem: brasiliaDate(-1) }), MSG.ppnPostingDateInvalid],
    ];
    for (const [name, body, msg] of cases) {
      const res = await createRaw(body);
      expect(res.status, name).toBe(400);
      const error = (await res.json()) as ErrorBody;
      expect(error.msgs, name).toEqual([msg]);
      expect(error, name).toMatchObject({ method: "POST", path: "/prepostagem/v1/prepostagens", causa: "Bad Request" });
    }
    // Two mistakes: only the first is reported.
    const twice = await createRaw(order({ codigoServico: undefined, itensDeclaracaoConteudo: [] }));
    expect(((await twice.json()) as ErrorBody).msgs).toEqual([MSG.ppnServiceMissing]);
    // A future dd/MM/yyyy posting date is fine.
    expect((await createRaw(order({ dataPrevistaPostagem: brasiliaDate(2) }))).status).toBe(200);
  });

  it("needs a posting-card token with api 36", async () => {
    expect((await send(sim, "POST", "/prepostagem/v1/prepostagens", undefined, order())).status).toBe(401);
    const noPpn = await createRaw(order(), await cardToken(sim, NO_PRICE));
    expect(noPpn.status).toBe(403);
    expect(((await noPpn.json()) as ErrorBody).msgs).toEqual([MSG.apiNotAuthorized]);
    const contract = await fetch(`${sim.url}/token/v1/autentica/contrato`, {
      method: "POST",
      headers: { Authorization: basic(DEMO.login, DEMO.accessCode), "Content-Type": "application/json" },
      body: JSON.stringify({ numero: DEMO.contract }),
    });
    const contractToken = ((await contract.json()) as { token: string }).token;
    const refused = await createRaw(order(), contractToken);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).msgs).toEqual([MSG.ppnCardTokenRequired]);
  });

  it("creates reverse-logistics authorizations, with pickup or drop-off", async () => {
    const outbound = (await create(sim, token)).codigoObjeto;
    const validity = brasiliaDate(10);
    const pickup = await create(sim, token, reverseOrder({ solicitarColeta: "S", codigoObjetoIda: outbound, dataValidadeLogReversa: validity }));
    expect(pickup.codigoObjeto).toMatch(/^QC/);
    expect(pickup).toMatchObject({
      statusAtual: 2,
      logisticaReversa: "S",
      codigoServico: "03301",
      codigoObjetoIda: outbound,
      dataValidadeLogReversa: validity,
      prazoPostagem: `${brasiliaIsoDate(10)}T23:59:59`,
    });
    expect(pickup["eticket"]).toMatch(/^\d{10}$/);
    expect(pickup["dataEticket"]).toMatch(LOCAL_DATE_TIME);
    expect(pickup["nuColeta"]).toMatch(/^\d{9}$/);

    const dropOff = await create(sim, token, reverseOrder({ solicitarColeta: "N" }));
    expect(dropOff).toMatchObject({ nuColeta: null, codigoObjetoIda: null });
    expect(dropOff["eticket"]).not.toBe(pickup["eticket"]);

    const refusals: [Record<string, unknown>, string][] = [
      [reverseOrder({ codigoServico: "03298" }), MSG.ppnServiceNotReverse("03298")],
      [order({ codigoServico: "03301" }), MSG.ppnServiceOnlyReverse("03301")],
      [reverseOrder({ dataValidadeLogReversa: undefined }), MSG.ppnReverseValidityInvalid],
      [reverseOrder({ dataValidadeLogReversa: brasiliaDate(31) }), MSG.ppnReverseValidityInvalid],
      [reverseOrder({ solicitarColeta: "sim" }), MSG.ppnFlagInvalid("solicitarColeta")],
      [reverseOrder({ codigoObjetoIda: "QB123456789BR" }), MSG.ppnOutboundCodeInvalid],
    ];
    for (const [body, msg] of refusals) {
      const res = await createRaw(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).msgs).toEqual([msg]);
    }

    const listed = await list(`?eTicket=${String(pickup["eticket"])}`);
    expect(((await listed.json()) as { itens: PrepostBody[] }).itens.map((i) => i.id)).toEqual([pickup.id]);
  });

  it("lists by id, code, status and reverse flag, in pages, and asks for a filter", async () => {
    const fresh = await startSimulator({ tokenRatePerSecond: 0 });
    try {
      const t = await cardToken(fresh);
      const a = await create(fresh, t);
      const b = await create(fresh, t);
      const r = await create(fresh, t, reverseOrder());
      const get = async (query: string) => {
        const res = await send(fresh, "GET", `/prepostagem/v2/prepostagens${query}`, t);
        return { status: res.status, body: (await res.json()) as { itens: PrepostBody[]; page: Record<string, unknown>; msgs?: string[] } };
      };
      const none = await get("");
      expect(none.status).toBe(400);
      expect(none.body.msgs).toEqual([MSG.ppnQueryParamsMissing]);
      expect((await get(`?id=${a.id}`)).body.itens.map((i) => i.id)).toEqual([a.id]);
      expect((await get(`?codigoObjeto=${b.codigoObjeto.toLowerCase()}`)).body.itens.map((i) => i.id)).toEqual([b.id]);
      expect((await get("?logisticaReversa=S")).body.itens.map((i) => i.id)).toEqual([r.id]);
      const first = await get("?status=PREPOSTADO&size=2");
      expect(first.body.itens.map((i) => i.id)).toEqual([r.id, b.id]);
      expect(first.body.page).toEqual({ size: 2, numberElements: 2, totalPages: 2, number: 0, count: 3, next: true, previous: false, first: true, last: false });
      const second = await get("?status=2&size=2&page=1");
      expect(second.body.itens.map((i) => i.id)).toEqual([a.id]);
      expect(second.body.page).toMatchObject({ next: false, previous: true, last: true });
      expect((await get("?status=ENVIADO")).status).toBe(400);
      expect((await get("?status=CANCELADO")).body.itens).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it("keeps each client's pre-postings to itself", async () => {
    const mine = await create(sim, token);
    const res = await list(`?id=${mine.id}`, other);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { itens: unknown[] }).itens).toEqual([]);
    const cancelled = await cancel(mine.id, other, OTHER.login);
    expect(cancelled.status).toBe(404);
    expect(((await cancelled.json()) as ErrorBody).msgs).toEqual([MSG.ppnNotFound]);
    expect((await posted(mine.codigoObjeto, other)).status).toBe(404);
  });

  it("cancels only while PREPOSTADO", async () => {
    const record = await create(sim, token);
    expect((await send(sim, "DELETE", `/prepostagem/v1/prepostagens/${record.id}`, token)).status).toBe(400);
    const wrongRequester = await cancel(record.id, token, OTHER.login);
    expect(((await wrongRequester.json()) as ErrorBody).msgs).toEqual([MSG.ppnCancelRequesterMismatch]);

    const res = await cancel(record.id);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ resultadoCancelamento: "CANCELADO", mensagem: MSG.ppnCancelled });
    expect(body["idRecibo"]).toMatch(/^[0-9a-f-]{36}$/);
    const listed = ((await (await list(`?id=${record.id}`)).json()) as { itens: PrepostBody[] }).itens[0]!;
    expect(listed).toMatchObject({ statusAtual: 5, descStatusAtual: "Cancelado", motivoCancelamento: "Cancelado pelo cliente" });
    expect((listed["historicoStatus"] as { status: number }[]).map((h) => h.status)).toEqual([2, 5]);

    const twice = await cancel(record.id);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as ErrorBody).msgs).toEqual([MSG.ppnCancelNotAllowed("CANCELADO")]);

    const shipped = await create(sim, token);
    expect((await control(sim, "POST", `prepostagens/${shipped.id}/post`)).status).toBe(200);
    expect(((await (await cancel(shipped.id)).json()) as ErrorBody).msgs).toEqual([MSG.ppnCancelNotAllowed("POSTADO")]);

    const stale = await create(sim, token);
    expect((await control(sim, "POST", `prepostagens/${stale.codigoObjeto}/expire`)).status).toBe(200);
    expect(((await (await cancel(stale.id)).json()) as ErrorBody).msgs).toEqual([MSG.ppnCancelNotAllowed("EXPIRADO")]);

    const byCode = await create(sim, token);
    const viaCode = await send(sim, "DELETE", `/prepostagem/v1/prepostagens/objeto/${byCode.codigoObjeto}?idCorreiosSolicitanteCancelamento=${DEMO.login}`, token);
    expect(viaCode.status).toBe(200);
  });

  it("answers the posted movement only once POSTADO, with the weight charged at the agency", async () => {
    const record = await create(sim, token);
    const before = await posted(record.codigoObjeto);
    expect(before.status).toBe(404);
    expect(((await before.json()) as ErrorBody).msgs).toEqual([MSG.ppnObjectNotPosted]);

    const moved = await control(sim, "POST", `prepostagens/${record.id}/post`, { pesoGramas: 1200, cepAgencia: "01001000" });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as PrepostBody).statusAtual).toBe(3);
    const res = await posted(record.codigoObjeto);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      codigoObjeto: record.codigoObjeto,
      codigoServico: "03298",
      nomeServico: "PAC CONTRATO AG",
      cepAgencia: "01001000",
      pesoObjeto: "1200",
      pesoTarifadoObjeto: "1200",
      // 1.2 kg is the ≤ 2 kg bracket.
      valorAtendimento: BASE_CENTS.REGIONAL[2]! / 100,
    });
    expect(body["dataPostagem"]).toMatch(LOCAL_DATE_TIME);
    expect((await control(sim, "POST", `prepostagens/${record.id}/post`)).status).toBe(409);
    expect((await control(sim, "POST", "prepostagens/PRnada/post")).status).toBe(404);
    expect((await control(sim, "POST", `prepostagens/${(await create(sim, token)).id}/post`, { pesoGramas: -1 })).status).toBe(400);
  });

  it("expires through the control route, and lists EXPIRADO", async () => {
    const record = await create(sim, token);
    const res = await control(sim, "POST", `prepostagens/${record.id}/expire`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ statusAtual: 4, descStatusAtual: "Expirado" });
    const listed = ((await (await list(`?id=${record.id}&status=EXPIRADO`)).json()) as { itens: PrepostBody[] }).itens;
    expect(listed.map((i) => i.id)).toEqual([record.id]);
    expect((await control(sim, "POST", `prepostagens/${record.id}/expire`)).status).toBe(409);
    const overview = (await (await control(sim, "GET", "prepostagens")).json()) as { id: string; statusAtual: number }[];
    expect(overview.find((o) => o.id === record.id)).toMatchObject({ statusAtual: 4 });
    expect(sim.postPrePosting((await create(sim, token)).codigoObjeto)).toMatchObject({ statusAtual: 3 });
  });

  it("counts pre-posting calls under prepost, and faults apply to them", async () => {
    sim.reset();
    const record = await create(sim, token);
    await list(`?id=${record.id}`);
    await posted(record.codigoObjeto);
    await cancel(record.id);
    expect(sim.counts()).toMatchObject({ token: 0, prepost: 4, labels: 0, total: 4 });
    sim.addFault({ endpoint: "prepost", kind: "status", status: 503, times: 1 });
    expect((await createRaw(order())).status).toBe(503);
    expect((await createRaw(order())).status).toBe(200);
  });
});

describe("simulator pre-posting deadlines", () => {
  const DAY = 86_400_000;
  const account = { ...DEFAULT_ACCOUNTS[0]!, contract: "9912420493", dr: 72, cnpj: "12345678000190", apis: [36], loginApis: [36], contractServices: [], products: ["03298", "03301"], environment: "PRODUCAO" as const };
  const owner = { login: account.login, card: account.card };

  it("expires a PREPOSTADO record read after the end of its 7th calendar day (Brasília), not before", () => {
    const store = new PrepostStore();
    const created = Date.UTC(2026, 2, 10, 15, 0); // 12:00 in Brasília on 10/03/2026
    const record = store.create(owner, checkPrepost(order(), account, Date.UTC(2026, 2, 10)), created);
    const lastMoment = Date.UTC(2026, 2, 18, 2, 59, 59); // 17/03/2026 23:59:59 in Brasília
    expect(store.status(store.find(record.id, owner, lastMoment)!)).toBe(2);
    expect(store.status(store.find(record.id, owner, lastMoment + 1000)!)).toBe(4);
    expect(store.find(record.id, { ...owner, card: "0000000001" }, created)).toBeUndefined();
    expect(record.deadlineMs - created).toBeLessThan(8 * DAY);
  });
});
