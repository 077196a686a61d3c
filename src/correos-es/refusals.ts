// What a user can do about a refusal from CorreosID: one userError per likely cause, in the user's terms.
import type { CorreosEsRefusal } from "./token.js";
import type { CorreosEsCredential } from "../store/credentials.js";
import type { UserError } from "../services/user-errors.js";

export function refusalError(r: CorreosEsRefusal, c: CorreosEsCredential): UserError {
  const said = r.said.length ? ` CorreosID said: "${r.said.join(" / ")}".` : "";
  const env = c.environment === "PRODUCTION" ? "production" : "pre-production";
  switch (r.reason) {
    case "WRONG_CLIENT":
      return {
        field: "input.oauthClientSecret",
        code: "CREDENTIAL_REJECTED",
        message:
          `CorreosID (${env}) refused the OAuth client id or secret of client "${c.clientId}".${said} Likely causes: a wrong ` +
          `client id or secret (copy both again from the CorreosID portal); a pair from the other environment ` +
          `(pre-production pairs do not work in production, nor the other way round); or an application Correos has not activated yet.`,
      };
    case "NOT_ACTIVATED":
      return {
        field: "input.oauthClientId",
        code: "CLIENT_NOT_ACTIVATED",
        message:
          `CorreosID (${env}) knows the OAuth client of client "${c.clientId}" but has not activated it yet.${said} Correos ` +
          `activates an application after registration: ask your Correos contact to activate it (with the scopes ` +
          `${c.scopes.join(", ")}), then verify again.`,
      };
    case "SCOPE_NOT_GRANTED": {
      const which = r.scopes.length ? r.scopes.join(", ") : `one of ${c.scopes.join(", ")}`;
      return {
        field: "input.scopes",
        code: "SCOPE_NOT_GRANTED",
        message:
          `CorreosID (${env}) did not grant the scope ${which} to this OAuth client.${said} A token is valid only for the ` +
          `scopes it was issued for: ask Correos to grant ${which} to the application, or register without it.`,
      };
    }
    case "REFUSED":
      return {
        field: "input",
        code: "TOKEN_REQUEST_REJECTED",
        message:
          `CorreosID (${env}) refused the token request${r.oauthError ? ` (${r.oauthError})` : ""}.${said} Check the ` +
          `environment and the configured token URL (CORREOS_ES_TOKEN_URL or CORREOS_ES_PRE_TOKEN_URL).`,
      };
  }
}
