// Small helpers over node:http: reading bodies, writing JSON and Correios-style error bodies.

import type { IncomingMessage, ServerResponse } from "node:http";
import { STATUS_CODES } from "node:http";
import { brasiliaLocal } from "./local-time.js";
import { MSG } from "./messages.js";

const MAX_BODY_BYTES = 1_048_576;

export type Query = Record<string, string | string[]>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly msgs: string[],
  ) {
    super(msgs.join("; "));
  }
}

/** One request/response pair with the helpers every handler needs. */
export class Exchange {
  readonly url: URL;
  readonly path: string;
  readonly method: string;
  readonly query: Query;
  /** Called once with the status actually sent (for the request log). */
  onStatus: (status: number) => void = () => {};

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    this.url = new URL(req.url ?? "/", "http://simulator.local");
    this.path = this.url.pathname;
    this.method = (req.method ?? "GET").toUpperCase();
    this.query = queryToRecord(this.url.searchParams);
  }

  /** All values of a query parameter, repeated and comma-joined forms both split. */
  queryList(name: string): string[] {
    return this.url.searchParams
      .getAll(name)
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  get answered(): boolean {
    return this.res.headersSent || this.res.destroyed;
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(status, JSON.stringify(body), "application/json", headers);
  }

  send(status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
    if (this.answered) return;
    const payload = Buffer.from(text, "utf8");
    this.res.writeHead(status, { "Content-Type": `${contentType}; charset=utf-8`, "Content-Length": payload.length, ...headers });
    this.res.end(payload);
    this.onStatus(status);
  }

  /** The Correios MessageResponse error body. */
  error(status: number, msgs: string[], headers: Record<string, string> = {}): void {
    this.json(status, messageResponse(this, status, msgs), headers);
  }

  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > MAX_BODY_BYTES) throw new HttpError(413, [MSG.bodyTooLarge]);
      chunks.push(buf);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  /** Parses a JSON body; an empty body is `undefined`, invalid JSON a 400. */
  async jsonBody(): Promise<unknown> {
    const text = await this.text();
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new HttpError(400, [MSG.badBody]);
    }
  }
}

export function messageResponse(ex: Exchange, status: number, msgs: string[]) {
  return {
    msgs,
    date: brasiliaLocal(Date.now(), true),
    method: ex.method,
    path: ex.path,
    causa: STATUS_CODES[status] ?? "Error",
  };
}

export function queryToRecord(params: URLSearchParams): Query {
  const out: Query = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/** `Basic base64(user:pass)` → the two parts, or undefined. */
export function parseBasicAuth(header: string | undefined): { user: string; pass: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

export function parseBearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A scalar sent as a JSON string or number, as text; anything else is undefined. */
export function asText(v: unknown): string | undefined {
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}
