// Preço (API 34) and Prazo (API 35): the batch calls and the one mapping from their Portuguese answers to ours.
// Items of several quotes share a call: each item carries its own nuRequisicao, and an answer counts for an item only
// when it echoes both that number and the item's coProduto.
import { randomUUID } from "node:crypto";
import type { CorreiosHttpClient } from "../../upstream/http-client.js";
import { CWS_PATHS, DEFAULT_ZONE_OFFSET } from "./endpoints.js";
import { UpstreamError, type CorreiosApi } from "../../upstream/errors.js";
import { centsToCorreios, parseCorreiosMoney, parseOptionalCorreiosMoney } from "../domain/money.js";
import { formatToCorreios, type PackageFormat } from "../domain/package-limits.js";
import { declaredValueServiceCode } from "../domain/products.js";
import { localToOffset } from "./tracking.js";

/** One product to price for one route and package. Dimensions are whole centimetres. */
export interface PriceItem {
  productCode: string;
  originCep: string;
  destinationCep: string;
  weightGrams: number;
  format: PackageFormat;
  lengthCm?: number;
  widthCm?: number;
  heightCm?: number;
  diameterCm?: number;
  /** Codes such as 001 (AR) and 002 (MP); the declared-value code is added here from the product's family. */
  additionalServices: string[];
  /** 0 for none. */
  declaredValueCents: number;
  /** YYYY-MM-DD; Correios' default (today) when absent. */
  postingDate?: string;
  contract?: string;
  dr?: number;
}

export interface DeadlineItem {
  productCode: string;
  originCep: string;
  destinationCep: string;
  postingDate?: string;
}

export interface PriceParts {
  baseCents?: number;
  productCents?: number;
  additionalServicesCents?: number;
  additionalServices: Array<{ code: string; cents: number }>;
  /** Retail (counter) price, for comparison. */
  referenceCents?: number;
  automaticInsuranceCents?: number;
  taxBaseCents?: number;
  chargedWeightGrams?: number;
  cubicWeightCharged?: boolean;
}

/** Why Correios (or our reading of its answer) gave no value for one item. */
export interface ItemRefusal {
  ok: false;
  /** Our code: SERVICE_NOT_CONTRACTED, WEIGHT_OVER_LIMIT, INVALID_CEP, REFUSED_BY_CORREIOS, NO_ANSWER, BAD_ANSWER. */
  code: string;
  message: string;
  /** The prefix Correios put on txErro, such as ERP-010. */
  correiosCode?: string;
  /** True when asking again may give another answer (nothing usable came back); such results are not cached. */
  transient: boolean;
}

export type PriceOutcome = { ok: true; priceCents: number; parts: PriceParts } | ItemRefusal;

export type DeadlineOutcome =
  | {
      ok: true;
      deliveryDays: number;
      /** ISO 8601 with the Brasília offset: the latest moment Correios commits to (dataMaxima). */
      maxDate?: string;
      homeDelivery?: boolean;
      saturdayDelivery?: boolean;
      note?: string;
    }
  | ItemRefusal;

interface PrecoResponse {
  coProduto?: string;
  nuRequisicao?: string | number;
  pcBase?: string;
  pcReferencia?: string;
  vlBaseCalculoImposto?: string;
  inPesoCubico?: string;
  psCobrado?: string | number;
  servicoAdicional?: Array<{ coServAdicional?: string; pcServicoAdicional?: string }>;
  vlSeguroAutomatico?: string;
  pcProduto?: string;
  pcTotalServicosAdicionais?: string;
  pcFinal?: string;
  txErro?: string;
}

interface PrazoResponse {
  coProduto?: string;
  nuRequisicao?: string | number;
  prazoEntrega?: number | string;
  dataMaxima?: string;
  entregaDomiciliar?: string;
  entregaSabado?: string;
  msgPrazo?: string | null;
  txErro?: string;
}

export class PricingClient {
  constructor(
    private readonly http: CorreiosHttpClient,
    private readonly baseUrl: string,
    /** Items per upstream call [?: one source says 100, two clients send 5]. */
    private readonly batchSize: number,
  ) {}

  /** Outcomes in the order of `items`; one call per `batchSize` items, sent together. */
  fetchPrices(token: string, items: PriceItem[], signal?: AbortSignal): Promise<PriceOutcome[]> {
    return this.batched("price", CWS_PATHS.priceBatch, "parametrosProduto", token, items.map(priceParams), mapPrice, signal);
  }

  fetchDeadlines(token: string, items: DeadlineItem[], signal?: AbortSignal): Promise<DeadlineOutcome[]> {
    return this.batched("deadline", CWS_PATHS.deadlineBatch, "parametrosPrazo", token, items.map(deadlineParams), mapDeadline, signal);
  }

  private async batched<R extends { txErro?: string }, O>(
    api: CorreiosApi,
    path: string,
    listField: string,
    token: string,
    params: Array<Record<string, unknown>>,
    map: (answer: R) => O,
    signal: AbortSignal | undefined,
  ): Promise<Array<O | ItemRefusal>> {
    const chunks: Array<Array<Record<string, unknown>>> = [];
    for (let i = 0; i < params.length; i += this.batchSize) chunks.push(params.slice(i, i + this.batchSize));
    const answers = await Promise.all(
      chunks.map(async (chunk) => {
        const numbered = chunk.map((p, i) => ({ ...p, nuRequisicao: String(i + 1) }));
        const res = await this.http.request<unknown>({
          api,
          method: "POST",
          url: `${this.baseUrl}${path}`,
          headers: { authorization: `Bearer ${token}` },
          body: JSON.stringify({ idLote: randomUUID(), [listField]: numbered }),
          // A price or deadline query changes nothing upstream, so it is safe to retry.
          idempotent: true,
          signal,
        });
        return matchAnswers<R>(api, res.body, numbered).map((a) => ("answer" in a ? readItem(a.answer, map) : a));
      }),
    );
    return answers.flat();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Requests.

function priceParams(item: PriceItem): Record<string, unknown> {
  const services = [...item.additionalServices];
  const declaredCode = item.declaredValueCents > 0 ? declaredValueServiceCode(item.productCode) : undefined;
  if (declaredCode && !services.includes(declaredCode)) services.push(declaredCode);
  const dims: Record<string, string> = {};
  // Only the dimensions of the format travel (an envelope has no height, a roll has a diameter instead).
  if (item.lengthCm !== undefined) dims.comprimento = String(item.lengthCm);
  if (item.widthCm !== undefined) dims.largura = String(item.widthCm);
  if (item.heightCm !== undefined) dims.altura = String(item.heightCm);
  if (item.diameterCm !== undefined) dims.diametro = String(item.diameterCm);
  return {
    coProduto: item.productCode,
    ...(item.contract ? { nuContrato: item.contract } : {}),
    ...(item.dr !== undefined ? { nuDR: item.dr } : {}),
    cepOrigem: item.originCep,
    cepDestino: item.destinationCep,
    psObjeto: String(item.weightGrams),
    tpObjeto: formatToCorreios(item.format),
    ...dims,
    servicosAdicionais: additionalServicesParam(services),
    ...(item.declaredValueCents > 0 ? { vlDeclarado: centsToCorreios(item.declaredValueCents) } : {}),
    ...(item.postingDate ? { dtEvento: toCorreiosDate(item.postingDate) } : {}),
  };
}

function deadlineParams(item: DeadlineItem): Record<string, unknown> {
  return {
    coProduto: item.productCode,
    cepOrigem: item.originCep,
    cepDestino: item.destinationCep,
    ...(item.postingDate ? { dtEvento: toCorreiosDate(item.postingDate) } : {}),
  };
}

/**
 * YYYY-MM-DD → dd/MM/yyyy, the form of `dtEvento` in the official manual's POST examples of both batch APIs
 * ("18/03/2022") [manual]. A spec summary says DD-MM-YYYY [1]; where the manual shows a form, we follow the manual.
 */
export function toCorreiosDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-");
  return `${d}/${m}/${y}`;
}

/**
 * Additional services as the official manual's price batch sends them: `[{ "coServAdicional": "019" }, ...]` [manual],
 * as peers do too; not as bare codes.
 */
export function additionalServicesParam(codes: readonly string[]): Array<{ coServAdicional: string }> {
  return codes.map((coServAdicional) => ({ coServAdicional }));
}

const OFFSET_MS = (() => {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(DEFAULT_ZONE_OFFSET)!;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
})();

/** Today's date in Brasília (YYYY-MM-DD): the posting date Correios assumes when none is sent. */
export function brasiliaDate(nowMs = Date.now()): string {
  return new Date(nowMs + OFFSET_MS).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------------
// Answers.

/**
 * The batch answer is a plain array [2+] whose items echo `coProduto` and `nuRequisicao` [manual]. An answer goes to
 * the item its nuRequisicao names (to the item at its position when it has none), and counts only when it names that
 * item's product too. A number given to two answers, an answer naming another product, or an item left out is that
 * item's error, never another service's price. (One client reports Correios answering 03298 with 04669 [1]: if that
 * is real, such items fail here as BAD_ANSWER rather than being priced as what was not asked.)
 */
function matchAnswers<R extends { txErro?: string }>(
  api: CorreiosApi,
  body: unknown,
  asked: ReadonlyArray<Record<string, unknown>>,
): Array<{ answer: R } | ItemRefusal> {
  if (!Array.isArray(body)) {
    throw new UpstreamError("BAD_RESPONSE", api, `Correios ${api} API answered a batch without a list of items`);
  }
  const slots: R[][] = asked.map(() => []);
  body.forEach((a: unknown, position) => {
    if (!a || typeof a !== "object") return;
    const given = (a as { nuRequisicao?: unknown }).nuRequisicao;
    const n = Number(given);
    const index = given === undefined || given === null || given === "" ? position : Number.isInteger(n) && n >= 1 ? n - 1 : -1;
    slots[index]?.push(a as R);
  });
  return slots.map((answers, i) => {
    const product = String(asked[i]!.coProduto);
    if (answers.length === 0) return noAnswer(api);
    if (answers.length > 1) return badAnswer(`Correios ${api} API gave request number ${i + 1} to ${answers.length} answers; none is used.`);
    const a = answers[0]!;
    const echoed = productCode((a as { coProduto?: unknown }).coProduto);
    // A refusal that leaves coProduto out is still this item's refusal; a value needs the product named.
    if (echoed === undefined ? !hasTxErro(a) : echoed !== productCode(product)) {
      return badAnswer(`Correios ${api} API answered request number ${i + 1} with product ${echoed ?? "(none)"}, not ${product}.`);
    }
    return { answer: a };
  });
}

/** A product code as compared: digits as sent, with leading zeros restored (03220 and 3220 are one code). */
function productCode(v: unknown): string | undefined {
  const s = typeof v === "number" && Number.isInteger(v) ? String(v) : typeof v === "string" ? v.trim() : "";
  // Anything else is not a product code: "?" never equals one, and keeps Correios' junk out of our messages.
  return /^\d{1,8}$/.test(s) ? s.padStart(5, "0") : s === "" ? undefined : "?";
}

function hasTxErro(a: { txErro?: string }): boolean {
  return typeof a.txErro === "string" && a.txErro.trim() !== "";
}

function badAnswer(message: string): ItemRefusal {
  return { ok: false, code: "BAD_ANSWER", message, transient: true };
}

function readItem<R extends { txErro?: string }, O>(answer: R, map: (a: R) => O): O | ItemRefusal {
  if (hasTxErro(answer)) return refusal(answer.txErro!.trim());
  try {
    return map(answer);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return badAnswer(`Correios answered this item in a form we cannot read (${why}).`);
  }
}

function noAnswer(api: CorreiosApi): ItemRefusal {
  return { ok: false, code: "NO_ANSWER", message: `Correios ${api} API left this item out of its answer.`, transient: true };
}

/** Our codes for the txErro prefixes seen so far [1 for the codes; wording varies]. Others keep REFUSED_BY_CORREIOS. */
const REFUSAL_CODES: Readonly<Record<string, string>> = Object.freeze({
  "ERP-010": "SERVICE_NOT_CONTRACTED",
  "ERP-002": "INVALID_CEP",
  "ERP-006": "ROUTE_NOT_SERVED",
  "ERP-015": "WEIGHT_OVER_LIMIT",
});

export function refusal(txErro: string): ItemRefusal {
  const correiosCode = /^([A-Z]{2,5}-\d{2,4})\b/.exec(txErro)?.[1];
  return {
    ok: false,
    code: (correiosCode && REFUSAL_CODES[correiosCode]) ?? "REFUSED_BY_CORREIOS",
    message: txErro.slice(0, 500),
    ...(correiosCode ? { correiosCode } : {}),
    transient: false,
  };
}

function mapPrice(a: PrecoResponse): PriceOutcome {
  if (typeof a.pcFinal !== "string") throw new RangeError("no pcFinal");
  const charged = a.psCobrado === undefined || a.psCobrado === "" ? undefined : Number(a.psCobrado);
  return {
    ok: true,
    priceCents: parseCorreiosMoney(a.pcFinal),
    parts: {
      baseCents: parseOptionalCorreiosMoney(a.pcBase),
      productCents: parseOptionalCorreiosMoney(a.pcProduto),
      additionalServicesCents: parseOptionalCorreiosMoney(a.pcTotalServicosAdicionais),
      additionalServices: (a.servicoAdicional ?? [])
        .filter((s) => typeof s?.coServAdicional === "string")
        .map((s) => ({ code: s.coServAdicional!.padStart(3, "0"), cents: parseOptionalCorreiosMoney(s.pcServicoAdicional) ?? 0 })),
      referenceCents: parseOptionalCorreiosMoney(a.pcReferencia),
      automaticInsuranceCents: parseOptionalCorreiosMoney(a.vlSeguroAutomatico),
      taxBaseCents: parseOptionalCorreiosMoney(a.vlBaseCalculoImposto),
      chargedWeightGrams: charged !== undefined && Number.isSafeInteger(charged) ? charged : undefined,
      cubicWeightCharged: a.inPesoCubico === undefined ? undefined : a.inPesoCubico === "S",
    },
  };
}

function mapDeadline(a: PrazoResponse): DeadlineOutcome {
  const days = Number(a.prazoEntrega);
  if (a.prazoEntrega === undefined || a.prazoEntrega === "" || !Number.isInteger(days) || days < 0) {
    throw new RangeError("no prazoEntrega");
  }
  const flag = (v: string | undefined) => (v === "S" ? true : v === "N" ? false : undefined);
  return {
    ok: true,
    deliveryDays: days,
    maxDate: localToOffset(a.dataMaxima),
    homeDelivery: flag(a.entregaDomiciliar),
    saturdayDelivery: flag(a.entregaSabado),
    note: typeof a.msgPrazo === "string" && a.msgPrazo.trim() !== "" ? a.msgPrazo.trim() : undefined,
  };
}
