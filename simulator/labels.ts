// Labels and printed forms of the pre-posting API, counted as "labels":
//   POST /prepostagem/v1/prepostagens/rotulo/assincrono/pdf          → 200 {idRecibo}
//   GET  /prepostagem/v1/prepostagens/rotulo/download/assincrono/{idRecibo}
//        → the first `labelPendingPolls` downloads (config, default 2) answer 200 {idRecibo, mensagem} ("still being
//          produced"), later ones 200 {idRecibo, nome, dados} with dados the base64 PDF (label-pdf.ts)
//   GET  /prepostagem/v1/prepostagens/declaracaoconteudo/{id,id,…} → text/html (every pre-posting PREPOSTADO)
// Only the credentials that created a pre-posting can print it; others get "not found".

import { HttpError, asText, isRecord, type Exchange } from "./http-utils.js";
import { contentDeclarationHtml } from "./content-declaration.js";
import { LAYOUTS, buildLabelsPdf, type Layout } from "./label-pdf.js";
import { MSG } from "./messages.js";
import { prepostCaller } from "./prepost-api.js";
import { STATUS, STATUS_NAME, type LabelJob, type PrepostRecord } from "./prepost-store.js";
import type { SimulatorState } from "./state.js";

export const LABEL_REQUEST_PATH = "/prepostagem/v1/prepostagens/rotulo/assincrono/pdf";
export const LABEL_DOWNLOAD_PREFIX = "/prepostagem/v1/prepostagens/rotulo/download/assincrono/";
export const CONTENT_DECLARATION_PREFIX = "/prepostagem/v1/prepostagens/declaracaoconteudo/";
/** Labels per request (ours; no source gives the real limit). */
export const LABEL_LIMIT = 100;

export async function handleLabelRequest(ex: Exchange, state: SimulatorState): Promise<void> {
  const caller = prepostCaller(ex, state);
  if (!caller) return;
  const body = await ex.jsonBody();
  if (!isRecord(body)) throw new HttpError(400, [MSG.badBody]);
  const refs = (name: string) => (Array.isArray(body[name]) ? (body[name] as unknown[]) : []).map((v) => asText(v) ?? "");
  const ids = refs("idsPrePostagem");
  const codes = refs("codigosObjeto");
  if (ids.length + codes.length === 0) throw new HttpError(400, [MSG.labelIdsMissing]);
  if (ids.length + codes.length > LABEL_LIMIT) throw new HttpError(400, [MSG.labelTooMany(LABEL_LIMIT)]);
  const card = asText(body["numeroCartaoPostagem"]);
  if (card && card !== caller.owner.card) throw new HttpError(400, [MSG.ppnCardMismatch]);
  const idCorreios = asText(body["idCorreios"]);
  if (idCorreios && idCorreios !== caller.owner.login) throw new HttpError(400, [MSG.ppnIdCorreiosMismatch]);
  const option = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = asText(body[name]) || fallback;
    if (!allowed.includes(v as T)) throw new HttpError(400, [MSG.labelOptionInvalid(name, allowed.join(", "))]);
    return v as T;
  };
  const tipoRotulo = option("tipoRotulo", ["P", "R"] as const, "P");
  const formatoRotulo = option("formatoRotulo", ["ET", "EV"] as const, "ET");
  const imprimeRemetente = option("imprimeRemetente", ["S", "N"] as const, "S") === "S";
  const layoutImpressao = option<Layout>("layoutImpressao", LAYOUTS, "PADRAO");

  const resolve = (ref: string, byCode: boolean): PrepostRecord => {
    const record = state.prepost.find(ref, caller.owner);
    if (!record || (byCode ? record.code !== ref.toUpperCase() : record.id !== ref)) throw new HttpError(400, [MSG.labelNotFound(ref)]);
    const status = state.prepost.status(record);
    // Reprints by code are allowed after posting; cancelled and expired ones have no label.
    if (status !== STATUS.PREPOSTADO && status !== STATUS.POSTADO) throw new HttpError(400, [MSG.labelNotPrintable(ref, STATUS_NAME[status])]);
    return record;
  };
  const records = [...ids.map((id) => resolve(id, false)), ...codes.map((code) => resolve(code, true))];
  const job = state.prepost.addLabelJob({
    owner: caller.owner,
    ids: records.map((r) => r.id),
    tipoRotulo,
    formatoRotulo,
    imprimeRemetente,
    layoutImpressao,
  });
  ex.json(200, { idRecibo: job.idRecibo });
}

export async function handleLabelDownload(ex: Exchange, state: SimulatorState): Promise<void> {
  const caller = prepostCaller(ex, state);
  if (!caller) return;
  const idRecibo = decodeURIComponent(ex.path.slice(LABEL_DOWNLOAD_PREFIX.length));
  const job = state.prepost.labelJob(idRecibo, caller.owner);
  if (!job) throw new HttpError(404, [MSG.labelReceiptNotFound]);
  job.polls += 1;
  if (job.polls <= state.config.labelPendingPolls) {
    ex.json(200, { idRecibo, mensagem: MSG.labelPending });
    return;
  }
  job.pdf ??= buildPdf(state, job);
  const pdf = await job.pdf;
  ex.json(200, { idRecibo, nome: `rotulo_${idRecibo}.pdf`, dados: pdf.toString("base64") });
}

function buildPdf(state: SimulatorState, job: LabelJob): Promise<Buffer> {
  const records = job.ids.map((id) => state.prepost.find(id, job.owner)!);
  return buildLabelsPdf(records, {
    layout: job.layoutImpressao as Layout,
    tipoRotulo: job.tipoRotulo,
    formatoRotulo: job.formatoRotulo,
    imprimeRemetente: job.imprimeRemetente,
  });
}

export function handleContentDeclaration(ex: Exchange, state: SimulatorState): void {
  const caller = prepostCaller(ex, state);
  if (!caller) return;
  const ids = decodeURIComponent(ex.path.slice(CONTENT_DECLARATION_PREFIX.length))
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
  if (ids.length === 0) throw new HttpError(400, [MSG.labelIdsMissing]);
  const records = ids.map((id) => {
    const record = state.prepost.find(id, caller.owner);
    if (!record || record.id !== id) throw new HttpError(404, [MSG.ppnNotFound]);
    const status = state.prepost.status(record);
    if (status !== STATUS.PREPOSTADO) throw new HttpError(400, [MSG.ppnStatusNotPrepostado(id, STATUS_NAME[status])]);
    return record;
  });
  ex.send(200, contentDeclarationHtml(records), "text/html");
}
