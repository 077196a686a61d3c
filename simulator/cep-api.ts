// CEP (api 41): GET /cep/v2/enderecos/{cep} and GET /cep/v2/enderecos?cep=A&cep=B.
// A CEP is 8 digits without a hyphen; anything else is a 400. One unknown CEP is a 404; in the batch form unknown
// CEPs are left out of `itens` (our reading: the batch answers what it found). Data: cep-data.ts.

import { authorize } from "./business-auth.js";
import { addressOfCep } from "./cep-data.js";
import { HttpError, type Exchange } from "./http-utils.js";
import { MSG } from "./messages.js";
import type { SimulatorState } from "./state.js";

export const CEP_PATH = "/cep/v2/enderecos";
export const CEP_BATCH_LIMIT = 50;

function checked(cep: string): string {
  if (!/^\d{8}$/.test(cep)) throw new HttpError(400, [MSG.cepInvalid(cep)]);
  return cep;
}

export function handleCep(ex: Exchange, state: SimulatorState): void {
  if (!authorize(ex, state, "cep")) return;
  if (ex.path.startsWith(`${CEP_PATH}/`)) {
    const cep = checked(decodeURIComponent(ex.path.slice(CEP_PATH.length + 1)).trim());
    const address = addressOfCep(cep);
    if (!address) throw new HttpError(404, [MSG.cepNotFound(cep)]);
    ex.json(200, address);
    return;
  }
  const ceps = ex.queryList("cep");
  if (ceps.length === 0) throw new HttpError(400, [MSG.cepNone]);
  if (ceps.length > CEP_BATCH_LIMIT) throw new HttpError(400, [MSG.cepTooMany(CEP_BATCH_LIMIT)]);
  const itens = ceps.map(checked).flatMap((cep) => addressOfCep(cep) ?? []);
  ex.json(200, { itens });
}
