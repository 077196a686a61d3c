// POST /prazo/v1/nacional (batch) and GET /prazo/v1/nacional/{coProduto}; days from price-table.ts.

import type { Account } from "./accounts.js";
import { authorize } from "./business-auth.js";
import type { Exchange } from "./http-utils.js";
import { DAY_MS, brasiliaToday, formatNaive } from "./local-time.js";
import { MSG } from "./messages.js";
import { bandOf, deadlineDays, productRule } from "./price-table.js";
import { itemKey, jsonSource, productFromPath, querySource, readBatch, routeRefusal, type FieldSource } from "./quote-checks.js";
import type { SimulatorState } from "./state.js";

const SINGLE_PREFIX = "/prazo/v1/nacional/";
const TIME_NOTES: Record<string, string> = {
  "03158": "Entrega até as 10 horas do dia útil seguinte nas localidades atendidas.",
  "03140": "Entrega até as 12 horas do dia útil seguinte nas localidades atendidas.",
};

export async function handleDeadline(ex: Exchange, state: SimulatorState): Promise<void> {
  const caller = authorize(ex, state, "deadline");
  if (!caller) return;
  if (ex.path.startsWith(SINGLE_PREFIX)) {
    const result = deadlineItem(caller.account, querySource(ex, productFromPath(ex.path, SINGLE_PREFIX)));
    if (typeof result["txErro"] === "string") ex.error(400, [result["txErro"]]);
    else ex.json(200, result);
    return;
  }
  const limit = state.config.priceBatchLimit;
  const items = await readBatch(ex, "parametrosPrazo", limit, { missing: MSG.deadlineItemsMissing, tooMany: MSG.deadlineTooMany(limit) });
  if (items) ex.json(200, items.map((item) => deadlineItem(caller.account, jsonSource(item))));
}

export function deadlineItem(account: Account, src: FieldSource, nowMs = Date.now()): Record<string, unknown> {
  const key = itemKey(src);
  const cepOrigem = src.text("cepOrigem") ?? "";
  const cepDestino = src.text("cepDestino") ?? "";
  const routeError = routeRefusal(account, key.coProduto, cepOrigem, cepDestino);
  if (routeError) return { ...key, txErro: routeError };

  const given = src.date("dtEvento");
  if (given === "invalid") return { ...key, txErro: MSG.eventDateInvalid };
  const postedOn = given ?? brasiliaToday(nowMs);

  const rule = productRule(key.coProduto);
  const days = deadlineDays(bandOf(cepOrigem, cepDestino), rule);
  const note = TIME_NOTES[key.coProduto];
  return {
    ...key,
    prazoEntrega: days,
    dataMaxima: formatNaive(addDaysSkippingSundays(postedOn, days) + DAY_MS - 1000),
    entregaDomiciliar: "S",
    entregaSabado: rule.family === "SEDEX" ? "S" : "N",
    ...(note ? { msgPrazo: note } : {}),
  };
}

/** Naive midnight `days` days later, where Sundays do not count. */
export function addDaysSkippingSundays(naiveMidnight: number, days: number): number {
  let at = naiveMidnight;
  let left = days;
  while (left > 0) {
    at += DAY_MS;
    if (new Date(at).getUTCDay() !== 0) left -= 1;
  }
  return at;
}
