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
import { whenReady, type MaybePromise } from "./maybe-promise.js";
import type { CepAddress } from "../correios/client/cep.js";
import type { StoredPosting } from "../store/postings.js";
import type { WatchView } from "./notifications/watches.js";

export interface Loaders {
  shipment: DataLoader<string, ShipmentResult>;
  /**
   * A list of validated codes as one batch (the `shipments` field): no promise per code. Duplicates are asked once.
   * It does not share the DataLoader's per-request cache: the tracking service dedups against codes in flight. A
   * list that memory answers whole comes back at once, not as a promise.
   */
  trackMany(codes: readonly string[]): MaybePromise<Array<ShipmentResult | Error>>;
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
  return new RequestLoaders(services, tenant);
}

/** The loaders of one request. Each DataLoader is made on first use: a request reads one or two of them. */
class RequestLoaders implements Loaders {
  private seen = 0;
  private made: Partial<Omit<Loaders, "trackMany">> = {};

  constructor(
    private readonly services: Services,
    private readonly tenant: () => string,
  ) {}

  get shipment(): Loaders["shipment"] {
    return (this.made.shipment ??= new DataLoader<string, ShipmentResult>(async (codes) => this.track(codes)));
  }

  trackMany(codes: readonly string[]): MaybePromise<Array<ShipmentResult | Error>> {
    const index = new Map<string, number>();
    const distinct: string[] = [];
    const slots = codes.map((c) => {
      let i = index.get(c);
      if (i === undefined) index.set(c, (i = distinct.push(c) - 1));
      return i;
    });
    return whenReady(this.track(distinct), (results) => slots.map((i) => results[i]!));
  }

  get quote(): Loaders["quote"] {
    return (this.made.quote ??= new DataLoader<QuoteRequest, QuoteResult[], string>(
      async (requests) => {
        try {
          return await this.services.quotes.quoteMany(this.tenant(), [...requests]);
        } catch (e) {
          return requests.map(() => e as Error);
        }
      },
      // QuoteRequest is built in a fixed key order, so its JSON is its identity.
      { cacheKeyFn: (r) => JSON.stringify(r) },
    ));
  }

  get proof(): Loaders["proof"] {
    return (this.made.proof ??= new DataLoader<string, ProofResult>(async (codes) => {
      try {
        return await this.services.proofs.proofs(this.tenant(), [...codes]);
      } catch (e) {
        return codes.map(() => e as Error);
      }
    }));
  }

  get address(): Loaders["address"] {
    return (this.made.address ??= new DataLoader<string, CepAddress | undefined>(async (ceps) => {
      try {
        return await this.services.addresses.lookupMany(this.tenant(), ceps);
      } catch (e) {
        return ceps.map(() => e as Error);
      }
    }));
  }

  get returnByOriginal(): Loaders["returnByOriginal"] {
    return (this.made.returnByOriginal ??= new DataLoader<string, StoredPosting | undefined>(async (codes) => {
      try {
        // One read of the client's returns for the whole batch (a page of orders asks for many).
        const returns = await this.services.postings.list(this.tenant(), {}, "RETURN");
        return codes.map((c) => returns.find((r) => r.reverse?.originalTrackingCode === c));
      } catch (e) {
        return codes.map(() => e as Error);
      }
    }));
  }

  get watch(): Loaders["watch"] {
    return (this.made.watch ??= new DataLoader<string, WatchView | undefined>(async (codes) => {
      try {
        return await this.services.watches.getMany(this.tenant(), codes);
      } catch (e) {
        return codes.map(() => e as Error);
      }
    }));
  }

  /** Distinct, validated codes → their results in order. The per-request ceiling holds across batches (aliases, fields, _entities). */
  private track(codes: readonly string[]): MaybePromise<Array<ShipmentResult | Error>> {
    let client: string;
    try {
      client = this.tenant();
    } catch (e) {
      return codes.map(() => e as Error);
    }
    const max = this.services.config.MAX_CODES_PER_REQUEST;
    const allowed = Math.max(0, Math.min(codes.length, max - this.seen));
    this.seen += codes.length;
    // Each carrier's codes go to its own service, in parallel: one carrier's outage leaves the other's answers alone.
    const brazilian: string[] = [];
    const spanish: string[] = [];
    const isSpanish: boolean[] = new Array(allowed);
    for (let i = 0; i < allowed; i++) {
      const code = codes[i]!;
      isSpanish[i] = carrierOfCode(code) === "CORREOS_ES";
      (isSpanish[i] ? spanish : brazilian).push(code);
    }
    const br = brazilian.length ? this.services.tracking.track(client, brazilian) : [];
    const es = spanish.length ? this.services.trackingEs.track(client, spanish) : [];
    if (br instanceof Promise || es instanceof Promise) return Promise.all([br, es]).then(([b, e]) => this.inOrder(codes, allowed, isSpanish, b, e));
    return this.inOrder(codes, allowed, isSpanish, br, es);
  }

  /** Each carrier's results back in the order of `codes`; codes past the request's ceiling get its error. */
  private inOrder(
    codes: readonly string[],
    allowed: number,
    isSpanish: boolean[],
    br: Array<ShipmentResult | Error>,
    es: Array<ShipmentResult | Error>,
  ): Array<ShipmentResult | Error> {
    const max = this.services.config.MAX_CODES_PER_REQUEST;
    const results: Array<ShipmentResult | Error> = new Array(codes.length);
    let b = 0;
    let e = 0;
    for (let i = 0; i < allowed; i++) results[i] = isSpanish[i] ? es[e++]! : br[b++]!;
    for (let i = allowed; i < codes.length; i++) {
      results[i] = new ServiceError("BAD_USER_INPUT", `This request asks for more than ${max} tracking codes; split it.`, { maxCodes: max });
    }
    return results;
  }
}
