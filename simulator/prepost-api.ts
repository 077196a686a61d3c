// Pre-posting (PPN, api 36): create (reverse logistics included), the v2 list, the posted movement and cancellation.
//   POST   /prepostagem/v1/prepostagens                         → 200 record (prepost-view.ts)
//   GET    /prepostagem/v2/prepostagens?id|codigoObjeto|eTicket|status|logisticaReversa&page&size → {itens, page}
//   GET    /prepostagem/v1/prepostagens/postada?codigoObjeto=   → 200 movement once POSTADO, else 404
//   DELETE /prepostagem/v1/prepostagens/{id}?idCorreiosSolicitanteCancelamento=       → {resultadoCancelamento, …}
//   DELETE /prepostagem/v1/prepostagens/objeto/{codigoObjeto}?idCorreiosSolicitanteCancelamento=

import { authorize, type Caller } from "./business-auth.js";
import { HttpError, type Exchange } from "./http-utils.js";
import { brasiliaToday } from "./local-time.js";
import { MSG } from "./messages.js";
import { checkPrepost } from "./prepost-checks.js";
import { STATUS, STATUS_NAME, type Owner, type StatusCode } from "./prepost-store.js";
import { postedJson, recordJson } from "./prepost-view.js";
import type { SimulatorState } from "./state.js";

export const PREPOST_PATH = "/prepostagem/v1/prepostagens";
export const PREPOST_LIST_PATH = "/prepostagem/v2/prepostagens";
export const PREPOST_POSTED_PATH = "/prepostagem/v1/prepostagens/postada";
export const PREPOST_BY_CODE_PREFIX = "/prepostagem/v1/prepostagens/objeto/";
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 50;

/** The authorized caller and the owner its records are filed under; undefined when refused (already answered). */
export function prepostCaller(ex: Exchange, state: SimulatorState): (Caller & { owner: Owner }) | undefined {
  const caller = authorize(ex, state, "prepost");
  return caller ? { ...caller, owner: { login: caller.account.login, card: caller.token.card! } } : undefined;
}

export async function handlePrepostCreate(ex: Exchange, state: SimulatorState): Promise<void> {
  const caller = prepostCaller(ex, state);
  if (!caller) return;
  const request = checkPrepost(await ex.jsonBody(), caller.account, brasiliaToday());
  const record = state.prepost.create(caller.owner, request);
  ex.json(200, recordJson(state.prepost, record));
}

export function handlePrepostList(ex: Exchange, state: SimulatorState): void {
  const caller = prepostCaller(ex, state);
  if (!caller) return;
  const q = (name: string) => ex.url.searchParams.get(name)?.trim() || undefined;
  const id = q("id");
  const code = q("codigoObjeto")?.toUpperCase();
  const eticket = q("eTicket");
  const statusParam = q("status");
  const reverse = q("logisticaReversa")?.toUpperCase();
  if (!id && !code && !eticket && !statusParam && !reverse && !q("codigoEstampa2D")) {
    throw new HttpError(400, [MSG.ppnQueryParamsMissing]);
  }
  const status = statusParam === undefined ? undefined : statusOf(statusParam);
  if (reverse !== undefined && reverse !== "S" && reverse !== "N") throw new HttpError(400, [MSG.ppnQueryParamInvalid("logisticaReversa")]);
  const page = intParam(q("page"), 0, "page", 0, Number.MAX_SAFE_INTEGER);
  const size = intParam(q("size"), DEFAULT_PAGE_SIZE, "size", 1, MAX_PAGE_SIZE);

  const store = state.prepost;
  const matching = store.list(caller.owner).filter(
    (r) =>
      (!id || r.id === id) &&
      (!code || r.code === code) &&
      (!eticket || r.eticket === eticket) &&
      (status === undefined || store.status(r) === status) &&
      (reverse === undefined || (reverse === "S") === r.request.reverse),
  );
  const totalPages = Math.ceil(matching.length / size);
  const itens = matching.slice(page * size, page * size + size).map((r) => recordJson(store, r));
  ex.json(200, {
    itens,
    page: {
      size,
      numberElements: itens.length,
      totalPages,
      number: page,
      count: matching.length,
      next: page + 1 < totalPages,
      previous: page > 0,
      first: page === 0,
      last: page + 1 >= totalPages,
    },
  });
}

export function handlePrepostPosted(ex: Exchange, state: SimulatorState): void {
  const caller = prepostCaller(ex, state);
  if (!caller) return;
  const code = ex.url.searchParams.get("codigoObjeto")?.trim();
  if (!code) throw new HttpError(400, [MSG.ppnQueryParamInvalid("codigoObjeto")]);
  const record = state.prepost.find(code, caller.owner);
  if (!record || record.code !== code.toUpperCase()) throw new HttpError(404, [MSG.ppnNotFound]);
  if (!record.posting) throw new HttpError(404, [MSG.ppnObjectNotPosted]);
  ex.json(200, postedJson(record));
}

export function handlePrepostCancel(ex: Exchange, state: SimulatorState): void {
  const caller = prepostCaller(ex, state);
  if (!caller) return;
  const byCode = ex.path.startsWith(PREPOST_BY_CODE_PREFIX);
  const ref = decodeURIComponent(ex.path.slice((byCode ? PREPOST_BY_CODE_PREFIX : `${PREPOST_PATH}/`).length));
  const requester = ex.url.searchParams.get("idCorreiosSolicitanteCancelamento")?.trim();
  if (!requester) throw new HttpError(400, [MSG.ppnCancelRequesterMissing]);
  if (requester !== caller.owner.login) throw new HttpError(400, [MSG.ppnCancelRequesterMismatch]);
  const record = state.prepost.find(ref, caller.owner);
  if (!record || (byCode ? record.code !== ref.toUpperCase() : record.id !== ref)) throw new HttpError(404, [MSG.ppnNotFound]);
  const status = state.prepost.status(record);
  if (status !== STATUS.PREPOSTADO) throw new HttpError(400, [MSG.ppnCancelNotAllowed(STATUS_NAME[status])]);
  const idRecibo = state.prepost.cancel(record);
  ex.json(200, { resultadoCancelamento: "CANCELADO", mensagem: MSG.ppnCancelled, idRecibo });
}

/** A status filter by name (PREPOSTADO) or number (2). */
function statusOf(value: string): StatusCode {
  const upper = value.toUpperCase();
  const found = (Object.entries(STATUS_NAME) as [string, string][]).find(([n, name]) => name === upper || n === upper);
  if (!found) throw new HttpError(400, [MSG.ppnQueryParamInvalid("status")]);
  return Number(found[0]) as StatusCode;
}

function intParam(value: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new HttpError(400, [MSG.ppnQueryParamInvalid(name)]);
  return n;
}
