// Authenticated encryption for secrets at rest (AES-256-GCM). The associated data binds a ciphertext to the record it
// belongs to, so a value copied from one client's record into another's fails to open instead of leaking.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const VERSION = "v1";

export class SecretTamperedError extends Error {
  constructor() {
    super("Stored secret failed authentication: it was altered or belongs to another record.");
  }
}

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError("SecretBox key must be 32 bytes");
  }

  seal(plain: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString("base64url"), tag.toString("base64url"), data.toString("base64url")].join(".");
  }

  open(sealed: string, associatedData: string): string {
    const parts = sealed.split(".");
    if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretTamperedError();
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(parts[1]!, "base64url"));
      decipher.setAAD(Buffer.from(associatedData, "utf8"));
      decipher.setAuthTag(Buffer.from(parts[2]!, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(parts[3]!, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretTamperedError();
    }
  }
}

/** Secrets shorter than this show nothing: four characters of a short one would give most of it away. */
const MIN_LENGTH_TO_HINT = 12;

/** What may be shown of a secret: its last four characters, and only when they are at most a third of it. */
export function maskSecret(secret: string): string {
  return secret.length >= MIN_LENGTH_TO_HINT ? `••••${secret.slice(-4)}` : "••••";
}

/**
 * A short fingerprint of one registration's sealed secret. Sealing uses a fresh IV, so the fingerprint changes with
 * every registration, even when a removed client registers again with the same revision number: token cache keys
 * include it, so a token of an old pair is never handed to a new one.
 */
export function registrationFingerprint(sealed: string): string {
  return createHash("sha256").update(sealed).digest("hex").slice(0, 12);
}
