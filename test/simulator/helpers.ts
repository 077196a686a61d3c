// Small helpers shared by the simulator tests: credentials, token fetching and JSON calls over real HTTP.

import { DEFAULT_ACCOUNTS, type AccountSeed, type Simulator } from "../../simulator/index.js";

export const [DEMO, NO_API, NO_PRICE] = DEFAULT_ACCOUNTS as [AccountSeed, AccountSeed, AccountSeed];

export function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
}

export function requestToken(sim: Simulator, account: AccountSeed, card = account.card, accessCode = account.accessCode) {
  return fetch(`${sim.url}/token/v1/autentica/cartaopostagem`, {
    method: "POST",
    headers: { Authorization: basic(account.login, accessCode), "Content-Type": "application/json" },
    body: JSON.stringify({ numero: card }),
  });
}

export async function cardToken(sim: Simulator, account: AccountSeed = DEMO): Promise<string> {
  const res = await requestToken(sim, account);
  if (res.status !== 201) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export function get(sim: Simulator, path: string, token?: string, signal?: AbortSignal) {
  return fetch(`${sim.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal });
}

export function post(sim: Simulator, path: string, body: unknown, token?: string) {
  return fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

export const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
export const LOCAL_DATE_TIME_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?$/;
