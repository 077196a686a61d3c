// Post offices near a CEP or in a city: cached for a day (units rarely change), asked with the client's token.
import type { Keyv } from "keyv";
import type { Logger } from "pino";
import type { Agency, AgencyClient } from "../correios/client/agencies.js";
import { parseCep } from "../correios/domain/formats.js";
import { BRAZILIAN_STATES } from "../correios/domain/posting-rules.js";
import type { TokenManager } from "../upstream/token-manager.js";
import type { AddressService } from "./addresses.js";
import type { CredentialService } from "./credentials.js";
import { ServiceError } from "./service-error.js";

export interface AgencyDeps {
  logger: Logger;
  cache: Keyv;
  client: AgencyClient;
  tokens: TokenManager;
  credentials: CredentialService;
  addresses: AddressService;
  ttlMs: number;
}

export const MAX_AGENCIES = 50;

export class AgencyService {
  constructor(private readonly d: AgencyDeps) {}

  async near(tenant: string, near: { cep?: string | null; city?: string | null; state?: string | null }, first: number): Promise<Agency[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_AGENCIES) throw new ServiceError("BAD_USER_INPUT", `first is from 1 to ${MAX_AGENCIES}.`, { field: "first" });
    let city = near.city?.trim();
    let state = near.state?.trim().toUpperCase();
    let district: string | undefined;
    if (near.cep) {
      const cep = parseCep(near.cep);
      if (!cep.ok) throw new ServiceError("BAD_USER_INPUT", cep.message, { field: "near.cep" });
      const [address] = await this.d.addresses.lookupMany(tenant, [cep.value]);
      if (address instanceof Error) throw address;
      if (!address) throw new ServiceError("NOT_FOUND", `Correios does not know the CEP ${cep.value}.`, { field: "near.cep" });
      city = address.city;
      state = address.state;
      district = address.district;
    }
    if (!city || !state) throw new ServiceError("BAD_USER_INPUT", "Give a CEP, or a city with its state.", { field: "near" });
    if (!(BRAZILIAN_STATES as readonly string[]).includes(state)) throw new ServiceError("BAD_USER_INPUT", "State is a two-letter UF such as SP.", { field: "near.state" });
    if (city.length > 60) throw new ServiceError("BAD_USER_INPUT", "City has at most 60 characters.", { field: "near.city" });
    const all = await this.cityAgencies(tenant, city, state);
    // Those in the CEP's district first, then the rest of the city.
    const fold = (s: string | undefined) => (s ?? "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    const sorted = district ? [...all].sort((a, b) => Number(fold(b.address.district) === fold(district)) - Number(fold(a.address.district) === fold(district))) : all;
    return sorted.slice(0, first);
  }

  private async cityAgencies(tenant: string, city: string, state: string): Promise<Agency[]> {
    const key = `${state}:${city.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()}`;
    try {
      const hit = (await this.d.cache.get(key)) as Agency[] | undefined;
      if (hit) return hit;
    } catch (e) {
      this.d.logger.warn({ err: String(e) }, "agency cache read failed; asking Correios");
    }
    const credential = await this.d.credentials.usable(tenant);
    const found = await this.d.tokens.withToken(this.d.credentials.tokenSubject(credential), (token) => this.d.client.search(token, { city, state, size: MAX_AGENCIES }));
    await this.d.cache.set(key, found, this.d.ttlMs).catch((e: unknown) => this.d.logger.warn({ err: String(e) }, "agency cache write failed"));
    return found;
  }
}
