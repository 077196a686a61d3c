// Standard Webhooks signing, through the spec's own library (standardwebhooks) rather than a hand-rolled HMAC.
// A secret is `whsec_` + base64 of 32 random bytes; during a rotation's grace period a message carries one signature
// per live secret, space-separated, which the spec's verifiers accept when any one matches.
import { createHash, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

const SECRET_BYTES = 32;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString("base64")}`;
}

/** The webhook-signature header: `v1,<sig>` for each secret, newest first. */
export function signatureHeader(secrets: string[], messageId: string, at: Date, payload: string): string {
  return secrets.map((s) => new Webhook(s).sign(messageId, at, payload)).join(" ");
}

/** A delivery's webhook-id: derived from its id, so a delivery created twice (a re-published change) has one. */
export function messageIdOf(deliveryId: string): string {
  return `msg_${createHash("sha256").update(deliveryId).digest("base64url").slice(0, 27)}`;
}
