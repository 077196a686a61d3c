// What price and deadline items have in common: reading fields from a JSON item or a query string, and the
// per-item refusals (product not contracted, bad CEPs) that come back as `txErro` inside a 200 answer.

import type { Account } from "./accounts.js";
import { HttpError, asText, isRecord, type Exchange } from "./http-utils.js";
import { parseDayMonthYear } from "./local-time.js";
import { MSG } from "./messages.js";
import { isValidCep } from "./price-table.js";

/** Reads one field as text, list fields (servicosAdicionais) as arrays, and `dtEvento` in the form of its source. */
export interface FieldSource {
  text(name: string): string | undefined;
  list(name: string): string[];
  /** Naive midnight of a date field; "invalid" when present but not a real date in the source's form. */
  date(name: string): number | "invalid" | undefined;
}

/**
 * A batch item (POST body), in the forms of the official manual's POST examples: additional services as objects
 * (`[{ "coServAdicional": "019" }]`) and dates as dd/MM/yyyy ("18/03/2022"). A bare code in the list is refused with
 * 400, as a strict JSON reader would; a date in another form is that item's txErro.
 */
export function jsonSource(item: unknown): FieldSource {
  const record = isRecord(item) ? item : {};
  return {
    text: (name) => asText(record[name]),
    list: (name) => {
      const v = record[name];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v) || v.some((x) => !isRecord(x))) throw new HttpError(400, [MSG.additionalServicesForm]);
      return v.map((x) => asText((x as Record<string, unknown>)["coServAdicional"])).filter((x): x is string => x !== undefined && x !== "");
    },
    date: (name) => readDate(asText(record[name]), "/"),
  };
}

/** Query parameters, with the product code taken from the path: repeated codes, and DD-MM-YYYY dates [1]. */
export function querySource(ex: Exchange, coProduto: string): FieldSource {
  return {
    text: (name) => (name === "coProduto" ? coProduto : (ex.url.searchParams.get(name)?.trim() ?? undefined)),
    list: (name) => ex.queryList(name),
    date: (name) => readDate(ex.url.searchParams.get(name) ?? undefined, "-"),
  };
}

function readDate(text: string | undefined, separator: "-" | "/"): number | "invalid" | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  return parseDayMonthYear(text, separator) ?? "invalid";
}

/** The product code from a `/v1/nacional/{coProduto}` path. */
export function productFromPath(path: string, prefix: string): string {
  return decodeURIComponent(path.slice(prefix.length)).trim();
}

/** The first refusal that applies, in the order Correios reports them. */
export function routeRefusal(account: Account, coProduto: string, cepOrigem: string, cepDestino: string): string | undefined {
  if (!account.products.includes(coProduto)) return MSG.productNotContracted;
  if (!isValidCep(cepOrigem)) return MSG.cepOriginInvalid;
  if (!isValidCep(cepDestino)) return MSG.cepDestinationInvalid;
  return undefined;
}

/** The echo fields every item answer starts with. */
export function itemKey(src: FieldSource): { coProduto: string; nuRequisicao?: string } {
  const nuRequisicao = src.text("nuRequisicao");
  return { coProduto: src.text("coProduto") ?? "", ...(nuRequisicao !== undefined ? { nuRequisicao } : {}) };
}

/** Checks the batch envelope; answers 400 and returns undefined when it is unusable. */
export async function readBatch(
  ex: Exchange,
  listField: "parametrosProduto" | "parametrosPrazo",
  limit: number,
  messages: { missing: string; tooMany: string },
): Promise<unknown[] | undefined> {
  const body = await ex.jsonBody();
  const record = isRecord(body) ? body : {};
  const idLote = asText(record["idLote"]);
  if (!idLote) {
    ex.error(400, [MSG.lotIdMissing]);
    return undefined;
  }
  const items = record[listField];
  if (!Array.isArray(items) || items.length === 0) {
    ex.error(400, [messages.missing]);
    return undefined;
  }
  if (items.length > limit) {
    ex.error(400, [messages.tooMany]);
    return undefined;
  }
  return items;
}
