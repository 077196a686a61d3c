// Per-request DataLoaders, created in the context for every request and never shared between users. Codes asked in
// the same tick (a page of orders through the gateway, or a `shipments` list) reach the tracking service as one batch.
import DataLoader from "dataloader";
import type { Services } from "./services.js";
import type { ShipmentResult } from "./tracking.js";
import { carrierOfCode } from "../correos-es/codes.js";
import type { QuoteRequest } from "./quotes/quote-input.js";
import type { QuoteResult } from "./quotes/quotes.js";
import type { ProofResult } from "./proofs.js";
import { ServiceError } from "./service-error.js";
import type { CepAddress } from "../correios/client/cep.js";
import type { StoredPosting } from "../store/postings.js";
import type { WatchView } from "./notifications/watches.js";

export interface Loaders {
  shipment: DataLoader<string, ShipmentResult>;
  /** Every quote of the request's tick: the cache misses of all of them go out as one price and one deadline call. */
  quote: DataLoader<QuoteRequest, QuoteResult[], string>;
  /** Delivery proofs of delivered parcels, by tracking code. */
  proof: DataLoader<string, ProofResult>;
  /** Addresses by CEP (validated, 8 digits); undefined when Correios does not know one. */
  address: DataLoader<string, CepAddress | undefined>;
  /** The newest return of an outbound parcel of the acting client, by its tracking code. */
  returnByOriginal: DataLoader<string, StoredPosting | undefined>;
  /** The acting client's watches, by tracking code (Shipment.watch): one store read for a page of parcels. */
  watch: DataLoader<string, WatchView | undefined>;
}

export function createLoaders(services: Services, tenant: () => string): Loaders {
  const max = services.config.MAX_CODES_PER_REQUEST;
  let seen = 0;
  return {
    shipment: new DataLoader<string, ShipmentResult>(async (codes) => {
      let client: string;
      try {
        client = tenant();
      } catch (e) {
        return codes.map(() => e as Error);
      }
      // The per-request ceiling holds across batches too (aliases, several fields, _entities).
      const allowed = Math.max(0, Math.min(codes.length, max - seen));
      seen += codes.length;
      // Each carrier's codes go to its own service, in parallel: one carrier's outage leaves the other's answers alone.
      const asked = codes.slice(0, allowed);
      const spanish = asked.map((c, i) => (carrierOfCode(c) === "CORREOS_ES" ? i : -1)).filter((i) => i >= 0);
      const brazilian = asked.map((_, i) => i).filter((i) => !spanish.includes(i));
      const [br, es] = await Promise.all([
        brazilian.length ? services.tracking.track(client, brazilian.map((i) => asked[i]!)) : [],
        spanish.length ? services.trackingEs.track(client, spanish.map((i) => asked[i]!)) : [],
      ]);
      const results: Array<ShipmentResult | Error> = new Array(asked.length);
      brazilian.forEach((i, j) => (results[i] = br[j]!));
      spanish.forEach((i, j) => (results[i] = es[j]!));
      for (let i = allowed; i < codes.length; i++) {
        results.push(new ServiceError("BAD_USER_INPUT", `This request asks for more than ${max} tracking codes; split it.`, { maxCodes: max }));
      }
      return results;
    }),
    quote: new DataLoader<QuoteRequest, QuoteResult[], string>(
      async (requests) => {
        try {
          return await services.quotes.quoteMany(tenant(), [...requests]);
        } catch (e) {
          return requests.map(() => e as Error);
        }
      },
      // QuoteRequest is built in a fixed key order, so its JSON is its identity.
      { cacheKeyFn: (r) => JSON.stringify(r) },
    ),
    proof: new DataLoader<string, ProofResult>(async (codes) => {
      try {
        return await services.proofs.proofs(tenant(), [...codes]);
      } catch (e) {
        return codes.map(() => e as Error);
      }
    }),
    address: new DataLoader<string, CepAddress | undefined>(async (ceps) => {
      try {
        return await services.addresses.lookupMany(tenant(), ceps);
      } catch (e) {
        return ceps.map(() => e as Error);
      }
    }),
    returnByOriginal: new DataLoader<string, StoredPosting | undefined>(async (codes) => {
      try {
        // One read of the client's returns for the whole batch (a page of orders asks for many).
        const returns = await services.postings.list(tenant(), {}, "RETURN");
        return codes.map((c) => returns.find((r) => r.reverse?.originalTrackingCode === c));
      } catch (e) {
        return codes.map(() => e as Error);
      }
    }),
    watch: new DataLoader<string, WatchView | undefined>(async (codes) => {
      try {
        return await services.watches.getMany(tenant(), codes);
      } catch (e) {
        return codes.map(() => e as Error);
      }
    }),
  };
}
