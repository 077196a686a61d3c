// The pre-posting API (PPN): create, read, cancel, posted data, labels and the content declaration. The only file
// that knows PPN's Portuguese field names: requests are built from our English records and answers mapped back once.
// Paths and fields: ../shared/correios-postings.md §1–§2 (CONFIRMED unless the note beside a field says otherwise).
import type { CorreiosHttpClient } from "../../upstream/http-client.js";
import { CWS_PATHS } from "./endpoints.js";
import { UpstreamError } from "../../upstream/errors.js";
import { centsToCorreios, parseOptionalCorreiosMoney } from "../domain/money.js";
import { formatToCorreios } from "../domain/package-limits.js";
import { localToOffset } from "./tracking.js";
import type { Party, PostingRequest } from "../domain/posting.js";
import { LABEL_LAYOUTS, LABEL_TYPES, POSTING_STATUSES, POSTING_STATUS_BY_NUMBER, type LabelLayout, type LabelType, type PostingStatus } from "../domain/posting-rules.js";

/** What we send: the validated posting plus who sends it; toCorreiosBody is the one mapping to PPN's fields. */
export interface PrepostRequest extends PostingRequest {
  apiLogin: string;
  postingCard: string;
  /** Reverse logistics: the customer sends the parcel back with an authorization. */
  reverse?: { validUntil: string; pickup: boolean; originalTrackingCode?: string };
}

export interface PrepostRecord {
  id: string;
  trackingCode?: string;
  status: PostingStatus | "UNKNOWN";
  statusText?: string;
  statusAt?: string;
  history: Array<{ status: PostingStatus | "UNKNOWN"; at?: string }>;
  priceCents?: number;
  /** Reverse logistics: e-ticket (authorization), its date, the collection number and the outbound code. */
  eticket?: string;
  eticketDate?: string;
  collectionNumber?: string;
  originalTrackingCode?: string;
  validUntil?: string;
  cancelReason?: string;
}

export interface PostedData {
  chargedCents?: number;
  postedAt?: string;
  chargedWeightGrams?: number;
}

export type LabelDownload = { ready: false; message: string } | { ready: true; fileName: string; base64: string };

/** Correios dates are dd/MM/yyyy in PPN requests [CONFIRMED: T3W, manual examples]. */
export function toCorreiosDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

function fromCorreiosDate(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const br = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value.trim());
  if (br) return `${br[3]}-${br[2]}-${br[1]}`;
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

function party(p: Party): Record<string, unknown> {
  return {
    nome: p.name,
    ...(p.document ? { cpfCnpj: p.document.digits } : {}),
    ...(p.phone ? { dddTelefone: p.phone.areaCode, telefone: p.phone.number } : {}),
    ...(p.mobile ? { dddCelular: p.mobile.areaCode, celular: p.mobile.number } : {}),
    ...(p.email ? { email: p.email } : {}),
    endereco: {
      cep: p.address.cep,
      logradouro: p.address.street,
      numero: p.address.number,
      ...(p.address.complement ? { complemento: p.address.complement } : {}),
      bairro: p.address.district,
      cidade: p.address.city,
      uf: p.address.state,
    },
  };
}

export function toCorreiosBody(r: PrepostRequest): Record<string, unknown> {
  const p = r.package;
  const cm = (v: number | undefined) => (v === undefined ? undefined : String(v));
  return {
    idCorreios: r.apiLogin,
    numeroCartaoPostagem: r.postingCard,
    codigoServico: r.service,
    remetente: party(r.sender),
    destinatario: party(r.recipient),
    // Weight in grams and sizes in cm, as strings [CONFIRMED: T3W, ELISEI].
    pesoInformado: String(p.weightGrams),
    codigoFormatoObjetoInformado: formatToCorreios(p.format),
    ...(p.heightCm !== undefined ? { alturaInformada: cm(p.heightCm) } : {}),
    ...(p.widthCm !== undefined ? { larguraInformada: cm(p.widthCm) } : {}),
    ...(p.lengthCm !== undefined ? { comprimentoInformado: cm(p.lengthCm) } : {}),
    ...(p.diameterCm !== undefined ? { diametroInformado: cm(p.diameterCm) } : {}),
    itensDeclaracaoConteudo: r.declaredContent.map((i) => ({ conteudo: i.description, quantidade: String(i.quantity), valor: centsToCorreios(i.unitValueCents) })),
    ...(r.additionalServices.length
      ? {
          listaServicoAdicional: r.additionalServices.map((code) => ({
            codigoServicoAdicional: code,
            // The declared amount travels with the declared-value service (019 / 064 / 065).
            ...(r.declaredValueCents > 0 && ["019", "064", "065"].includes(code) ? { valorDeclarado: centsToCorreios(r.declaredValueCents) } : {}),
          })),
        }
      : {}),
    ...(r.invoice?.number ? { numeroNotaFiscal: r.invoice.number } : {}),
    ...(r.invoice?.accessKey ? { chaveNFe: r.invoice.accessKey } : {}),
    cienteObjetoNaoProibido: "1",
    logisticaReversa: r.reverse ? "S" : "N",
    solicitarColeta: r.reverse?.pickup ? "S" : "N",
    ...(r.reverse ? { dataValidadeLogReversa: toCorreiosDate(r.reverse.validUntil) } : {}),
    ...(r.reverse?.originalTrackingCode ? { codigoObjetoIda: r.reverse.originalTrackingCode } : {}),
  };
}

function statusOf(value: unknown): PostingStatus | "UNKNOWN" {
  if (typeof value === "number") return POSTING_STATUS_BY_NUMBER[value - 1] ?? "UNKNOWN";
  if (typeof value === "string") {
    const s = value.trim().toUpperCase();
    if (/^\d$/.test(s)) return POSTING_STATUS_BY_NUMBER[Number(s) - 1] ?? "UNKNOWN";
    return (POSTING_STATUSES as Record<string, PostingStatus>)[s] ?? "UNKNOWN";
  }
  return "UNKNOWN";
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : undefined);

function time(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  const br = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}:\d{2}(?::\d{2})?))?$/.exec(s);
  if (br) return localToOffset(`${br[3]}-${br[2]}-${br[1]}T${br[4] ?? "00:00:00"}`);
  return localToOffset(s);
}

function money(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Math.round(v * 100);
  const s = str(v);
  if (!s) return undefined;
  try {
    return parseOptionalCorreiosMoney(s.includes(",") ? s : s.replace(".", ","));
  } catch {
    return undefined;
  }
}

export function mapRecord(body: unknown): PrepostRecord {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const id = str(b.id);
  if (!id) throw new UpstreamError("BAD_RESPONSE", "prepost", "Correios pre-posting API answered without a pre-posting id");
  const history = Array.isArray(b.historicoStatus)
    ? (b.historicoStatus as Array<Record<string, unknown>>).map((h) => ({ status: statusOf(h?.status), at: time(h?.dataHora) }))
    : [];
  return {
    id,
    trackingCode: str(b.codigoObjeto)?.toUpperCase(),
    status: statusOf(b.statusAtual),
    statusText: str(b.descStatusAtual),
    statusAt: time(b.dataHoraStatusAtual),
    history,
    priceCents: money(b.precoPrePostagem ?? b.precoServico),
    eticket: str(b.eticket),
    eticketDate: time(b.dataEticket),
    collectionNumber: str(b.nuColeta),
    originalTrackingCode: str(b.codigoObjetoIda)?.toUpperCase(),
    validUntil: fromCorreiosDate(b.dataValidadeLogReversa),
    cancelReason: str(b.motivoCancelamento),
  };
}

export class PrepostClient {
  constructor(
    private readonly http: CorreiosHttpClient,
    private readonly baseUrl: string,
  ) {}

  private auth(token: string) {
    return { authorization: `Bearer ${token}` };
  }

  /** Never retried: Correios has no idempotency key, and a repeated create would make a second pre-posting. */
  async create(token: string, r: PrepostRequest): Promise<PrepostRecord> {
    const res = await this.http.request<unknown>({
      api: "prepost",
      method: "POST",
      url: `${this.baseUrl}${CWS_PATHS.prepostings}`,
      headers: this.auth(token),
      body: JSON.stringify(toCorreiosBody(r)),
      idempotent: false,
    });
    return mapRecord(res.body);
  }

  /** The v2 list filtered by id; undefined when Correios has no such pre-posting for this credential. */
  async get(token: string, id: string): Promise<PrepostRecord | undefined> {
    const res = await this.http.request<{ itens?: unknown[] }>({
      api: "prepost",
      method: "GET",
      url: `${this.baseUrl}${CWS_PATHS.prepostingsList}?id=${encodeURIComponent(id)}`,
      headers: this.auth(token),
    });
    const item = Array.isArray(res.body?.itens) ? res.body.itens[0] : undefined;
    return item ? mapRecord(item) : undefined;
  }

  async cancel(token: string, id: string, apiLogin: string): Promise<{ cancelled: boolean; message?: string }> {
    const res = await this.http.request<Record<string, unknown>>({
      api: "prepost",
      method: "DELETE",
      url: `${this.baseUrl}${CWS_PATHS.prepostings}/${encodeURIComponent(id)}?idCorreiosSolicitanteCancelamento=${encodeURIComponent(apiLogin)}`,
      headers: this.auth(token),
      idempotent: false,
    });
    const b = res.body ?? {};
    const outcome = str(b.resultadoCancelamento)?.toUpperCase();
    // [1] The values of resultadoCancelamento are not documented: anything but an explicit refusal after a 2xx counts.
    const refused = outcome !== undefined && /^(N|NAO|NÃO|FALSE|ERRO|RECUSADO)/.test(outcome);
    return { cancelled: !refused, message: str(b.mensagem) };
  }

  /** What Correios charged once the parcel was posted; undefined before (a 404 until then). */
  async posted(token: string, trackingCode: string): Promise<PostedData | undefined> {
    let res;
    try {
      res = await this.http.request<unknown>({
        api: "prepost",
        method: "GET",
        url: `${this.baseUrl}${CWS_PATHS.prepostingPosted}?codigoObjeto=${encodeURIComponent(trackingCode)}`,
        headers: this.auth(token),
      });
    } catch (e) {
      if (e instanceof UpstreamError && e.details.status === 404) return undefined;
      throw e;
    }
    const body = Array.isArray(res.body) ? res.body[0] : res.body;
    if (!body || typeof body !== "object") return undefined;
    const b = body as Record<string, unknown>;
    // Field names of the t3w Movimentacao DTO [1]; the older names are read too in case the answer differs.
    const weight = Number(str(b.pesoTarifadoObjeto ?? b.pesoObjeto ?? b.pesoTarifado ?? b.peso));
    return {
      chargedCents: money(b.valorAtendimento),
      postedAt: time(b.dataHoraAtendimento ?? b.dataPostagem ?? b.dataHoraPostagem),
      ...(Number.isFinite(weight) && weight > 0 ? { chargedWeightGrams: weight } : {}),
    };
  }

  /** Starts Correios' asynchronous label PDF for these pre-postings; answers the receipt (idRecibo) to poll. */
  async requestLabels(token: string, r: { ids: string[]; postingCard: string; apiLogin: string; layout: LabelLayout; type: LabelType }): Promise<string> {
    const res = await this.http.request<Record<string, unknown>>({
      api: "labels",
      method: "POST",
      url: `${this.baseUrl}${CWS_PATHS.labelsAsync}`,
      headers: this.auth(token),
      body: JSON.stringify({
        idsPrePostagem: r.ids,
        numeroCartaoPostagem: r.postingCard,
        idCorreios: r.apiLogin,
        tipoRotulo: LABEL_TYPES[r.type],
        formatoRotulo: "ET",
        imprimeRemetente: "S",
        layoutImpressao: LABEL_LAYOUTS[r.layout],
      }),
      idempotent: false,
    });
    const receipt = str(res.body?.idRecibo);
    if (!receipt) throw new UpstreamError("BAD_RESPONSE", "labels", "Correios label API answered without a receipt (idRecibo)");
    return receipt;
  }

  /** One poll: `mensagem` (or a 404, per another peer) means still being produced; `dados` is the base64 PDF. */
  async downloadLabels(token: string, receipt: string): Promise<LabelDownload> {
    try {
      const res = await this.http.request<Record<string, unknown>>({
        api: "labels",
        method: "GET",
        url: `${this.baseUrl}${CWS_PATHS.labelsDownload}/${encodeURIComponent(receipt)}`,
        headers: this.auth(token),
      });
      const dados = str(res.body?.dados);
      if (dados) return { ready: true, fileName: str(res.body?.nome) ?? `${receipt}.pdf`, base64: dados.replace(/\s+/g, "") };
      return { ready: false, message: str(res.body?.mensagem) ?? "The label is still being produced." };
    } catch (e) {
      if (e instanceof UpstreamError && e.details.status === 404) return { ready: false, message: e.message };
      throw e;
    }
  }

  /** The content declaration (HTML) of PREPOSTADO pre-postings. */
  async declaration(token: string, ids: string[]): Promise<string> {
    const res = await this.http.request<string>({
      api: "prepost",
      method: "GET",
      url: `${this.baseUrl}${CWS_PATHS.contentDeclaration}/${ids.map(encodeURIComponent).join(",")}`,
      headers: { ...this.auth(token), accept: "text/html" },
      responseType: "text",
    });
    return typeof res.body === "string" ? res.body : "";
  }
}
