// Control routes for pre-postings, so tests order events without sleeping (errors are {error}, like the control API):
//   GET  /__simulator/prepostagens                 → [{id, codigoObjeto, idCorreios, numeroCartaoPostagem, statusAtual}]
//   POST /__simulator/prepostagens/{id|code}/post   {pesoGramas?, cepAgencia?} → the record, now POSTADO (3)
//   POST /__simulator/prepostagens/{id|code}/expire → the record, now EXPIRADO (4)
// Both transitions start from PREPOSTADO only (409 otherwise); unknown references are 404.

import { HttpError, isRecord, type Exchange } from "./http-utils.js";
import { STATUS, STATUS_NAME, type PrepostRecord } from "./prepost-store.js";
import { chargedWeight, recordJson } from "./prepost-view.js";
import type { SimulatorState } from "./state.js";

export interface PostingOptions {
  /** Weight measured at the agency; the informed weight when absent. */
  pesoGramas?: number;
  /** CEP of the agency; the sender's CEP when absent. */
  cepAgencia?: string;
}

function pending(state: SimulatorState, ref: string): PrepostRecord {
  const record = state.prepost.find(ref, undefined);
  if (!record) throw new HttpError(404, [`no pre-posting ${ref}`]);
  const status = state.prepost.status(record);
  if (status !== STATUS.PREPOSTADO) throw new HttpError(409, [`pre-posting ${ref} is ${STATUS_NAME[status]}, not PREPOSTADO`]);
  return record;
}

/** Marks a pre-posting as handed over at an agency (POSTADO). */
export function postPrePosting(state: SimulatorState, ref: string, opts: PostingOptions = {}): Record<string, unknown> {
  const { pesoGramas, cepAgencia } = opts;
  if (pesoGramas !== undefined && !(Number.isInteger(pesoGramas) && pesoGramas > 0)) throw new TypeError("pesoGramas must be a positive integer");
  if (cepAgencia !== undefined && !/^\d{8}$/.test(cepAgencia)) throw new TypeError("cepAgencia must be 8 digits");
  const record = pending(state, ref);
  const weightG = pesoGramas ?? record.request.weightG;
  state.prepost.post(record, {
    weightG,
    chargedWeightG: chargedWeight(record.request, weightG),
    cepAgencia: cepAgencia ?? record.request.remetente.endereco.cep,
    numeroAtendimento: `9${record.code.slice(2, 10)}`,
  });
  return recordJson(state.prepost, record);
}

export function expirePrePosting(state: SimulatorState, ref: string): Record<string, unknown> {
  const record = pending(state, ref);
  state.prepost.expire(record);
  return recordJson(state.prepost, record);
}

/** Answers a /__simulator/prepostagens route; false when the route is not one of these. */
export async function handlePrepostControl(ex: Exchange, state: SimulatorState, route: string): Promise<boolean> {
  if (route === "GET /prepostagens") {
    ex.json(
      200,
      state.prepost.all().map((r) => ({
        id: r.id,
        codigoObjeto: r.code,
        idCorreios: r.login,
        numeroCartaoPostagem: r.card,
        statusAtual: state.prepost.status(r),
      })),
    );
    return true;
  }
  const m = /^POST \/prepostagens\/([^/]+)\/(post|expire)$/.exec(route);
  if (!m) return false;
  const ref = decodeURIComponent(m[1]!);
  if (m[2] === "expire") {
    ex.json(200, expirePrePosting(state, ref));
    return true;
  }
  const body = await ex.jsonBody();
  if (body !== undefined && !isRecord(body)) throw new HttpError(400, ["the body must be a JSON object"]);
  ex.json(200, postPrePosting(state, ref, (body ?? {}) as PostingOptions));
  return true;
}
