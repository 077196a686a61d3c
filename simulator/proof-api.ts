// GET /srorastro/v1/ar-digital?objetos=A,B: the delivery-proof image of each delivered parcel; others are omitted.

import { readObjectCode } from "./object-codes.js";
import { authorize } from "./business-auth.js";
import type { Exchange } from "./http-utils.js";
import { MSG } from "./messages.js";
import { PROOF_PNG_BASE64 } from "./png.js";
import type { SimulatorState } from "./state.js";
import { deliveredAt } from "./tracking-histories.js";

export function handleProof(ex: Exchange, state: SimulatorState): void {
  if (!authorize(ex, state, "proof")) return;
  const codes = ex.queryList("objetos");
  if (codes.length === 0) {
    ex.error(400, [MSG.proofNone]);
    return;
  }
  const limit = state.config.proofBatchLimit;
  if (codes.length > limit) {
    ex.error(400, [MSG.proofTooMany(limit)]);
    return;
  }
  const proofs = codes.flatMap((input) => {
    const code = readObjectCode(input);
    const dataBaixa = code ? deliveredAt(code) : undefined;
    if (!code || !dataBaixa) return [];
    return [{ objeto: code, dataBaixa, contentType: "image/png", imagemBase64: PROOF_PNG_BASE64 }];
  });
  ex.json(200, proofs);
}
