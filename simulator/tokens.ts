// Tokens the simulated token API has issued: reuse until the renewal window, lookup and revocation.

import type { Account } from "./accounts.js";
import { makeJwt, newJti } from "./jwt.js";
import type { Environment } from "./types.js";

export type TokenKind = "user" | "card" | "contract";

export interface IssuedToken {
  token: string;
  kind: TokenKind;
  login: string;
  environment: Environment;
  cnpj: string;
  card?: string;
  contract: string;
  dr: number;
  /** The card's list: what the gateway lets this token call. */
  apis: number[];
  /** The answer's top-level list, shown and never checked. */
  loginApis: number[];
  issuedAtMs: number;
  expiresAtMs: number;
  revoked: boolean;
}

export interface IssueSettings {
  ttlSeconds: number;
  reuseWindowSeconds: number;
  environment: Environment;
  nowMs?: number;
}

export class TokenStore {
  private readonly byToken = new Map<string, IssuedToken>();
  /** Latest token per login + kind + card/contract, for reuse. */
  private readonly latest = new Map<string, IssuedToken>();

  /** Returns the current token for this login and scope while it has more than the reuse window left. */
  issue(account: Account, kind: TokenKind, s: IssueSettings): IssuedToken {
    const now = s.nowMs ?? Date.now();
    const key = `${account.login}\u0000${kind}\u0000${kind === "user" ? "" : kind === "card" ? account.card : account.contract}`;
    const current = this.latest.get(key);
    if (current && !current.revoked && current.expiresAtMs - now > s.reuseWindowSeconds * 1000) return current;

    this.prune(now);
    const iat = Math.floor(now / 1000);
    const exp = iat + s.ttlSeconds;
    const scope = { numero: kind === "contract" ? account.contract : account.card, contrato: account.contract, dr: account.dr, api: account.apis };
    const payload: Record<string, unknown> = { ambiente: s.environment, id: account.login, pfl: "PJ", cnpj: account.cnpj };
    // The manual's example token spells the card claim "cartao-postagem"; it carries the card's list only.
    if (kind === "card") payload["cartao-postagem"] = scope;
    if (kind === "contract") payload["contrato"] = { numero: account.contract, dr: account.dr, api: account.apis };
    Object.assign(payload, { iat, exp, iss: "token-service", jti: newJti() });

    const issued: IssuedToken = {
      token: makeJwt(payload),
      kind,
      login: account.login,
      environment: s.environment,
      cnpj: account.cnpj,
      card: kind === "card" ? account.card : undefined,
      contract: account.contract,
      dr: account.dr,
      apis: [...account.apis],
      loginApis: [...account.loginApis],
      issuedAtMs: iat * 1000,
      expiresAtMs: exp * 1000,
      revoked: false,
    };
    this.byToken.set(issued.token, issued);
    this.latest.set(key, issued);
    return issued;
  }

  /** A usable token (known, not revoked, not expired) or undefined. */
  valid(token: string, nowMs = Date.now()): IssuedToken | undefined {
    const found = this.byToken.get(token);
    if (!found || found.revoked || found.expiresAtMs <= nowMs) return undefined;
    return found;
  }

  revokeLogin(login: string): void {
    for (const t of this.byToken.values()) if (t.login === login) t.revoked = true;
    for (const [key, t] of this.latest) if (t.login === login) this.latest.delete(key);
  }

  /** Forgets tokens expired for more than a day, so long benchmarks do not grow the map forever. */
  private prune(nowMs: number): void {
    for (const [token, t] of this.byToken) if (t.expiresAtMs < nowMs - 86_400_000) this.byToken.delete(token);
  }
}
