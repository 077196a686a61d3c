// With ROUTER_SECRET set, the subgraph answers only its router: the router-authorization header must carry the
// secret (compared in constant time). Only then is the router's x-client-id believed.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { headerOf } from "./respond.js";

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type RouterCheck = { ok: true; forwardedClientId?: string } | { ok: false; message: string };

export function checkRouter(req: IncomingMessage, routerSecret: string | undefined): RouterCheck {
  if (!routerSecret) return { ok: true };
  if (!sameSecret(headerOf(req, "router-authorization"), routerSecret)) {
    return { ok: false, message: "This subgraph only answers its router: the router-authorization header is missing or wrong." };
  }
  return { ok: true, forwardedClientId: headerOf(req, "x-client-id")?.slice(0, 64) || undefined };
}
