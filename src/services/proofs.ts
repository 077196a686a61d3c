// Delivery proofs of delivered parcels: cached for long (a proof does not change), asked upstream in batches of up
// to PROOF_BATCH_SIZE codes. "No proof yet" for a delivered parcel is cached briefly, since Correios may add it later.
import type { Keyv } from "keyv";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { ProofClient } from "../correios/client/proof.js";
import type { TokenManager } from "../upstream/token-manager.js";
import type { CredentialService } from "./credentials.js";

export interface ProofResult {
  available: boolean;
  reason?: string;
  mimeType?: string;
  base64?: string;
  /** ISO 8601 with the Brasília offset. */
  deliveredAt?: string;
  fetchedAt?: number;
}

export interface ProofDeps {
  config: Config;
  logger: Logger;
  cache: Keyv;
  client: ProofClient;
  tokens: TokenManager;
  credentials: CredentialService;
}

/** How long "Correios has no proof for this delivered parcel" is believed before asking again. */
export const PROOF_MISSING_TTL_SECONDS = 3600;

export const NO_PROOF_YET = "Correios has no delivery-proof image for this parcel (it may appear a few hours after delivery).";

/** The answer for a parcel that is not delivered: known without asking Correios. */
export function notDeliveredProof(status: string): ProofResult {
  return { available: false, reason: `No delivery proof: the parcel is not delivered yet (status ${status}).` };
}

export class ProofService {
  /** Codes asked for, answered from the cache, and sent upstream. */
  readonly stats = { requested: 0, cacheHits: 0, sent: 0 };

  constructor(private readonly d: ProofDeps) {}

  /** Proofs of delivered parcels, in the order of `codes` (validated, distinct), with an Error where a call failed. */
  async proofs(tenant: string, codes: string[]): Promise<Array<ProofResult | Error>> {
    const out: Array<ProofResult | Error | undefined> = new Array(codes.length);
    let cached: Array<ProofResult | undefined | null> = [];
    try {
      cached = (await this.d.cache.getMany(codes.map((c) => key(tenant, c)))) as Array<ProofResult | undefined | null>;
    } catch (e) {
      this.d.logger.warn({ err: String(e) }, "proof cache read failed; asking Correios");
    }
    const misses: number[] = [];
    codes.forEach((_, i) => {
      const hit = cached[i];
      if (hit) out[i] = hit;
      else misses.push(i);
    });
    this.stats.requested += codes.length;
    this.stats.cacheHits += codes.length - misses.length;
    if (misses.length === 0) return out as ProofResult[];

    let credential;
    try {
      credential = await this.d.credentials.usable(tenant);
    } catch (e) {
      for (const i of misses) out[i] = asError(e);
      return out as Array<ProofResult | Error>;
    }
    const subject = this.d.credentials.tokenSubject(credential);
    const size = this.d.config.PROOF_BATCH_SIZE;
    const chunks: number[][] = [];
    for (let i = 0; i < misses.length; i += size) chunks.push(misses.slice(i, i + size));
    await Promise.all(
      chunks.map(async (chunk) => {
        const chunkCodes = chunk.map((i) => codes[i]!);
        this.stats.sent += chunkCodes.length;
        try {
          const found = await this.d.tokens.withToken(subject, (token) => this.d.client.fetchProofs(token, chunkCodes));
          const fetchedAt = Date.now();
          const entries = chunk.map((i): { code: string; value: ProofResult; ttl: number } => {
            const code = codes[i]!;
            const proof = found.get(code);
            return proof
              ? {
                  code,
                  value: { available: true, mimeType: proof.mimeType, base64: proof.base64, deliveredAt: proof.deliveredAt, fetchedAt },
                  ttl: this.d.config.PROOF_TTL_SECONDS * 1000,
                }
              : { code, value: { available: false, reason: NO_PROOF_YET, fetchedAt }, ttl: PROOF_MISSING_TTL_SECONDS * 1000 };
          });
          chunk.forEach((i, j) => (out[i] = entries[j]!.value));
          const keep = entries.filter((e) => e.ttl > 0).map((e) => ({ key: key(tenant, e.code), value: e.value, ttl: e.ttl }));
          if (keep.length) {
            await this.d.cache.setMany(keep).catch((e: unknown) => this.d.logger.warn({ err: String(e) }, "proof cache write failed"));
          }
        } catch (err) {
          for (const i of chunk) out[i] = asError(err);
        }
      }),
    );
    return out as Array<ProofResult | Error>;
  }
}

const key = (tenant: string, code: string) => `${tenant}:${code}`;

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
