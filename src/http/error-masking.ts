// Error masking, the last step before an answer leaves: anything that is not one of our typed errors is logged and
// replaced by "Internal error.", coercion errors lose the value they quote (secrets included), messages lose
// invisible characters, and production answers lose stack traces and "Did you mean …" suggestions.
import { GraphQLError, Kind, type GraphQLFormattedError } from "graphql";
import { toGraphQLError } from "../schema/errors.js";
import type { Services } from "../services/services.js";

export function maskError(formatted: GraphQLFormattedError, error: unknown, services: Services, opts: { log?: boolean } = {}): GraphQLFormattedError {
  const masked = maskErrorContent(formatted, error, services, opts.log ?? true);
  let message = printable(masked.message);
  // Introspection is off in production; a suggestion from variable coercion would still name fields and enum values.
  if (services.config.production) message = message.replace(/ ?Did you mean [^?]*\?$/, "");
  return message === masked.message ? masked : { ...masked, message };
}

/**
 * Messages may quote input (a field name from a variable, a string literal, a client id): NUL, bidi overrides and
 * other invisible characters become U+FFFD, line breaks a space, so what the caller reads is what the text says.
 */
function printable(message: string): string {
  return message.replace(/[\t\n\r\u2028\u2029]/g, " ").replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, "\uFFFD");
}

function maskErrorContent(formatted: GraphQLFormattedError, error: unknown, services: Services, log: boolean): GraphQLFormattedError {
  const variableMessage = variableErrorWithoutValue(error);
  if (variableMessage !== undefined) {
    // The stacktrace goes too: it is the reason's, and its first line may print the value.
    const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
    return { message: variableMessage, locations: formatted.locations, extensions: { ...extensions, code: "BAD_USER_INPUT" } };
  }
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const code = formatted.extensions?.code;
  // Anything that is not one of our typed errors (or a GraphQL validation error) is logged and replaced.
  if (code === "INTERNAL_SERVER_ERROR" || code === undefined) {
    if (!(original instanceof GraphQLError)) {
      // A typed error that a resolver let through (a store failure in a plain read) keeps its code from the one table.
      const typed = toGraphQLError(original);
      if (typed.extensions.code !== "INTERNAL_SERVER_ERROR") return { message: typed.message, path: formatted.path, locations: formatted.locations, extensions: typed.extensions };
      if (log) services.logger.error({ err: original instanceof Error ? original.message : String(original), path: formatted.path }, "unexpected error");
      return { message: "Internal error.", path: formatted.path, locations: formatted.locations, extensions: { code: "INTERNAL_SERVER_ERROR" } };
    }
  }
  if (services.config.production && formatted.extensions && "stacktrace" in formatted.extensions) {
    const { stacktrace: _s, ...extensions } = formatted.extensions;
    return { ...formatted, extensions };
  }
  return formatted;
}

/**
 * graphql-js prints the whole value of a variable that fails coercion into its message (`Variable "$input" got invalid
 * value { …, accessCode: "…" } at "input.x"; <reason>`), and a scalar's or enum's reason prints the value once more.
 * This keeps the variable, the path and the reason, without the value. Undefined for any other error.
 */
function variableErrorWithoutValue(error: unknown): string | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return undefined;
  const name = node.variable.name.value;
  const head = `Variable "$${name}" got invalid value`;
  if (!error.message.startsWith(`${head} `)) return undefined;
  const reason = error.originalError?.message;
  const rest = error.message.slice(head.length + 1);
  // Without the reason to split on, the value cannot be told apart from the rest: say only which variable.
  if (!reason || !rest.endsWith(`; ${reason}`)) return `${head}.`;
  const valueAndPath = rest.slice(0, -(reason.length + 2));
  // A GraphQL name and path segments only: a value's printed text cannot end like this (its quotes are escaped).
  const path = new RegExp(` at "${name}(?:\\.[_A-Za-z][_0-9A-Za-z]*|\\[\\d+\\])*"$`).exec(valueAndPath)?.[0] ?? "";
  const shown = valueAndPath.slice(0, valueAndPath.length - path.length);
  return `${head}${path}; ${reasonWithoutValue(reason, shown)}`;
}

/** `String cannot represent a non string value: 123` → `… value`; a value quoted mid-sentence becomes <hidden>. */
function reasonWithoutValue(reason: string, shown: string): string {
  const forms = [shown];
  // A custom scalar may print a string raw, without the quotes; short ones are left alone (they would match words).
  if (shown.startsWith('"')) {
    try {
      const raw: unknown = JSON.parse(shown);
      if (typeof raw === "string" && raw.length >= 4) forms.push(raw);
    } catch {
      // not a JSON string: only the printed form is hidden
    }
  }
  let out = reason;
  for (const form of forms) {
    if (!form) continue;
    for (const tail of [`: ${form}`, `: ${form}.`]) if (out.endsWith(tail)) out = out.slice(0, -tail.length) + (tail.endsWith(".") ? "." : "");
    out = out.replace(wholeToken(form), "<hidden>");
  }
  return out;
}

/**
 * The value where it stands on its own, not inside a longer word: a value "Environment" hides `"Environment"`, not
 * the end of `CorreosEsEnvironment`. The edges are checked only where the value itself begins or ends with a word
 * character (a quoted value is delimited by its quotes).
 */
function wholeToken(form: string): RegExp {
  const word = /[\p{L}\p{N}_]/u;
  const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const before = word.test(form[0]!) ? "(?<![\\p{L}\\p{N}_])" : "";
  const after = word.test(form.at(-1)!) ? "(?![\\p{L}\\p{N}_])" : "";
  return new RegExp(`${before}${escaped}${after}`, "gu");
}
