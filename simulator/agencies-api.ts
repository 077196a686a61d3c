// GET /agencia/v1/unidades?municipio=&uf=&bairro=&status=&codigoTipoUnidade=&page=&size= → {itens, page}.
// Filters compare without case or accents; status and codigoTipoUnidade may repeat. Every filter is optional
// (our reading). page from 0, size 1–100 (default 50). Data: agencies-data.ts.

import { AGENCIES } from "./agencies-data.js";
import { foldName } from "./br-formats.js";
import { authorize } from "./business-auth.js";
import { HttpError, type Exchange } from "./http-utils.js";
import { MSG } from "./messages.js";
import type { SimulatorState } from "./state.js";

export const AGENCIES_PATH = "/agencia/v1/unidades";

function intParam(ex: Exchange, name: string, fallback: number, min: number, max: number): number {
  const raw = ex.url.searchParams.get(name)?.trim();
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new HttpError(400, [MSG.agencyParamInvalid(name)]);
  return n;
}

export function handleAgencies(ex: Exchange, state: SimulatorState): void {
  if (!authorize(ex, state, "agencies")) return;
  const text = (name: string) => {
    const v = ex.url.searchParams.get(name)?.trim();
    return v ? foldName(v) : undefined;
  };
  const municipio = text("municipio");
  const uf = text("uf");
  const bairro = text("bairro");
  const statuses = ex.queryList("status");
  const types = ex.queryList("codigoTipoUnidade");
  const page = intParam(ex, "page", 0, 0, Number.MAX_SAFE_INTEGER);
  const size = intParam(ex, "size", 50, 1, 100);

  const matching = AGENCIES.filter(
    (a) =>
      (!municipio || foldName(a.endereco.municipio) === municipio) &&
      (!uf || a.endereco.uf === uf) &&
      (!bairro || foldName(a.endereco.bairro) === bairro) &&
      (statuses.length === 0 || statuses.includes(String(a.status))) &&
      (types.length === 0 || types.includes(a.tipoUnidade.codigo)),
  );
  ex.json(200, {
    itens: matching.slice(page * size, page * size + size),
    page: { size, totalElements: matching.length, totalPages: Math.ceil(matching.length / size), number: page },
  });
}
