// Correios customer accounts (idCorreios login + CWS access code + posting card) and the seeded fixtures.

import { randomInt } from "node:crypto";
import type { Environment } from "./types.js";

export interface AccountSeed {
  login: string;
  /** The CWS access code: the token API's password. */
  accessCode: string;
  /** Posting card, 10 digits with leading zeros. */
  card: string;
  /** 10 digits; derived from the card ("99" + its last 8 digits) when absent. */
  contract?: string;
  /** Regional directorate; 72 (São Paulo Metropolitana) when absent. */
  dr?: number;
  /** 14 digits; derived from the card (card + "0001") when absent. */
  cnpj?: string;
  /** API ids enabled on the card: the token answer's `cartaoPostagem.api`, carried in the JWT, checked by the gateway. */
  apis?: number[];
  /**
   * The token answer's top-level `api` list; the same as `apis` when absent. The official manual's sample has the two
   * differ (card `[93, 36, 83]`, top level `[93, 36, 54, 87]`); only `apis` opens an API here.
   */
  loginApis?: number[];
  /** Services of the contract; 38202 unlocks prices, 38210 deadlines. */
  contractServices?: string[];
  /** Product codes the contract may quote. */
  products?: string[];
  environment?: Environment;
}

export type Account = Required<AccountSeed>;

export const DEFAULT_APIS: readonly number[] = [27, 34, 35, 36, 41, 87];
export const DEFAULT_CONTRACT_SERVICES: readonly string[] = ["38202", "38210"];
/** The five forward products, then the reverse-logistics ones (PAC REVERSO, SEDEX 12/10/HOJE REVERSO) for pre-posting. */
export const DEFAULT_PRODUCTS: readonly string[] = ["03220", "03298", "03140", "03158", "04227", "03301", "03174", "03182", "03190"];

/**
 * Accounts seeded unless `seedDefaultAccounts: false`. The secrets are fake and fixed so demos can use them.
 * - loja-demo: every API enabled, both price/deadline contract services, all five products.
 * - loja-sem-api: a card with no API enabled and no contract services. Tracking is refused (no api 87);
 *   price and deadline still answer (a card with an empty api list is exempt, as in the Portal Postal guide);
 *   delivery proof is always allowed.
 * - loja-sem-preco: only tracking (api 87) and no contract services, so price and deadline are refused as restricted.
 */
export const DEFAULT_ACCOUNTS: readonly AccountSeed[] = [
  {
    login: "loja-demo",
    accessCode: "Dm0LojaDemoAcc3ssC0de2026AbCdEfGhIjKlMnO",
    card: "0076770702",
    contract: "9912420493",
    dr: 72,
    cnpj: "12345678000190",
  },
  {
    login: "loja-sem-api",
    accessCode: "SemApiAcc3ssC0de2026XyZ0123456789QrStUvW",
    card: "0073423777",
    contract: "9912337526",
    dr: 20,
    cnpj: "98765432000110",
    apis: [],
    contractServices: [],
  },
  {
    login: "loja-sem-preco",
    accessCode: "SemPrec0Acc3ssC0de2026LmNoPqRsTuVwXyZ012",
    card: "0079066690",
    contract: "9912687444",
    dr: 50,
    cnpj: "11222333000181",
    apis: [87],
    contractServices: [],
  },
];

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function newAccessCode(): string {
  let code = "";
  for (let i = 0; i < 40; i++) code += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return code;
}

export class AccountStore {
  private readonly byLogin = new Map<string, Account>();
  private readonly byCard = new Map<string, Account>();

  constructor(private readonly defaultEnvironment: Environment) {}

  add(seed: AccountSeed): Account {
    if (!seed.login || !seed.accessCode) throw new TypeError("login and accessCode are required");
    if (!/^\d{10}$/.test(seed.card ?? "")) throw new TypeError("card must be 10 digits");
    const owner = this.byCard.get(seed.card);
    if (owner && owner.login !== seed.login) throw new TypeError(`card ${seed.card} already belongs to ${owner.login}`);
    const previous = this.byLogin.get(seed.login);
    if (previous) this.byCard.delete(previous.card);
    const account: Account = {
      login: seed.login,
      accessCode: seed.accessCode,
      card: seed.card,
      contract: seed.contract ?? `99${seed.card.slice(2)}`,
      dr: seed.dr ?? 72,
      cnpj: seed.cnpj ?? `${seed.card}0001`,
      apis: [...(seed.apis ?? DEFAULT_APIS)],
      loginApis: [...(seed.loginApis ?? seed.apis ?? DEFAULT_APIS)],
      contractServices: [...(seed.contractServices ?? DEFAULT_CONTRACT_SERVICES)],
      products: [...(seed.products ?? DEFAULT_PRODUCTS)],
      environment: seed.environment ?? this.defaultEnvironment,
    };
    this.byLogin.set(account.login, account);
    this.byCard.set(account.card, account);
    return account;
  }

  byLoginName(login: string): Account | undefined {
    return this.byLogin.get(login);
  }

  byCardNumber(card: string): Account | undefined {
    return this.byCard.get(card);
  }

  byContractNumber(contract: string): Account[] {
    return [...this.byLogin.values()].filter((a) => a.contract === contract);
  }

  /** Replaces the access code; the caller revokes the login's tokens. */
  regenerate(login: string): string {
    const account = this.byLogin.get(login);
    if (!account) throw new RangeError(`unknown login ${login}`);
    account.accessCode = newAccessCode();
    return account.accessCode;
  }
}
