// Addresses by CEP: cached for days (CEP data barely changes), unknown CEPs cached briefly, every CEP of one request
// through one loader. Asked with the client's own token: the CEP API is enabled per posting card.
import type { Keyv } from "keyv";
import type { Logger } from "pino";
import type { CepAddress, CepClient } from "../correios/client/cep.js";
import type { TokenManager } from "../upstream/token-manager.js";
import type { CredentialService } from "./credentials.js";

export interface AddressOptions {
  ttlMs: number;
  notFoundTtlMs: number;
}

export interface AddressDeps {
  logger: Logger;
  cache: Keyv;
  client: CepClient;
  tokens: TokenManager;
  credentials: CredentialService;
  options: AddressOptions;
}

type Cached = { found: true; address: CepAddress } | { found: false };

export class AddressService {
  readonly stats = { requested: 0, cacheHits: 0, sent: 0 };
  private readonly inflight = new Map<string, Promise<Cached>>();

  constructor(private readonly d: AddressDeps) {}

  /** Addresses of distinct, validated CEPs, in order: undefined for a CEP Correios does not know, an Error where a call failed. */
  async lookupMany(tenant: string, ceps: readonly string[]): Promise<Array<CepAddress | undefined | Error>> {
    return Promise.all(
      ceps.map(async (cep) => {
        try {
          const r = await this.lookup(tenant, cep);
          return r.found ? r.address : undefined;
        } catch (e) {
          return e instanceof Error ? e : new Error(String(e));
        }
      }),
    );
  }

  private async lookup(tenant: string, cep: string): Promise<Cached> {
    this.stats.requested++;
    // CEP data is public, the same for every client: one cache for all, keyed by the CEP alone.
    let hit: Cached | undefined;
    try {
      hit = (await this.d.cache.get(cep)) as Cached | undefined;
    } catch (e) {
      this.d.logger.warn({ err: String(e) }, "address cache read failed; asking Correios");
    }
    if (hit) {
      this.stats.cacheHits++;
      return hit;
    }
    const running = this.inflight.get(cep);
    if (running) return running;
    const p = this.fetch(tenant, cep).finally(() => this.inflight.delete(cep));
    this.inflight.set(cep, p);
    return p;
  }

  private async fetch(tenant: string, cep: string): Promise<Cached> {
    const credential = await this.d.credentials.usable(tenant);
    this.stats.sent++;
    const address = await this.d.tokens.withToken(this.d.credentials.tokenSubject(credential), (token) => this.d.client.lookup(token, cep));
    const value: Cached = address ? { found: true, address } : { found: false };
    await this.d.cache
      .set(cep, value, address ? this.d.options.ttlMs : this.d.options.notFoundTtlMs)
      .catch((e: unknown) => this.d.logger.warn({ err: String(e) }, "address cache write failed"));
    return value;
  }
}
