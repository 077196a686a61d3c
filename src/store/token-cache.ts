// Token storage for the TokenManager: bearer tokens are secrets too, so they are sealed at rest like access codes,
// and expire from the store with the token itself.
import type { Keyv } from "keyv";
import type { CachedToken, TokenCache } from "../upstream/token-manager.js";
import type { SecretBox } from "./secret-box.js";

interface SealedToken {
  sealed: string;
  expiresAt: number;
  renewAt: number;
}

export function storeTokenCache(kv: Keyv, box: SecretBox): TokenCache {
  return {
    async get(key) {
      const v = (await kv.get(key)) as SealedToken | undefined;
      if (!v) return undefined;
      try {
        return { token: box.open(v.sealed, `token:${key}`), expiresAt: v.expiresAt, renewAt: v.renewAt };
      } catch {
        return undefined;
      }
    },
    async set(key, value: CachedToken) {
      const ttl = Math.max(1000, value.expiresAt - Date.now());
      await kv.set(key, { sealed: box.seal(value.token, `token:${key}`), expiresAt: value.expiresAt, renewAt: value.renewAt }, ttl);
    },
    async delete(key) {
      await kv.delete(key);
    },
  };
}
