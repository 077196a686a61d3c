// JWT-shaped tokens: real header and payload, random bytes for the signature. The simulator never verifies a
// signature; it remembers the tokens it issued, which is all its clients can observe.

import { randomBytes, randomUUID } from "node:crypto";

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** RS512 with a 4096-bit key gives a 512-byte signature; the random one has the same length. */
export function makeJwt(payload: Record<string, unknown>, alg = "RS512"): string {
  return `${b64url({ alg, typ: "JWT" })}.${b64url(payload)}.${randomBytes(512).toString("base64url")}`;
}

export function newJti(): string {
  return randomUUID();
}

/** Decodes the payload part, or undefined when the text is not JWT-shaped. */
export function readJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const value = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
