// /__simulator/*: the same state as the programmatic API, over HTTP, for demos and out-of-process tests.
// Control requests are not counted, not delayed and never faulted. Errors here are {error} (our own API).

import type { AccountSeed } from "./accounts.js";
import type { CorreosEsClientSeed } from "./correos-es-clients.js";
import { validateFault } from "./faults.js";
import { HttpError, isRecord, type Exchange } from "./http-utils.js";
import type { SimulatorState } from "./state.js";
import type { ConfigPatch } from "./types.js";

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

async function objectBody(ex: Exchange): Promise<Record<string, unknown>> {
  const body = await ex.jsonBody();
  if (!isRecord(body)) throw new HttpError(400, ["a JSON object body is required"]);
  return body;
}
