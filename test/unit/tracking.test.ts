import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/upstream/errors.js";
import { parseTrackingBody } from "../../src/correios/client/tracking.js";

// Answers shaped as in /work/shared/correios-api-details.md ("Not found" / invalid codes): HTTP 200, one object per
// code, `mensagem` and no events when there is a problem.
const INVALID = "XX000000005BR";
const UNKNOWN = "AA000000014BR";
const LEFT_OUT = "AA000000023BR";
const DELIVERED = "AA000000032BR";

const body = {
  versao: "3.5.38",
  quantidade: 3,
  tipoResultado: "Todos os eventos",
  objetos: [
    { codObjeto: INVALID, mensagem: "SRO-019: Objeto inválido" },
    { codObjeto: UNKNOWN.toLowerCase(), mensagem: "SRO-020: Objeto não encontrado na base de dados dos Correios." },
    {
      codObjeto: DELIVERED,
      eventos: [
        { codigo: "PO", tipo: "01", dtHrCriado: "2026-10-01T08:00:00", descricao: "Objeto postado" },
        { codigo: "BDE", tipo: "01", dtHrCriado: "2026-10-03T11:42:00", descricao: "Objeto entregue ao destinatário" },
      ],
    },
  ],
};

describe("parseTrackingBody", () => {
  const parsed = parseTrackingBody(body, [INVALID, UNKNOWN, LEFT_OUT, DELIVERED]);

  it("marks an object Correios calls invalid (SRO-019), and only that one", () => {
    expect(parsed.get(INVALID)).toMatchObject({
      code: INVALID,
      status: "NOT_FOUND",
      invalid: true,
      messageCode: "SRO-019",
      message: "SRO-019: Objeto inválido",
      events: [],
    });
    for (const code of [UNKNOWN, LEFT_OUT, DELIVERED]) expect(parsed.get(code), code).not.toHaveProperty("invalid");
  });

  it("keeps SRO-020 and codes left out of the answer as NOT_FOUND", () => {
    expect(parsed.get(UNKNOWN)).toMatchObject({ code: UNKNOWN, status: "NOT_FOUND", messageCode: "SRO-020", events: [] });
    expect(parsed.get(LEFT_OUT)).toMatchObject({ code: LEFT_OUT, status: "NOT_FOUND", events: [] });
  });

  it("maps events newest first with the Brasília offset", () => {
    const o = parsed.get(DELIVERED)!;
    expect(o.status).toBe("DELIVERED");
    expect(o.events.map((e) => [e.code, e.time])).toEqual([
      ["BDE", "2026-10-03T11:42:00-03:00"],
      ["PO", "2026-10-01T08:00:00-03:00"],
    ]);
  });

  it("reads units as the manual shows them: no name, a country where the state would be, text with CRLF", () => {
    const code = "LX000000005HK";
    const o = parseTrackingBody(
      {
        versao: "1.8.7",
        quantidade: 1,
        resultado: "Todos os Eventos",
        objetos: [
          {
            codObjeto: code,
            dtPrevista: "2026-10-09T23:59:59",
            eventos: [
              {
                codigo: "OEC",
                tipo: "03",
                dtHrCriado: "2026-10-03T17:02:45",
                descricao: "Objeto em rota de entrega ",
                detalhe: "Aguarde envio de link para acompanhar a entrega\r\nem tempo real\r\n",
                unidade: { tipo: "Unidade de Tratamento", endereco: { uf: "SP", cidade: " SAO PAULO " } },
                urlIcone: "/public-resources/img/caminhao-cor.png",
              },
              {
                codigo: "RO",
                tipo: "01",
                dtHrCriado: "2026-10-01T09:10:00",
                descricao: "Objeto em transferência - por favor aguarde",
                unidade: { tipo: "País", endereco: { uf: "HK" } },
                unidadeDestino: { tipo: "País", endereco: { uf: "BR" } },
              },
              { codigo: "PO", tipo: "01", dtHrCriado: "2026-09-30T10:00:00", descricao: "Objeto postado", unidade: { tipo: "País", endereco: { uf: "ES" } } },
            ],
          },
        ],
      },
      [code],
    ).get(code)!;
    expect(o.status).toBe("OUT_FOR_DELIVERY");
    const [route, transfer, posted] = o.events;
    expect(route).toMatchObject({
      description: "Objeto em rota de entrega",
      detail: "Aguarde envio de link para acompanhar a entrega\nem tempo real",
      time: "2026-10-03T17:02:45-03:00",
      location: { unitType: "Unidade de Tratamento", city: "SAO PAULO", state: "SP", country: "BR" },
    });
    expect(route!.location).not.toHaveProperty("unitName", expect.anything());
    // Abroad: the country apart from the state, and no offset made up for a clock nobody names.
    expect(transfer).toMatchObject({ time: "2026-10-01T09:10:00", location: { country: "HK" }, destination: { country: "BR" } });
    expect(transfer!.location!.state).toBeUndefined();
    expect(transfer!.destination!.state).toBeUndefined();
    // ES is also a state (Espírito Santo): a unit whose type says "País" is read as the country.
    expect(posted!.location).toMatchObject({ country: "ES" });
    expect(posted!.location!.state).toBeUndefined();
  });

  it("refuses an answer without an objetos list", () => {
    for (const bad of [undefined, null, "", {}, { objetos: "x" }]) {
      expect(() => parseTrackingBody(bad, [UNKNOWN])).toThrow(UpstreamError);
    }
  });
});
