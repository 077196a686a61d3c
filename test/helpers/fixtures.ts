// The simulator's seeded accounts, as a user would type them into registerCredential.
import { DEFAULT_ACCOUNTS } from "../../simulator/accounts.js";
import { DEFAULT_CORREOS_ES_CLIENTS } from "../../simulator/correos-es-clients.js";
import type { RegisterCorreosEsCredentialInput } from "../generated/graphql.js";

function account(login: string) {
  const a = DEFAULT_ACCOUNTS.find((x) => x.login === login);
  if (!a) throw new Error(`no seeded account ${login}`);
  return a;
}

export const DEMO = account("loja-demo");
export const NO_API = account("loja-sem-api");
export const NO_PRICE = account("loja-sem-preco");

export function registerInput(clientId: string, a = DEMO, extra: Record<string, unknown> = {}) {
  return { clientId, apiLogin: a.login, accessCode: a.accessCode, postingCard: a.card, ...extra };
}

/** The simulator's seeded CorreosID (Spain) client, as a user would type it into registerCorreosEsCredential. */
export const CORREOS_ES_DEMO = (() => {
  const c = DEFAULT_CORREOS_ES_CLIENTS[0];
  if (!c) throw new Error("no seeded CorreosID client");
  return c;
})();

export function correosEsInput(clientId: string, extra: Partial<RegisterCorreosEsCredentialInput> = {}): RegisterCorreosEsCredentialInput {
  return {
    clientId,
    oauthClientId: CORREOS_ES_DEMO.clientId,
    oauthClientSecret: CORREOS_ES_DEMO.clientSecret,
    scopes: ["AP3", "LBS", "RCG"],
    environment: "PRODUCTION",
    ...extra,
  };
}
