// Which handler answers which API path, and the endpoint name it is counted under.

import { handleCorreosEsToken, CORREOS_ES_TOKEN_PATH } from "./correos-es-api.js";
import { handleDeadline } from "./deadline-api.js";
import type { Exchange } from "./http-utils.js";
import { handlePrice } from "./pricing-api.js";
import { handleProof } from "./proof-api.js";
import type { SimulatorState } from "./state.js";
import { TOKEN_PATHS, handleToken } from "./token-api.js";
import { handleTracking } from "./tracking-api.js";
import type { Endpoint } from "./types.js";

export interface Route {
  endpoint: Endpoint;
  method: "GET" | "POST";
  handle: (ex: Exchange, state: SimulatorState) => void | Promise<void>;
}

/** One path segment after a prefix, e.g. the code in /srorastro/v1/objetos/{code}. */
function oneSegmentAfter(path: string, prefix: string): boolean {
  return path.startsWith(prefix) && path.length > prefix.length && !path.slice(prefix.length).includes("/");
}

export function matchRoute(path: string): Route | undefined {
  if (path in TOKEN_PATHS) return { endpoint: "token", method: "POST", handle: handleToken };
  if (path === "/srorastro/v1/ar-digital") return { endpoint: "proof", method: "GET", handle: handleProof };
  if (path === "/srorastro/v1/objetos" || oneSegmentAfter(path, "/srorastro/v1/objetos/")) {
    return { endpoint: "tracking", method: "GET", handle: handleTracking };
  }
  if (path === "/preco/v1/nacional") return { endpoint: "price", method: "POST", handle: handlePrice };
  if (oneSegmentAfter(path, "/preco/v1/nacional/")) return { endpoint: "price", method: "GET", handle: handlePrice };
  if (path === "/prazo/v1/nacional") return { endpoint: "deadline", method: "POST", handle: handleDeadline };
  if (oneSegmentAfter(path, "/prazo/v1/nacional/")) return { endpoint: "deadline", method: "GET", handle: handleDeadline };
  if (path === CORREOS_ES_TOKEN_PATH) return { endpoint: "correosEsToken", method: "POST", handle: handleCorreosEsToken };
  return undefined;
}
