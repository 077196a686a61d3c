// CorreosID (Spain) OAuth clients registered in the simulator.

export interface CorreosEsClientSeed {
  clientId: string;
  clientSecret: string;
  scopes: string[];
  active?: boolean;
}

export type CorreosEsClient = Required<CorreosEsClientSeed>;

/** Seeded with the default accounts; the secret is a fake fixture. */
export const DEFAULT_CORREOS_ES_CLIENTS: readonly CorreosEsClientSeed[] = [
  { clientId: "correos-demo", clientSecret: "correos-demo-secret-2026", scopes: ["AP3", "LBS", "RCG", "TPB"] },
];

/** The API gateway pair (client_id / client_secret headers) registered beside the CorreosID application; fake. */
export const DEFAULT_CORREOS_ES_API_PAIRS: ReadonlyArray<{ clientId: string; clientSecret: string }> = [
  { clientId: "correos-demo-api", clientSecret: "correos-demo-api-secret" },
];

export class CorreosEsClientStore {
  private readonly clients = new Map<string, CorreosEsClient>();

  add(seed: CorreosEsClientSeed): void {
    if (!seed.clientId || !seed.clientSecret) throw new TypeError("clientId and clientSecret are required");
    if (!Array.isArray(seed.scopes) || seed.scopes.some((s) => typeof s !== "string")) {
      throw new TypeError("scopes must be an array of strings");
    }
    this.clients.set(seed.clientId, { ...seed, scopes: [...seed.scopes], active: seed.active ?? true });
  }

  get(clientId: string): CorreosEsClient | undefined {
    return this.clients.get(clientId);
  }
}
