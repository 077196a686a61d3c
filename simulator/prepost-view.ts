// How a pre-posting record is answered: the create/list record (request fields echoed, plus id, code, status and
// prices) and the "postada" movement (what was charged at the agency). Prices come from price-table.ts, so a test
// can compute them by hand: precoServico is the product price for the informed weight, precoPrePostagem adds the
// additional services; valorAtendimento is the same sum for the weight charged at the agency.

import { formatNaive, HOUR_MS } from "./local-time.js";
import type { PrepostRequest } from "./prepost-checks.js";
import { STATUS, STATUS_DESCRIPTION, type PrepostRecord, type PrepostStore } from "./prepost-store.js";
import {
  AUTOMATIC_INSURANCE_CENTS,
  CUBIC_THRESHOLD_G,
  DECLARED_VALUE_RATE_PER_MILLE,
  FIXED_SERVICE_CENTS,
  bandOf,
  formatCents,
  productPriceCents,
  productRule,
} from "./price-table.js";
import { formatSlashDate } from "./br-formats.js";

const OFFSET_MS = 3 * HOUR_MS;
const REVERSE_NAMES: Record<string, string> = {
  "03301": "PAC REVERSO",
  "03174": "SEDEX 12 REVERSO",
  "03182": "SEDEX 10 REVERSO",
  "03190": "SEDEX HOJE REVERSO",
  "03247": "SEDEX REVERSO",
};

export function serviceName(code: string): string {
  return REVERSE_NAMES[code] ?? productRule(code).name;
}

/** A real instant → Brasília local date-time, e.g. 2026-03-14T10:22:05. */
function local(instantMs: number): string {
  return formatNaive(instantMs - OFFSET_MS);
}

export interface Quote {
  serviceCents: number;
  servicesCents: { code: string; cents: number }[];
  totalCents: number;
}

/** Price of the request for a charged weight (the informed one at pre-posting, the measured one at posting). */
export function quote(request: PrepostRequest, chargedWeightG: number): Quote {
  const band = bandOf(request.remetente.endereco.cep, request.destinatario.endereco.cep);
  const serviceCents = productPriceCents(band, chargedWeightG, productRule(request.codigoServico));
  const servicesCents = request.services.map(({ codigoServicoAdicional: code }) => ({
    code,
    cents:
      FIXED_SERVICE_CENTS[code] ??
      Math.round((Math.max(0, request.declaredCents - AUTOMATIC_INSURANCE_CENTS) * DECLARED_VALUE_RATE_PER_MILLE) / 1000),
  }));
  return { serviceCents, servicesCents, totalCents: serviceCents + servicesCents.reduce((s, x) => s + x.cents, 0) };
}

/** Cubic weight (L × W × H / 6, rolls L × D²) when it exceeds both 5 kg and the real weight, else the real weight. */
export function chargedWeight(request: PrepostRequest, realWeightG: number): number {
  const n = (name: string) => Number(String(request.echo[name] ?? "0").replace(",", ".")) || 0;
  const volume =
    request.format === "3"
      ? n("comprimentoInformado") * n("diametroInformado") ** 2
      : request.format === "2"
        ? n("comprimentoInformado") * n("larguraInformada") * n("alturaInformada")
        : 0;
  const cubic = Math.ceil(volume / 6);
  return cubic > CUBIC_THRESHOLD_G && cubic > realWeightG ? cubic : realWeightG;
}

export function recordJson(store: PrepostStore, r: PrepostRecord): Record<string, unknown> {
  const status = store.status(r);
  const current = r.history.at(-1)!;
  const price = quote(r.request, chargedWeight(r.request, r.request.weightG));
  const out: Record<string, unknown> = {
    ...r.request.echo,
    id: r.id,
    idCorreios: r.login,
    numeroCartaoPostagem: r.card,
    codigoObjeto: r.code,
    logisticaReversa: r.request.reverse ? "S" : "N",
    statusAtual: status,
    descStatusAtual: STATUS_DESCRIPTION[status],
    dataHoraStatusAtual: local(current.atMs),
    dataHora: local(r.createdAtMs),
    historicoStatus: r.history.map((h) => ({ status: h.status, descStatus: STATUS_DESCRIPTION[h.status], dataHora: local(h.atMs) })),
    prazoPostagem: local(r.deadlineMs),
    precoServico: formatCents(price.serviceCents),
    precoPrePostagem: formatCents(price.totalCents),
  };
  if (r.request.reverse) {
    Object.assign(out, {
      eticket: r.eticket,
      dataEticket: local(r.createdAtMs),
      codigoObjetoIda: r.request.codigoObjetoIda ?? null,
      nuColeta: r.nuColeta ?? null,
      dataValidadeLogReversa: formatSlashDate(r.request.reverseValidUntil!),
    });
  }
  if (status === STATUS.CANCELADO) out["motivoCancelamento"] = "Cancelado pelo cliente";
  return out;
}

/** The movement of a posted record (GET /prepostagens/postada). */
export function postedJson(r: PrepostRecord): Record<string, unknown> {
  const posting = r.posting!;
  const req = r.request;
  const charged = quote(req, posting.chargedWeightG);
  const at = local(posting.atMs);
  const extras: Record<string, unknown> = {};
  charged.servicesCents.forEach((s, i) => {
    extras[`numeroServicoAdicional${i + 1}`] = Number(s.code);
    extras[`valorServicoAdicional${i + 1}`] = s.cents / 100;
  });
  return {
    id: r.id,
    numeroCartaoPostagem: r.card,
    cepAgencia: posting.cepAgencia,
    numeroAtendimento: posting.numeroAtendimento,
    dataPostagem: at,
    dataHoraAtendimento: at,
    valorAtendimento: charged.totalCents / 100,
    cepRemetente: req.remetente.endereco.cep,
    cepDestinatario: req.destinatario.endereco.cep,
    codigoObjeto: r.code,
    codigoServico: req.codigoServico,
    nomeServico: serviceName(req.codigoServico),
    alturaObjeto: String(req.echo["alturaInformada"] ?? "0"),
    comprimentoObjeto: String(req.echo["comprimentoInformado"] ?? "0"),
    larguraObjeto: String(req.echo["larguraInformada"] ?? "0"),
    diametroObjeto: String(req.echo["diametroInformado"] ?? "0"),
    pesoObjeto: String(posting.weightG),
    pesoTarifadoObjeto: String(posting.chargedWeightG),
    valorDeclaradoObjeto: formatCents(req.declaredCents),
    ...extras,
  };
}
