// The gateway checks in front of every business API: a live bearer token, then the API's own permission rule.

import { parseBearer, type Exchange } from "./http-utils.js";
import { MSG } from "./messages.js";
import type { Account } from "./accounts.js";
import type { SimulatorState } from "./state.js";
import type { IssuedToken } from "./tokens.js";

export const API_TRACKING = 87;
export const API_PREPOST = 36;
export const API_CEP = 41;
export const SERVICE_PRICES = "38202";
export const SERVICE_DEADLINES = "38210";

export type BusinessApi = "tracking" | "price" | "deadline" | "proof" | "prepost" | "cep" | "agencies";

export interface Caller {
  token: IssuedToken;
  account: Account;
}

/**
 * Answers 401/403 and returns undefined when the call is refused.
 * Rules: tracking needs api 87 on the token; price needs contract service 38202 and deadline 38210, except for a
 * card with an empty api list (such cards still get price and deadline); proof is allowed to every card.
 * Pre-posting and labels need api 36 and a posting-card token (the records belong to the card); CEP needs api 41;
 * agencies are allowed to every token (no source names their api id).
 */
export function authorize(ex: Exchange, state: SimulatorState, api: BusinessApi): Caller | undefined {
  const bearer = parseBearer(ex.header("authorization"));
  const token = bearer ? state.tokens.valid(bearer) : undefined;
  const account = token ? state.accounts.byLoginName(token.login) : undefined;
  if (!token || !account) {
    ex.error(401, [MSG.invalidToken]);
    return undefined;
  }
  const exempt = token.apis.length === 0;
  if (api === "tracking" && !token.apis.includes(API_TRACKING)) {
    ex.error(403, [MSG.apiNotAuthorized]);
    return undefined;
  }
  if ((api === "prepost" && !token.apis.includes(API_PREPOST)) || (api === "cep" && !token.apis.includes(API_CEP))) {
    ex.error(403, [MSG.apiNotAuthorized]);
    return undefined;
  }
  if (api === "prepost" && token.kind !== "card") {
    ex.error(403, [MSG.ppnCardTokenRequired]);
    return undefined;
  }
  if (api === "price" && !exempt && !account.contractServices.includes(SERVICE_PRICES)) {
    ex.error(403, [MSG.priceRestricted]);
    return undefined;
  }
  if (api === "deadline" && !exempt && !account.contractServices.includes(SERVICE_DEADLINES)) {
    ex.error(403, [MSG.deadlineRestricted]);
    return undefined;
  }
  return { token, account };
}
