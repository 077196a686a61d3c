// POST /preco/v1/nacional (batch) and GET /preco/v1/nacional/{coProduto} (one product), priced from price-table.ts.

import type { Account } from "./accounts.js";
import { authorize } from "./business-auth.js";
import type { Exchange } from "./http-utils.js";
import { MSG } from "./messages.js";
import {
  AUTOMATIC_INSURANCE_CENTS,
  CUBIC_THRESHOLD_G,
  DECLARED_VALUE_RATE_PER_MILLE,
  DECLARED_VALUE_SERVICES,
  FIXED_SERVICE_CENTS,
  bandOf,
  formatCents,
  parseMoneyCents,
  productPriceCents,
  productRule,
} from "./price-table.js";
import { itemKey, jsonSource, productFromPath, querySource, readBatch, routeRefusal, type FieldSource } from "./quote-checks.js";
import type { SimulatorState } from "./state.js";

export const PRICE_BATCH_PATH = "/preco/v1/nacional";
const SINGLE_PREFIX = "/preco/v1/nacional/";

export async function handlePrice(ex: Exchange, state: SimulatorState): Promise<void> {
  const caller = authorize(ex, state, "price");
  if (!caller) return;
  if (ex.path.startsWith(SINGLE_PREFIX)) {
    const result = priceItem(caller.account, querySource(ex, productFromPath(ex.path, SINGLE_PREFIX)));
    // One product has no array to carry txErro in, so its refusal is the request's (our reading; unconfirmed).
    if (typeof result["txErro"] === "string") ex.error(400, [result["txErro"]]);
    else ex.json(200, result);
    return;
  }
  const limit = state.config.priceBatchLimit;
  const items = await readBatch(ex, "parametrosProduto", limit, { missing: MSG.priceItemsMissing, tooMany: MSG.priceTooMany(limit) });
  if (items) ex.json(200, items.map((item) => priceItem(caller.account, jsonSource(item))));
}

export function priceItem(account: Account, src: FieldSource): Record<string, unknown> {
  const key = itemKey(src);
  const refuse = (txErro: string) => ({ ...key, txErro });
  const cepOrigem = src.text("cepOrigem") ?? "";
  const cepDestino = src.text("cepDestino") ?? "";
  const routeError = routeRefusal(account, key.coProduto, cepOrigem, cepDestino);
  if (routeError) return refuse(routeError);

  const rule = productRule(key.coProduto);
  const weightG = Math.ceil(Number(src.text("psObjeto") ?? NaN));
  if (!Number.isFinite(weightG) || weightG <= 0) return refuse(MSG.weightMissing);
  if (weightG > rule.maxWeightG) return refuse(MSG.weightOverLimit);

  const services = src.list("servicosAdicionais").map((c) => c.padStart(3, "0"));
  const unknown = services.find((c) => !(c in FIXED_SERVICE_CENTS) && !DECLARED_VALUE_SERVICES.includes(c));
  if (unknown) return refuse(MSG.additionalServiceInvalid(unknown));
  const declaredCents = parseMoneyCents(src.text("vlDeclarado"));
  const wantsDeclared = services.some((c) => DECLARED_VALUE_SERVICES.includes(c));
  if (wantsDeclared && declaredCents === undefined) return refuse(MSG.declaredValueMissing);
  if (src.date("dtEvento") === "invalid") return refuse(MSG.eventDateInvalid);

  const cubicG = cubicWeightG(src);
  const cubic = cubicG > CUBIC_THRESHOLD_G && cubicG > weightG;
  const chargedG = cubic ? cubicG : weightG;
  const base = productPriceCents(bandOf(cepOrigem, cepDestino), chargedG, rule);

  const declaredFee = (declaredCents ?? 0) > AUTOMATIC_INSURANCE_CENTS
    ? Math.round((((declaredCents ?? 0) - AUTOMATIC_INSURANCE_CENTS) * DECLARED_VALUE_RATE_PER_MILLE) / 1000)
    : 0;
  const servicoAdicional = services.map((code) => ({
    coServAdicional: code,
    tpServAdicional: "A",
    pcServicoAdicional: formatCents(DECLARED_VALUE_SERVICES.includes(code) ? declaredFee : FIXED_SERVICE_CENTS[code]!),
  }));
  const servicesTotal = services.reduce(
    (sum, code) => sum + (DECLARED_VALUE_SERVICES.includes(code) ? declaredFee : FIXED_SERVICE_CENTS[code]!),
    0,
  );
  const final = base + servicesTotal;
  return {
    ...key,
    pcBase: formatCents(base),
    pcBaseGeral: formatCents(base),
    peVariacao: "0,00",
    pcReferencia: formatCents(Math.round((base * 12) / 10)),
    vlBaseCalculoImposto: formatCents(final),
    inPesoCubico: cubic ? "S" : "N",
    psCobrado: String(chargedG),
    servicoAdicional,
    peAdValorem: wantsDeclared ? "1,50" : "0,00",
    vlSeguroAutomatico: formatCents(AUTOMATIC_INSURANCE_CENTS),
    qtAdicional: "0",
    pcFaixa: formatCents(base),
    pcFaixaVariacao: formatCents(base),
    pcProduto: formatCents(base),
    pcTotalServicosAdicionais: formatCents(servicesTotal),
    pcFinal: formatCents(final),
  };
}

/** Rolls (tpObjeto 3) use length × diameter²; everything else length × width × height. */
function cubicWeightG(src: FieldSource): number {
  const n = (name: string) => {
    const v = Number(src.text(name) ?? 0);
    return Number.isFinite(v) && v > 0 ? v : 0;
  };
  const volume = src.text("tpObjeto") === "3" ? n("comprimento") * n("diametro") ** 2 : n("comprimento") * n("largura") * n("altura");
  return Math.ceil(volume / 6);
}
