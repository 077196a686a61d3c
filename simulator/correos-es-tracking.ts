// GET /support/trackpub/api/v2/search/{codes}: Correos (Spain) tracking. Checks the gateway pair (client_id /
// client_secret headers) and a CorreosID bearer token carrying TPB, then answers deterministic Spanish histories.
// Answer shape by code, so tests can ask for either: national codes starting "PK" get the SDK's single-object shape
// (error as an array; only for one code), everything else the production capture's array shape (error an object).
// Not found: a code whose digits are all zeros after the prefix part (e.g. AA000000000ES), as 200 with codError 1.

import type { Exchange } from "./http-utils.js";
import { parseBearer } from "./http-utils.js";
import { readJwtPayload } from "./jwt.js";
import { DEFAULT_CORREOS_ES_API_PAIRS } from "./correos-es-clients.js";

export const CORREOS_ES_TRACKING_PREFIX = "/support/trackpub/api/v2/search/";
export const CORREOS_ES_TRACKING_SCOPE = "TPB";

export function handleCorreosEsTracking(ex: Exchange): void {
  const pair = DEFAULT_CORREOS_ES_API_PAIRS.find((p) => p.clientId === ex.header("client_id"));
  if (!pair || pair.clientSecret !== ex.header("client_secret")) {
    ex.json(401, { code: 401, message: "Invalid Client", moreInformation: "client_id or client_secret is not valid" });
    return;
  }
  const token = parseBearer(ex.header("authorization"));
  const claims = token ? readJwtPayload(token) : undefined;
  const scopes = typeof claims?.scope === "string" ? claims.scope.split(/\s+/) : [];
  const exp = typeof claims?.exp === "number" ? claims.exp : 0;
  if (!claims || exp * 1000 <= Date.now() || !scopes.includes(CORREOS_ES_TRACKING_SCOPE)) {
    ex.json(401, { error: "Invalid token." });
    return;
  }
  const codes = decodeURIComponent(ex.path.slice(CORREOS_ES_TRACKING_PREFIX.length))
    .split(",")
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c.length > 0);
  if (codes.length === 0) {
    ex.json(404, { code: 404, message: "Not Found" });
    return;
  }
  const shipments = codes.map(shipmentOf);
  if (codes.length === 1 && codes[0]!.startsWith("PK") && codes[0]!.length === 23) {
    const s = shipments[0]!;
    ex.json(200, { ...s, error: [s.error] });
    return;
  }
  ex.json(200, shipments);
}

interface Step {
  eventCode: string;
  phaseDes: string;
  summaryText: string;
  expandedText: string;
}

const STEPS: Step[] = [
  { eventCode: "A090000V", phaseDes: "PRE-ADMISIÓN", summaryText: "Prerregistrado", expandedText: "El remitente ha prerregistrado el envío." },
  { eventCode: "A010000V", phaseDes: "EN CAMINO", summaryText: "Admitido.", expandedText: "El envío ha sido admitido." },
  { eventCode: "P040000V", phaseDes: "EN CAMINO", summaryText: "Clasificado", expandedText: "El envío ha sido clasificado en el centro de tratamiento." },
  { eventCode: "E010000V", phaseDes: "EN ENTREGA", summaryText: "En reparto", expandedText: "El envío está en reparto." },
  { eventCode: "I010000V", phaseDes: "ENTREGADO", summaryText: "Entregado", expandedText: "El envío ha sido entregado." },
];

function isUnknownCode(code: string): boolean {
  const digits = code.replace(/\D/g, "");
  return digits.length > 0 && /^0+$/.test(digits.slice(0, 8));
}

function shipmentOf(code: string): Record<string, unknown> {
  if (isUnknownCode(code)) return { code, events: [], error: { codError: 1, desError: "Envío no encontrado" } };
  // Deterministic: the character sum picks how far along the parcel is (2 to 5 steps); the first event is on a
  // summer date and the history runs one day per step, at fixed hours.
  let sum = 0;
  for (const ch of code) sum += ch.charCodeAt(0);
  const steps = 2 + (sum % 4);
  const events = STEPS.slice(0, steps).map((s, i) => ({
    eventDate: `${String(6 + i).padStart(2, "0")}/07/2026`,
    eventHours: `${String(9 + i).padStart(2, "0")}:15:00`,
    eventCode: s.eventCode,
    phase: null,
    phaseDes: s.phaseDes,
    summaryText: s.summaryText,
    expandedText: s.expandedText,
    unit: "CTA MADRID",
    location: null,
  }));
  return { code, weight: 1.2, events, error: { codError: 0, desError: "" }, associatedShipments: [] };
}
