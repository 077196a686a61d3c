// GET /srorastro/v1/objetos?codigosObjetos=…&resultado=T|U|P and GET /srorastro/v1/objetos/{code}.

import { readObjectCode } from "./object-codes.js";
import { authorize } from "./business-auth.js";
import type { Exchange } from "./http-utils.js";
import { MSG } from "./messages.js";
import type { SimulatorState } from "./state.js";
import { historyOf, isInvalidObjectCode, type History } from "./tracking-histories.js";

export const TRACKING_VERSION = "3.5.38";
/** The envelope's `resultado` text: "Todos os Eventos" is the manual's; the other two follow it [ours]. */
const RESULT_NAMES = { T: "Todos os Eventos", U: "Último Evento", P: "Primeiro Evento" } as const;
type ResultKind = keyof typeof RESULT_NAMES;

const SINGLE_PREFIX = "/srorastro/v1/objetos/";

export function handleTracking(ex: Exchange, state: SimulatorState): void {
  if (!authorize(ex, state, "tracking")) return;
  const single = ex.path.startsWith(SINGLE_PREFIX);
  const codes = single ? [decodeURIComponent(ex.path.slice(SINGLE_PREFIX.length))] : ex.queryList("codigosObjetos");
  if (codes.length === 0 || codes[0] === "") {
    ex.error(400, [MSG.trackingNone]);
    return;
  }
  const limit = state.config.trackingBatchLimit;
  if (codes.length > limit) {
    ex.error(400, [MSG.trackingTooMany(limit)]);
    return;
  }
  const requested = (ex.url.searchParams.get("resultado") ?? (single ? "T" : "U")).toUpperCase();
  if (!(requested in RESULT_NAMES)) {
    ex.error(400, [MSG.trackingBadResult]);
    return;
  }
  const resultado = requested as ResultKind;
  const objetos = codes.map((code) => trackingObject(state, code, resultado));
  // The manual's answer names the field `resultado` (a spec summary said `tipoResultado`).
  ex.json(200, { versao: TRACKING_VERSION, quantidade: objetos.length, resultado: RESULT_NAMES[resultado], objetos });
}

function trackingObject(state: SimulatorState, input: string, resultado: ResultKind): Record<string, unknown> {
  const code = readObjectCode(input);
  if (!code) return { codObjeto: input, mensagem: MSG.objectInvalid };
  // Well-formed but invalid all the same (the XX prefix, see tracking-histories.ts).
  if (isInvalidObjectCode(code)) return { codObjeto: code, mensagem: MSG.objectInvalid };
  const history = state.trackingMoves.apply(code, historyOf(code));
  if (!history) return { codObjeto: code, mensagem: MSG.objectNotFound };
  return toObject(history, resultado);
}

function toObject(h: History, resultado: ResultKind): Record<string, unknown> {
  const eventos = resultado === "T" ? h.eventos : resultado === "U" ? h.eventos.slice(0, 1) : h.eventos.slice(-1);
  return {
    codObjeto: h.code,
    tipoPostal: h.tipoPostal,
    ...(h.dtPrevista ? { dtPrevista: h.dtPrevista } : {}),
    largura: h.largura,
    comprimento: h.comprimento,
    altura: h.altura,
    diametro: h.diametro,
    peso: h.peso,
    formato: h.formato,
    modalidade: h.modalidade,
    valorDeclarado: h.valorDeclarado,
    eventos,
  };
}
