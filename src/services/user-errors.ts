// What mutations return for problems the user can fix, and the rule for our own client ids.
import type { FormatResult } from "../correios/domain/formats.js";

export interface UserError {
  field: string;
  message: string;
  code: string;
}

export interface Warning {
  code: string;
  message: string;
}

/** Client ids are ours (the tenant key): short, URL- and key-safe. */
export function parseClientId(input: string): FormatResult<string> {
  // Only text can be a client id (String() of some objects throws, and of others gives "[object Object]").
  const id = typeof input === "string" ? input.trim() : "";
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) {
    return { ok: false, message: "A client id has 1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit." };
  }
  return { ok: true, value: id };
}

/** The userError for a client without a credential of this carrier. */
export function notRegistered(clientId: string, carrier = "Correios"): UserError {
  return { field: "clientId", code: "NOT_FOUND", message: `No ${carrier} credential is registered for client "${clientId}".` };
}
