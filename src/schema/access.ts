// Who a write acts for: an operator names the client; a client token acts for itself (and may name itself).
import { requireAccessTo, type Context } from "./context.js";
import { BadUserInputError, UnauthenticatedError } from "./errors.js";

export function actingClient(ctx: Context, clientId: string | null | undefined): string {
  if (!ctx.auth) throw new UnauthenticatedError();
  const given = typeof clientId === "string" ? clientId.trim() : "";
  if (ctx.auth.role === "operator") {
    if (!given) throw new BadUserInputError("An operator acts for a client: give clientId.", "input.clientId");
    return given;
  }
  const own = ctx.auth.clientId;
  if (!own) throw new UnauthenticatedError("This token names no client.");
  if (given) requireAccessTo(ctx, given);
  return own;
}

/** Reads: an operator sees every client's records (undefined), a client only its own. */
export function readerScope(ctx: Context): string | undefined {
  if (!ctx.auth) throw new UnauthenticatedError();
  if (ctx.auth.role === "operator") return undefined;
  if (!ctx.auth.clientId) throw new UnauthenticatedError("This token names no client.");
  return ctx.auth.clientId;
}
