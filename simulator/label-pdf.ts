// The label PDF: one page per pre-posting with the service, the tracking code as text and as a Code 128 barcode,
// the recipient and (unless imprimeRemetente is N) the sender. Page size by layoutImpressao: LINEAR_100_150
// 100 × 150 mm, LINEAR_100_80 100 × 80 mm, PADRAO / LINEAR_A4 / LINEAR_A A4. The drawing is laid out on a
// 100 × 150 mm grid and scaled to the page. pdf-lib writes the PDF, bwip-js draws the barcode (both pure JavaScript).

import { toBuffer } from "bwip-js";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFImage, type PDFPage } from "pdf-lib";
import type { Person } from "./prepost-checks.js";
import type { PrepostRecord } from "./prepost-store.js";
import { serviceName } from "./prepost-view.js";

export const LAYOUTS = ["PADRAO", "LINEAR_100_150", "LINEAR_100_80", "LINEAR_A4", "LINEAR_A"] as const;
export type Layout = (typeof LAYOUTS)[number];

const MM = 72 / 25.4;
const GRID_W = 100 * MM;
const GRID_H = 150 * MM;
const A4: [number, number] = [595.28, 841.89];
const PAGE_SIZE: Record<Layout, [number, number]> = {
  PADRAO: A4,
  LINEAR_100_150: [GRID_W, GRID_H],
  LINEAR_100_80: [GRID_W, 80 * MM],
  LINEAR_A4: A4,
  LINEAR_A: A4,
};

export interface LabelOptions {
  layout: Layout;
  tipoRotulo: "P" | "R";
  formatoRotulo: "ET" | "EV";
  imprimeRemetente: boolean;
}

/** Standard PDF fonts cover WinAnsi only: keep Latin-1 letters (accents included), strip other marks, else "?". */
export function pdfSafe(text: string): string {
  return [...text]
    .map((ch) => {
      if (/[\x20-\x7e\xa0-\xff]/.test(ch)) return ch;
      const base = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      return /^[\x20-\x7e]+$/.test(base) ? base : "?";
    })
    .join("");
}

export async function buildLabelsPdf(records: readonly PrepostRecord[], options: LabelOptions): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle("Rótulos de pré-postagem");
  doc.setProducer("Correios CWS simulator");
  doc.setCreationDate(new Date(0));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (const record of records) {
    const png = await toBuffer({ bcid: "code128", text: record.code, scale: 3, height: 14, includetext: false });
    const barcode = await doc.embedPng(png);
    const page = doc.addPage(PAGE_SIZE[options.layout]);
    const scale = Math.min(page.getWidth() / GRID_W, page.getHeight() / GRID_H);
    const draw = new GridPen(page, scale, regular, bold);
    drawLabel(draw, record, options, barcode);
  }
  return Buffer.from(await doc.save());
}

/** Draws on the 100 × 150 mm grid, measured from the top-left corner, scaled to the page. */
class GridPen {
  constructor(
    private readonly page: PDFPage,
    private readonly scale: number,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {}

  text(value: string, x: number, y: number, size: number, strong = false): void {
    this.page.drawText(pdfSafe(value), {
      x: x * this.scale,
      y: this.page.getHeight() - (y + size) * this.scale,
      size: size * this.scale,
      font: strong ? this.bold : this.regular,
      color: rgb(0, 0, 0),
    });
  }

  image(img: PDFImage, x: number, y: number, w: number, h: number): void {
    this.page.drawImage(img, { x: x * this.scale, y: this.page.getHeight() - (y + h) * this.scale, width: w * this.scale, height: h * this.scale });
  }

  line(y: number): void {
    const at = this.page.getHeight() - y * this.scale;
    this.page.drawLine({ start: { x: 5 * MM * this.scale, y: at }, end: { x: 95 * MM * this.scale, y: at }, thickness: 0.8 * this.scale });
  }
}

function drawLabel(pen: GridPen, r: PrepostRecord, o: LabelOptions, barcode: PDFImage): void {
  const req = r.request;
  const small = o.tipoRotulo === "R" ? 7 : 8;
  pen.text(serviceName(req.codigoServico), 10 * MM, 6 * MM, 12, true);
  pen.text(`Contrato/cartão ${r.card} · ${o.formatoRotulo === "EV" ? "Envelope" : "Etiqueta"}`, 10 * MM, 12 * MM, small);
  if (req.reverse) pen.text(`LOGÍSTICA REVERSA · e-ticket ${r.eticket ?? ""}`, 10 * MM, 17 * MM, small, true);
  pen.text(r.code, 22 * MM, 23 * MM, 16, true);
  pen.image(barcode, 10 * MM, 30 * MM, 80 * MM, 16 * MM);
  pen.text(`Peso ${req.weightG} g · Volume 1/1`, 10 * MM, 49 * MM, small);
  pen.line(55 * MM);
  let y = person(pen, "DESTINATÁRIO", req.destinatario, 58 * MM, o.tipoRotulo === "R" ? 9 : 10);
  if (o.imprimeRemetente) {
    pen.line(y + 3 * MM);
    y = person(pen, "Remetente:", req.remetente, y + 6 * MM, small);
  }
}

function person(pen: GridPen, title: string, p: Person, top: number, size: number): number {
  const a = p.endereco;
  const lines = [
    p.nome,
    `${a.logradouro}, ${a.numero}${a.complemento ? ` ${a.complemento}` : ""}`,
    a.bairro,
    `${a.cep.slice(0, 5)}-${a.cep.slice(5)} ${a.cidade}/${a.uf}`,
  ];
  pen.text(title, 8 * MM, top, size, true);
  let y = top + size * 1.5;
  for (const [i, line] of lines.entries()) {
    pen.text(line, 8 * MM, y, size, i === 3);
    y += size * 1.35;
  }
  return y;
}
