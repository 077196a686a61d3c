// The simulator's seeded accounts, as a user would type them into registerCredential.
import { DEFAULT_ACCOUNTS } from "../../src/simulator/accounts.js";

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
