// The one mapping from our posting to PPN's Portuguese fields, and back from its answer.
import { describe, expect, it } from "vitest";
import { mapRecord, toCorreiosBody, toCorreiosDate, type PrepostRequest } from "../../src/correios/client/prepost.js";

const request: PrepostRequest = {
  apiLogin: "loja-demo",
  postingCard: "0067599079",
  service: "03298",
  sender: { name: "Loja", document: { kind: "CNPJ", digits: "11222333000181" }, phone: { areaCode: "11", number: "33334444" }, address: { cep: "01310100", street: "Av. Paulista", number: "1000", district: "Bela Vista", city: "São Paulo", state: "SP" } },
  recipient: { name: "Maria", mobile: { areaCode: "21", number: "987654321" }, address: { cep: "20040020", street: "Av. Rio Branco", number: "45", complement: "Sala 2", district: "Centro", city: "Rio de Janeiro", state: "RJ" } },
  package: { format: "BOX", weightGrams: 800, lengthCm: 20, widthCm: 15, heightCm: 10 },
  declaredContent: [{ description: "Camiseta de algodão", quantity: 2, unitValueCents: 4990 }],
  additionalServices: ["001", "064"],
  declaredValueCents: 15000,
  invoice: { number: "123" },
};

describe("toCorreiosBody", () => {
  it("writes PPN's fields: grams and cm as strings, phones split, content and additional services as objects", () => {
    expect(toCorreiosBody(request)).toMatchObject({
      idCorreios: "loja-demo",
      numeroCartaoPostagem: "0067599079",
      codigoServico: "03298",
      pesoInformado: "800",
      codigoFormatoObjetoInformado: "2",
      comprimentoInformado: "20",
      larguraInformada: "15",
      alturaInformada: "10",
      remetente: { cpfCnpj: "11222333000181", dddTelefone: "11", telefone: "33334444", endereco: { cep: "01310100", uf: "SP" } },
      destinatario: { dddCelular: "21", celular: "987654321", endereco: { complemento: "Sala 2" } },
      itensDeclaracaoConteudo: [{ conteudo: "Camiseta de algodão", quantidade: "2", valor: "49,90" }],
      listaServicoAdicional: [{ codigoServicoAdicional: "001" }, { codigoServicoAdicional: "064", valorDeclarado: "150,00" }],
      numeroNotaFiscal: "123",
      cienteObjetoNaoProibido: "1",
      logisticaReversa: "N",
    });
    expect(toCorreiosBody(request).destinatario).not.toHaveProperty("telefone");
  });

  it("a return carries the reverse fields with dd/MM/yyyy dates", () => {
    const body = toCorreiosBody({ ...request, reverse: { validUntil: "2026-12-31", pickup: true, originalTrackingCode: "AA123456785BR" } });
    expect(body).toMatchObject({ logisticaReversa: "S", solicitarColeta: "S", dataValidadeLogReversa: "31/12/2026", codigoObjetoIda: "AA123456785BR" });
    expect(toCorreiosDate("2026-01-05")).toBe("05/01/2026");
  });
});

describe("mapRecord", () => {
  it("reads numeric and named statuses, money with a comma, and the reverse fields", () => {
    const r = mapRecord({
      id: "PRgddyJTC0QMyNqlCX7w0H9A",
      codigoObjeto: "qb700000045br",
      statusAtual: 2,
      historicoStatus: [{ status: 2, dataHora: "2026-12-01T10:00:00" }],
      precoPrePostagem: "29,60",
      eticket: "1234567890",
      dataValidadeLogReversa: "31/12/2026",
    });
    expect(r).toMatchObject({ trackingCode: "QB700000045BR", status: "PRE_POSTED", priceCents: 2960, eticket: "1234567890", validUntil: "2026-12-31" });
    expect(r.history[0]).toEqual({ status: "PRE_POSTED", at: "2026-12-01T10:00:00-03:00" });
    expect(mapRecord({ id: "PRx", statusAtual: "POSTADO" }).status).toBe("POSTED");
    expect(() => mapRecord({})).toThrow(/without a pre-posting id/);
  });
});
