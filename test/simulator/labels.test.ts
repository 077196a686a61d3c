import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { OPS, getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MSG, startSimulator, type Simulator } from "../../simulator/index.js";
import { cardToken } from "./helpers.js";
import { control, create, order, reverseOrder, send, withPerson, type PrepostBody } from "./prepost-fixtures.js";

const OTHER = { login: "outra-loja", accessCode: "O".repeat(40), card: "0071234567", contract: "9971234567" };
const FONTS = `${join(dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

interface Download {
  idRecibo: string;
  mensagem?: string;
  nome?: string;
  dados?: string;
}

/** Every page's text, read by Mozilla's PDF parser; `images` counts the pages that paint an image (the barcode). */
async function pdfPages(base64: string): Promise<string[] & { images: number }> {
  const pdf = await getDocument({ data: new Uint8Array(Buffer.from(base64, "base64")), standardFontDataUrl: FONTS }).promise;
  const pages = Object.assign([] as string[], { images: 0 });
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join("\n"));
    if ((await page.getOperatorList()).fnArray.includes(OPS.paintImageXObject)) pages.images += 1;
  }
  await pdf.destroy();
  return pages;
}

describe("simulator labels", () => {
  let sim: Simulator;
  let token: string;
  let other: string;
  const request = (body: unknown, t = token) => send(sim, "POST", "/prepostagem/v1/prepostagens/rotulo/assincrono/pdf", t, body);
  const download = (idRecibo: string, t = token) => send(sim, "GET", `/prepostagem/v1/prepostagens/rotulo/download/assincrono/${idRecibo}`, t);
  const receipt = async (body: unknown): Promise<string> => {
    const res = await request(body);
    expect(res.status).toBe(200);
    return ((await res.json()) as { idRecibo: string }).idRecibo;
  };

  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
    sim.addAccount(OTHER);
    token = await cardToken(sim);
    other = await cardToken(sim, OTHER);
  });
  afterAll(() => sim.close());

  it("answers 'still producing' for the first polls, then a real PDF with one page per label", async () => {
    const pac = await create(sim, token);
    const sedex = await create(sim, token, withPerson("destinatario", { nome: "João Araújo" }, order({ codigoServico: "03220" })));
    const idRecibo = await receipt({ idsPrePostagem: [pac.id, sedex.id], numeroCartaoPostagem: "0076770702", tipoRotulo: "P", formatoRotulo: "ET", imprimeRemetente: "S", layoutImpressao: "LINEAR_100_150" });
    expect(idRecibo).toMatch(/^[0-9a-f]{32}$/);

    for (let poll = 1; poll <= 2; poll++) {
      const res = await download(idRecibo);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ idRecibo, mensagem: MSG.labelPending });
    }
    const ready = (await (await download(idRecibo)).json()) as Download;
    expect(ready.nome).toBe(`rotulo_${idRecibo}.pdf`);
    expect(ready).not.toHaveProperty("mensagem");
    expect(Buffer.from(ready.dados!, "base64").subarray(0, 5).toString("latin1")).toBe("%PDF-");

    const pages = await pdfPages(ready.dados!);
    expect(pages).toHaveLength(2);
    expect(pages.images).toBe(2);
    expect(pages[0]).toContain(pac.codigoObjeto);
    expect(pages[0]).toContain("PAC CONTRATO AG");
    expect(pages[0]).toContain("Maria da Silva");
    expect(pages[0]).toContain("13010-111 Campinas/SP");
    expect(pages[0]).toContain("Loja Demo Ltda");
    expect(pages[1]).toContain(sedex.codigoObjeto);
    expect(pages[1]).toContain("SEDEX CONTRATO AG");
    expect(pages[1]).toContain("João Araújo");

    // The same receipt keeps answering the same document.
    expect(((await (await download(idRecibo)).json()) as Download).dados).toBe(ready.dados);
  });

  it("reprints by object code, leaves the sender out when asked, and follows the configured poll count", async () => {
    sim.setConfig({ labelPendingPolls: 0 });
    try {
      const back = await create(sim, token, reverseOrder());
      const idRecibo = await receipt({ codigosObjeto: [back.codigoObjeto], imprimeRemetente: "N", tipoRotulo: "R", layoutImpressao: "PADRAO" });
      const first = (await (await download(idRecibo)).json()) as Download;
      const [page] = await pdfPages(first.dados!);
      expect(page).toContain(back.codigoObjeto);
      expect(page).toContain("PAC REVERSO");
      expect(page).toContain(`e-ticket ${String(back["eticket"])}`);
      expect(page).toContain("Loja Demo Ltda"); // the shop is the recipient of a return
      expect(page).not.toContain("Maria da Silva"); // the customer sends it, and the sender is not printed

      await control(sim, "POST", `prepostagens/${back.id}/post`);
      const reprint = await receipt({ codigosObjeto: [back.codigoObjeto] });
      expect(((await (await download(reprint)).json()) as Download).dados).toBeDefined();
    } finally {
      sim.setConfig({ labelPendingPolls: 2 });
    }
  });

  it("checks the request: references, options, status and the owner", async () => {
    const mine = await create(sim, token);
    const cancelled = await create(sim, token);
    await send(sim, "DELETE", `/prepostagem/v1/prepostagens/${cancelled.id}?idCorreiosSolicitanteCancelamento=loja-demo`, token);
    const cases: [unknown, string][] = [
      [{}, MSG.labelIdsMissing],
      [{ idsPrePostagem: [] }, MSG.labelIdsMissing],
      [{ idsPrePostagem: [mine.id], tipoRotulo: "X" }, MSG.labelOptionInvalid("tipoRotulo", "P, R")],
      [{ idsPrePostagem: [mine.id], formatoRotulo: "A4" }, MSG.labelOptionInvalid("formatoRotulo", "ET, EV")],
      [{ idsPrePostagem: [mine.id], layoutImpressao: "LINEAR_10_15" }, MSG.labelOptionInvalid("layoutImpressao", "PADRAO, LINEAR_100_150, LINEAR_100_80, LINEAR_A4, LINEAR_A")],
      [{ idsPrePostagem: [mine.id], numeroCartaoPostagem: "0079066690" }, MSG.ppnCardMismatch],
      [{ idsPrePostagem: ["PRdesconhecido0000000000"] }, MSG.labelNotFound("PRdesconhecido0000000000")],
      [{ idsPrePostagem: [mine.codigoObjeto] }, MSG.labelNotFound(mine.codigoObjeto)],
      [{ idsPrePostagem: [cancelled.id] }, MSG.labelNotPrintable(cancelled.id, "CANCELADO")],
      [{ idsPrePostagem: Array(101).fill(mine.id) }, MSG.labelTooMany(100)],
    ];
    for (const [body, msg] of cases) {
      const res = await request(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { msgs: string[] }).msgs).toEqual([msg]);
    }
    // Only the credentials that created a pre-posting can print it, or download its receipt.
    const foreign = await request({ idsPrePostagem: [mine.id] }, other);
    expect(((await foreign.json()) as { msgs: string[] }).msgs).toEqual([MSG.labelNotFound(mine.id)]);
    const idRecibo = await receipt({ idsPrePostagem: [mine.id] });
    const stolen = await download(idRecibo, other);
    expect(stolen.status).toBe(404);
    expect(((await stolen.json()) as { msgs: string[] }).msgs).toEqual([MSG.labelReceiptNotFound]);
    expect((await download("0".repeat(32))).status).toBe(404);
  });

  it("answers the content declaration as HTML while PREPOSTADO", async () => {
    const a = await create(sim, token);
    const b = await create(sim, token, order({ itensDeclaracaoConteudo: [{ conteudo: "Livro <Dom Casmurro>", quantidade: "1", valor: "42,90" }] }));
    const res = await send(sim, "GET", `/prepostagem/v1/prepostagens/declaracaoconteudo/${a.id},${b.id}`, token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("DECLARAÇÃO DE CONTEÚDO");
    expect(html).toContain("Caneca de cerâmica");
    expect(html).toContain("Livro &#60;Dom Casmurro&#62;");
    expect(html).toContain(a.codigoObjeto);
    expect(html.match(/<section/g)).toHaveLength(2);

    await control(sim, "POST", `prepostagens/${a.id}/post`);
    const refused = await send(sim, "GET", `/prepostagem/v1/prepostagens/declaracaoconteudo/${a.id}`, token);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { msgs: string[] }).msgs).toEqual([MSG.ppnStatusNotPrepostado(a.id, "POSTADO")]);
    expect((await send(sim, "GET", `/prepostagem/v1/prepostagens/declaracaoconteudo/${b.id}`, other)).status).toBe(404);
  });

  it("counts label calls under labels, and faults apply to them", async () => {
    const record: PrepostBody = await create(sim, token);
    sim.reset();
    const idRecibo = await receipt({ idsPrePostagem: [record.id] });
    await download(idRecibo);
    await send(sim, "GET", `/prepostagem/v1/prepostagens/declaracaoconteudo/${record.id}`, token);
    expect(sim.counts()).toMatchObject({ labels: 3, prepost: 0, total: 3 });
    sim.addFault({ endpoint: "labels", kind: "status", status: 500, times: 1 });
    expect((await download(idRecibo)).status).toBe(500);
    expect((await download(idRecibo)).status).toBe(200);
  });
});
