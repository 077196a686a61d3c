// The credential repository. Secrets are sealed with the SecretBox before they reach keyv, with the record's
// carrier, client and field as associated data.
import type { Keyv } from "keyv";
import type { SecretBox } from "./secret-box.js";
import { StoreUnavailableError } from "./store-guard.js";

export type Carrier = "CORREIOS_BR" | "CORREOS_ES";
export type CredentialStatus = "ACTIVE" | "INVALID" | "UNVERIFIED";

interface BaseCredential {
  clientId: string;
  carrier: Carrier;
  status: CredentialStatus;
  statusReason?: string;
  /** Incremented whenever the secret changes; part of the token cache key so an old token is never reused. */
  revision: number;
  createdAt: string;
  updatedAt: string;
  verifiedAt?: string;
  tokenExpiresAt?: string;
}

export interface CorreiosBrCredential extends BaseCredential {
  carrier: "CORREIOS_BR";
  apiLogin: string;
  accessCodeSealed: string;
  accessCodeHint: string;
  /** Canonical form: 10 digits with the leading 00. */
  postingCard: string;
  contract?: string;
  dr?: number;
  cnpj?: string;
  environment?: string;
  /** What the posting card may call, from the token answer's card-level list (see cardApisOf in correios/token.ts). */
  enabledApis: number[];
  /** The token answer's top-level api list, kept as Correios sent it; absent on records saved before it was kept. */
  loginApis?: number[];
}

export interface CorreosEsCredential extends BaseCredential {
  carrier: "CORREOS_ES";
  oauthClientId: string;
  oauthClientSecretSealed: string;
  oauthClientSecretHint: string;
  scopes: string[];
  grantedScopes?: string[];
  apiClientId?: string;
  apiClientSecretSealed?: string;
  apiClientSecretHint?: string;
  environment: "PRODUCTION" | "PREPRODUCTION";
}

export type StoredCredential = CorreiosBrCredential | CorreosEsCredential;
export type SecretField = "accessCode" | "oauthClientSecret" | "apiClientSecret";

export class CredentialRepository {
  constructor(
    private readonly kv: Keyv,
    private readonly box: SecretBox,
  ) {}

  private key(carrier: Carrier, clientId: string): string {
    return `${carrier}:${clientId}`;
  }

  async get<C extends Carrier>(carrier: C, clientId: string): Promise<Extract<StoredCredential, { carrier: C }> | undefined> {
    return (await this.kv.get(this.key(carrier, clientId))) as Extract<StoredCredential, { carrier: C }> | undefined;
  }

  async save(c: StoredCredential): Promise<void> {
    const ok = await this.kv.set(this.key(c.carrier, c.clientId), c);
    if (!ok) throw new StoreUnavailableError("store", "it refused to save the credential");
  }

  async remove(carrier: Carrier, clientId: string): Promise<boolean> {
    return this.kv.delete(this.key(carrier, clientId));
  }

  async list(filter: { carrier?: Carrier; clientId?: string } = {}): Promise<StoredCredential[]> {
    const out: StoredCredential[] = [];
    if (!this.kv.iterator) throw new Error("The configured store cannot list keys");
    for await (const [, value] of this.kv.iterator(this.kv.namespace)) {
      const c = value as StoredCredential | undefined;
      if (!c) continue;
      if (filter.carrier && c.carrier !== filter.carrier) continue;
      if (filter.clientId && c.clientId !== filter.clientId) continue;
      out.push(c);
    }
    return out.sort((a, b) => a.clientId.localeCompare(b.clientId) || a.carrier.localeCompare(b.carrier));
  }

  seal(c: { carrier: Carrier; clientId: string }, field: SecretField, plain: string): string {
    return this.box.seal(plain, `${c.carrier}:${c.clientId}:${field}`);
  }

  open(c: { carrier: Carrier; clientId: string }, field: SecretField, sealed: string): string {
    return this.box.open(sealed, `${c.carrier}:${c.clientId}:${field}`);
  }
}
