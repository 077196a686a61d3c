// POST /token/v1/autentica[/cartaopostagem|/contrato]: Basic login:accessCode → 201 with a 24 h bearer token.

import type { Account } from "./accounts.js";
import { asText, isRecord, parseBasicAuth, type Exchange } from "./http-utils.js";
import { brasiliaLocal } from "./local-time.js";
import { MSG } from "./messages.js";
import type { SimulatorState } from "./state.js";
import type { IssuedToken, TokenKind } from "./tokens.js";

export const TOKEN_PATHS: Record<string, TokenKind> = {
  "/token/v1/autentica": "user",
  "/token/v1/autentica/cartaopostagem": "card",
  "/token/v1/autentica/contrato": "contract",
};

export async function handleToken(ex: Exchange, state: SimulatorState): Promise<void> {
  const kind = TOKEN_PATHS[ex.path] ?? "user";
  if (!state.tokenLimiter.tryAcquire(state.config.tokenRatePerSecond)) {
    ex.error(429, [MSG.rateLimited], { "Retry-After": "1" });
    return;
  }
  const creds = parseBasicAuth(ex.header("authorization"));
  const account = creds ? state.accounts.byLoginName(creds.user) : undefined;
  if (!creds || !account || account.accessCode !== creds.pass || account.environment !== state.environment) {
    ex.error(401, [MSG.accessDenied]);
    return;
  }
  const body = kind === "user" ? undefined : await ex.jsonBody();
  const refusal = kind === "card" ? checkCard(state, account, body) : kind === "contract" ? checkContract(state, account, body) : undefined;
  if (refusal) {
    ex.error(400, [refusal]);
    return;
  }
  const issued = state.tokens.issue(account, kind, {
    ttlSeconds: state.config.tokenTtlSeconds,
    reuseWindowSeconds: state.config.tokenReuseWindowSeconds,
    environment: state.environment,
  });
  ex.json(201, tokenResponse(issued, clientIp(ex)));
}

function checkCard(state: SimulatorState, account: Account, body: unknown): string | undefined {
  const fields = isRecord(body) ? body : {};
  const numero = asText(fields["numero"]) ?? "";
  const owner = /^\d{10}$/.test(numero) ? state.accounts.byCardNumber(numero) : undefined;
  if (!owner) return MSG.cardNotFound;
  if (owner.login !== account.login) return MSG.cardNotOwned;
  const contrato = asText(fields["contrato"]);
  if (contrato !== undefined && contrato !== "" && contrato !== account.contract) return MSG.contractNotOfCard;
  const dr = fields["dr"];
  if (dr !== undefined && dr !== null && Number(dr) !== account.dr) return MSG.drNotOfCard;
  return undefined;
}

function checkContract(state: SimulatorState, account: Account, body: unknown): string | undefined {
  const numero = asText(isRecord(body) ? body["numero"] : undefined) ?? "";
  const owners = /^\d{10}$/.test(numero) ? state.accounts.byContractNumber(numero) : [];
  if (owners.length === 0) return MSG.contractNotFound;
  if (!owners.some((a) => a.login === account.login)) return MSG.contractNotOwned;
  return undefined;
}

/**
 * As the official manual's sample answer: no `zoneOffset` (the expiry then equals the JWT's `exp`), no top-level
 * `contrato` object for a card token (a contract token has one: it has no card to carry the contract), and a
 * top-level `api` list that need not equal the card's.
 */
function tokenResponse(t: IssuedToken, ip: string): Record<string, unknown> {
  return {
    ambiente: t.environment,
    id: t.login,
    ip,
    perfil: "PJ",
    cnpj: t.cnpj,
    ...(t.kind === "card" ? { cartaoPostagem: { numero: t.card, contrato: t.contract, dr: t.dr, api: t.apis } } : {}),
    ...(t.kind === "contract" ? { contrato: { numero: t.contract, dr: t.dr, api: t.apis } } : {}),
    api: t.loginApis,
    emissao: brasiliaLocal(t.issuedAtMs),
    expiraEm: brasiliaLocal(t.expiresAtMs),
    token: t.token,
  };
}

function clientIp(ex: Exchange): string {
  return (ex.req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, "");
}
