// The request an async operation works for, without passing it down every call: the server enters a scope per HTTP
// request, and code far below (the upstream client) reads it to tag its logs and add to the request's totals.
// Nothing here knows about GraphQL or HTTP, so src/correios can use it and stay free of both.
//
// Work shared across requests runs in the scope of whichever request started it: a tracking queue that batches the
// codes of several requests (TRACKING_WINDOW_MS) flushes in the scope of the request that opened the queue, and a token
// fetch coalesced for several requests in the scope of the first. Its upstream calls are logged with, and counted for,
// that request only. That is acceptable: the call is still logged once, with a real request id to follow.
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestScope {
  requestId?: string;
  clientId?: string;
  /** Upstream calls made in this scope (a call with its retries counts once). */
  upstreamCalls: number;
  /** Sum of their durations; calls made in parallel overlap, so this can exceed the request's own time. */
  upstreamMs: number;
}

const storage = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `fn` (and everything it starts) in a fresh scope, or, with `keep` false, without one. A scope only feeds log
 * lines (the upstream call lines and the request line, written at info), and keeping one is not free on Node 20: while
 * any AsyncLocalStorage is in use, every promise of the process runs its hooks (≈7 % of the warm path's CPU; Node 24's
 * AsyncContextFrame makes it nearly free). So the server keeps a scope only when those lines are written.
 */
export function runInRequestScope<T>(fn: () => T, keep = true): T {
  return keep ? storage.run({ upstreamCalls: 0, upstreamMs: 0 }, fn) : fn();
}

/** Fills in what becomes known as the request is read (its id, then its client). No-op outside a scope. */
export function setRequestScope(fields: Partial<Pick<RequestScope, "requestId" | "clientId">>): void {
  const scope = storage.getStore();
  if (!scope) return;
  if (fields.requestId !== undefined) scope.requestId = fields.requestId;
  if (fields.clientId !== undefined) scope.clientId = fields.clientId;
}

export function recordUpstreamCall(ms: number): void {
  const scope = storage.getStore();
  if (!scope) return;
  scope.upstreamCalls++;
  scope.upstreamMs += ms;
}

/** requestId and clientId for a log line, when there is a scope and they are known. */
export function scopeLogFields(): { requestId?: string; clientId?: string } {
  const scope = storage.getStore();
  if (!scope) return {};
  return {
    ...(scope.requestId !== undefined ? { requestId: scope.requestId } : {}),
    ...(scope.clientId !== undefined ? { clientId: scope.clientId } : {}),
  };
}

/** The request's upstream totals for its summary log line. */
export function upstreamTotals(): { upstreamCalls: number; upstreamMs: number } {
  const scope = storage.getStore();
  return { upstreamCalls: scope?.upstreamCalls ?? 0, upstreamMs: Math.round(scope?.upstreamMs ?? 0) };
}
