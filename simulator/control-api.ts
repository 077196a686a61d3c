// /__simulator/*: the same state as the programmatic API, over HTTP, for demos and out-of-process tests.
// Control requests are not counted, not delayed and never faulted. Errors here are {error} (our own API).

import type { AccountSeed } from "./accounts.js";
import type { CorreosEsClientSeed } from "./correos-es-clients.js";
import { validateFault } from "./faults.js";
import { HttpError, isRecord, type Exchange } from "./http-utils.js";
import { handlePrepostControl } from "./prepost-control.js";
import type { SimulatorState } from "./state.js";
import { historyOf } from "./tracking-histories.js";
import type { EventInput } from "./tracking-moves.js";
import { ENDPOINTS, type ConfigPatch, type Endpoint } from "./types.js";

export const CONTROL_PREFIX = "/__simulator/";

export async function handleControl(ex: Exchange, state: SimulatorState): Promise<void> {
  const route = `${ex.method} ${ex.path.slice(CONTROL_PREFIX.length - 1).replace(/\/+$/, "")}`;
  try {
    const regenerate = /^POST \/accounts\/([^/]+)\/regenerate$/.exec(route);
    if (regenerate) {
      const login = decodeURIComponent(regenerate[1]!);
      if (!state.accounts.byLoginName(login)) throw new HttpError(404, [`unknown login ${login}`]);
      ex.json(200, { accessCode: state.regenerateAccessCode(login) });
      return;
    }
    if (await handlePrepostControl(ex, state, route)) return;
    const move = /^POST \/tracking\/([^/]+)\/events$/.exec(route);
    if (move) {
      const code = decodeURIComponent(move[1]!);
      const event = addTrackingEvent(state, code, (await objectBody(ex)) as unknown as EventInput);
      return ex.json(201, event);
    }
    const gate = /^(GET|POST) \/gate\/([^/]+)(\/release)?$/.exec(route);
    if (gate) return await handleGate(ex, state, gate[2]!, gate[1] === "POST" ? (gate[3] ? "release" : "set") : "get");
    switch (route) {
      case "GET /counts":
        return ex.json(200, state.counts());
      case "GET /requests":
        return ex.json(200, state.requests());
      case "POST /reset":
        state.reset();
        return ex.json(200, { reset: true });
      case "GET /config":
        return ex.json(200, { ...state.config, latencyMs: state.latencyMs, environment: state.environment });
      case "POST /config":
        state.setConfig((await objectBody(ex)) as ConfigPatch);
        return ex.json(200, { ...state.config, latencyMs: state.latencyMs, environment: state.environment });
      case "POST /latency": {
        const body = await objectBody(ex);
        state.setLatency(body["ms"] as number);
        return ex.json(200, { latencyMs: state.latencyMs });
      }
      case "POST /accounts": {
        const account = state.accounts.add((await objectBody(ex)) as unknown as AccountSeed);
        return ex.json(201, account);
      }
      case "POST /correos-es/clients": {
        const seed = (await objectBody(ex)) as unknown as CorreosEsClientSeed;
        state.correosEs.add(seed);
        return ex.json(201, { clientId: seed.clientId, scopes: seed.scopes, active: seed.active ?? true });
      }
      case "GET /faults":
        return ex.json(200, state.faults.list());
      case "POST /faults": {
        const fault = validateFault(await objectBody(ex));
        state.faults.add(fault);
        return ex.json(201, fault);
      }
      case "DELETE /faults":
        state.faults.clear();
        return ex.json(200, { faults: [] });
      default:
        return ex.json(404, { error: `no control route ${route}` });
    }
  } catch (err) {
    if (err instanceof HttpError) ex.json(err.status, { error: err.msgs.join("; ") });
    else if (err instanceof TypeError || err instanceof RangeError) ex.json(400, { error: err.message });
    else throw err;
  }
}

/**
 * GET gate/:endpoint → {endpoint, closed, held}; with ?atLeast=N it answers once N requests are held (or after
 * ?timeoutMs=, default 5000, with the count reached). POST gate/:endpoint {closed} closes, or opens and lets every held
 * request go. POST gate/:endpoint/release {count?} lets the oldest `count` (default all) go, leaving it closed.
 */
async function handleGate(ex: Exchange, state: SimulatorState, name: string, action: "get" | "set" | "release"): Promise<void> {
  const endpoint = decodeURIComponent(name) as Endpoint;
  if (!ENDPOINTS.includes(endpoint)) throw new HttpError(404, [`no gate ${endpoint}: one of ${ENDPOINTS.join(", ")}`]);
  if (action === "get") {
    const atLeast = ex.url.searchParams.get("atLeast");
    if (atLeast === null) return ex.json(200, state.gates.status(endpoint));
    const n = Number(atLeast);
    const timeoutMs = Number(ex.url.searchParams.get("timeoutMs") ?? 5000);
    if (!Number.isInteger(n) || n < 0 || !(timeoutMs >= 0)) throw new TypeError("atLeast must be a non-negative integer, timeoutMs a non-negative number");
    const status = await state.gates.whenHeld(endpoint, n, timeoutMs).catch(() => state.gates.status(endpoint));
    return ex.json(200, status);
  }
  if (action === "release") {
    const body = await ex.jsonBody();
    const count = (isRecord(body) ? body["count"] : undefined) ?? Infinity;
    if (typeof count !== "number" || !(count >= 0)) throw new TypeError("count must be a non-negative number");
    const released = state.gates.release(endpoint, count);
    return ex.json(200, { ...state.gates.status(endpoint), released });
  }
  const body = await objectBody(ex);
  if (typeof body["closed"] !== "boolean") throw new TypeError("closed must be true or false");
  return ex.json(200, body["closed"] ? state.gates.close(endpoint) : state.gates.open(endpoint));
}

async function objectBody(ex: Exchange): Promise<Record<string, unknown>> {
  const body = await ex.jsonBody();
  if (!isRecord(body)) throw new HttpError(400, ["a JSON object body is required"]);
  return body;
}

/** Appends an event (timed now) to a code's history; the next tracking answer shows it first. */
export function addTrackingEvent(state: SimulatorState, code: string, input: EventInput): Record<string, unknown> {
  return { ...state.trackingMoves.add(code, input, Date.now(), historyOf(code)) };
}
