// Reverse-logistics services and the rules of a return authorization. Every entry is [1] (one source each, see
// ../shared/correios-postings.md §2) and contract-dependent: check them with Meu Contrato. One table to correct.

export type ReturnMode = "DROP_OFF" | "PICKUP";

export interface ReverseService {
  name: string;
  /** The outbound product whose limits (weight, sizes, declared value) apply. */
  baseProduct: string;
  /** [unconfirmed] no source says a reverse service refuses a mode; both are allowed until staging says otherwise. */
  modes: readonly ReturnMode[];
}

export const REVERSE_SERVICES: Readonly<Record<string, ReverseService>> = Object.freeze({
  "03301": { name: "PAC REVERSO", baseProduct: "03298", modes: ["DROP_OFF", "PICKUP"] },
  "03174": { name: "SEDEX 12 REVERSO", baseProduct: "03220", modes: ["DROP_OFF", "PICKUP"] },
  "03182": { name: "SEDEX 10 REVERSO", baseProduct: "03220", modes: ["DROP_OFF", "PICKUP"] },
  "03190": { name: "SEDEX HOJE REVERSO", baseProduct: "03220", modes: ["DROP_OFF", "PICKUP"] },
});

export function reverseServiceOf(code: string): ReverseService | undefined {
  return Object.hasOwn(REVERSE_SERVICES, code) ? REVERSE_SERVICES[code] : undefined;
}

/**
 * How long the authorization stays valid (dataValidadeLogReversa). The facts give no bounds [NOT FOUND]; the legacy
 * SOAP service spoke of a "prazo". A window of 1–90 days with 30 by default is our assumption, kept here.
 */
export const RETURN_VALIDITY_DAYS = Object.freeze({ min: 1, max: 90, default: 30 });
