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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "correios-subgraph" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
