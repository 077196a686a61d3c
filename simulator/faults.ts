// Fault switches: injected failures that tests use to exercise the client's timeouts, retries and limits.
// Matching faults are walked in the order added: every latency fault adds its delay, and the first other fault
// stops the walk and replaces the answer. `times` counts the requests a fault applies to.

import { MSG } from "./messages.js";
import type { Exchange } from "./http-utils.js";
import { ENDPOINTS, type Endpoint, type Fault } from "./types.js";

const KINDS = new Set(["status", "rate-limit", "hang", "malformed", "truncated", "huge", "reset", "latency"]);
const HUGE_BYTES = 20 * 1024 * 1024;

interface Entry {
  fault: Fault;
  remaining: number;
}

export class FaultStore {
  private entries: Entry[] = [];

  add(fault: Fault): void {
    this.entries.push({ fault: validateFault(fault), remaining: fault.times ?? Infinity });
  }

  clear(): void {
    this.entries = [];
  }

  list(): Fault[] {
    return this.entries.map((e) => e.fault);
  }

  /** Consumes the faults that apply to one request. */
  take(endpoint: Endpoint): { delayMs: number; fault?: Fault } {
    let delayMs = 0;
    let chosen: Fault | undefined;
    for (const entry of [...this.entries]) {
      const f = entry.fault;
      if (f.endpoint !== "*" && f.endpoint !== endpoint) continue;
      if (f.kind === "latency") delayMs += f.ms;
      else if (chosen) continue;
      else chosen = f;
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.entries = this.entries.filter((e) => e !== entry);
    }
    return { delayMs, fault: chosen };
  }
}

export function validateFault(input: unknown): Fault {
  if (typeof input !== "object" || input === null) throw new TypeError("fault must be an object");
  const f = input as Record<string, unknown>;
  if (f["endpoint"] !== "*" && !ENDPOINTS.includes(f["endpoint"] as Endpoint)) {
    throw new TypeError(`fault.endpoint must be "*" or one of ${ENDPOINTS.join(", ")}`);
  }
  if (!KINDS.has(f["kind"] as string)) throw new TypeError(`unknown fault kind ${String(f["kind"])}`);
  if (f["times"] !== undefined && !(Number.isInteger(f["times"]) && (f["times"] as number) > 0)) {
    throw new TypeError("fault.times must be a positive integer");
  }
  if (f["kind"] === "status" && !(Number.isInteger(f["status"]) && (f["status"] as number) >= 100 && (f["status"] as number) < 600)) {
    throw new TypeError("fault.status must be an HTTP status");
  }
  if (f["kind"] === "latency" && !(typeof f["ms"] === "number" && (f["ms"] as number) >= 0)) {
    throw new TypeError("fault.ms must be a non-negative number");
  }
  return input as Fault;
}

/** Answers (or refuses to answer) the exchange as the fault says. */
export function applyFault(ex: Exchange, fault: Fault): void {
  switch (fault.kind) {
    case "status":
      if (fault.body === undefined) ex.error(fault.status, [MSG.simulatedFailure(fault.status)]);
      else ex.json(fault.status, fault.body);
      return;
    case "rate-limit": {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { "Retry-After": String(fault.retryAfterSeconds) };
      ex.error(429, [MSG.rateLimited], headers);
      return;
    }
    case "hang":
      return; // the socket stays open until the client gives up or the simulator closes
    case "reset":
      ex.req.socket.destroy();
      return;
    case "malformed":
      ex.send(200, '{"versao":"3.5.38","objetos":[{"codObjeto":"AA000000005BR",,"eventos":[', "application/json");
      return;
    case "truncated":
      sendTruncated(ex);
      return;
    case "huge":
      sendHuge(ex);
      return;
    case "latency":
      return; // handled by the caller as a delay
  }
}

const SAMPLE_ITEM = JSON.stringify({
  codObjeto: "AA000000005BR",
  descricao: "Objeto entregue ao destinatário",
  unidade: { tipo: "Unidade de Distribuição", endereco: { cidade: "SAO PAULO", uf: "SP" } },
});

function sendTruncated(ex: Exchange): void {
  const full = Buffer.from(`{"quantidade":20,"objetos":[${Array(20).fill(SAMPLE_ITEM).join(",")}]}`, "utf8");
  ex.res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": full.length });
  ex.onStatus(200);
  ex.res.write(full.subarray(0, Math.floor(full.length / 2)), () => {
    // give the half body a moment on the wire, then drop the connection
    setTimeout(() => ex.req.socket.destroy(), 10);
  });
}

/** ~20 MB of valid JSON, streamed in chunks with back-pressure and no Content-Length. */
function sendHuge(ex: Exchange): void {
  const res = ex.res;
  res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
  ex.onStatus(200);
  const chunk = Buffer.from(`${Array(200).fill(SAMPLE_ITEM).join(",")},`, "utf8");
  let sent = 0;
  res.write('{"quantidade":0,"objetos":[');
  const pump = (): void => {
    while (!res.destroyed) {
      if (sent >= HUGE_BYTES) {
        res.end(`${SAMPLE_ITEM}]}`);
        return;
      }
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once("drain", pump);
        return;
      }
    }
  };
  pump();
}
