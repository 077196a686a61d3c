// Which handler answers which API path, and the endpoint name it is counted under.

import { AGENCIES_PATH, handleAgencies } from "./agencies-api.js";
import { CEP_PATH, handleCep } from "./cep-api.js";
import { handleCorreosEsToken, CORREOS_ES_TOKEN_PATH } from "./correos-es-api.js";
import { CORREOS_ES_TRACKING_PREFIX, handleCorreosEsTracking } from "./correos-es-tracking.js";
import { handleDeadline } from "./deadline-api.js";
import type { Exchange } from "./http-utils.js";
import {
  CONTENT_DECLARATION_PREFIX,
  LABEL_DOWNLOAD_PREFIX,
  LABEL_REQUEST_PATH,
  handleContentDeclaration,
  handleLabelDownload,
  handleLabelRequest,
} from "./labels.js";
import {
  PREPOST_BY_CODE_PREFIX,
  PREPOST_LIST_PATH,
  PREPOST_PATH,
  PREPOST_POSTED_PATH,
  handlePrepostCancel,
  handlePrepostCreate,
  handlePrepostList,
  handlePrepostPosted,
} from "./prepost-api.js";
import { handlePrice } from "./pricing-api.js";
import { handleProof } from "./proof-api.js";
import type { SimulatorState } from "./state.js";
import { TOKEN_PATHS, handleToken } from "./token-api.js";
import { handleTracking } from "./tracking-api.js";
import type { Endpoint } from "./types.js";

export interface Route {
  endpoint: Endpoint;
  method: "GET" | "POST" | "DELETE";
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
  const prepost = prepostRoute(path);
  if (prepost) return prepost;
  if (path === CEP_PATH || oneSegmentAfter(path, `${CEP_PATH}/`)) return { endpoint: "cep", method: "GET", handle: handleCep };
  if (path === AGENCIES_PATH) return { endpoint: "agencies", method: "GET", handle: handleAgencies };
  if (path === CORREOS_ES_TOKEN_PATH) return { endpoint: "correosEsToken", method: "POST", handle: handleCorreosEsToken };
  if (oneSegmentAfter(path, CORREOS_ES_TRACKING_PREFIX)) return { endpoint: "correosEsTracking", method: "GET", handle: handleCorreosEsTracking };
  return undefined;
}

/** Pre-posting paths: the specific ones before the `{id}` catch-all. */
function prepostRoute(path: string): Route | undefined {
  if (path === PREPOST_PATH) return { endpoint: "prepost", method: "POST", handle: handlePrepostCreate };
  if (path === PREPOST_LIST_PATH) return { endpoint: "prepost", method: "GET", handle: handlePrepostList };
  if (path === PREPOST_POSTED_PATH) return { endpoint: "prepost", method: "GET", handle: handlePrepostPosted };
  if (path === LABEL_REQUEST_PATH) return { endpoint: "labels", method: "POST", handle: handleLabelRequest };
  if (oneSegmentAfter(path, LABEL_DOWNLOAD_PREFIX)) return { endpoint: "labels", method: "GET", handle: handleLabelDownload };
  if (oneSegmentAfter(path, CONTENT_DECLARATION_PREFIX)) return { endpoint: "labels", method: "GET", handle: handleContentDeclaration };
  if (oneSegmentAfter(path, PREPOST_BY_CODE_PREFIX)) return { endpoint: "prepost", method: "DELETE", handle: handlePrepostCancel };
  if (oneSegmentAfter(path, `${PREPOST_PATH}/`)) return { endpoint: "prepost", method: "DELETE", handle: handlePrepostCancel };
  return undefined;
}
