// Correos (Spain) tracking: Spanish codes through the same ShipmentResult as Brazil's. Calls carry a TPB-scoped token
// (CorreosID tokens are valid only for the scopes they were issued for) and the gateway pair; a refused token is
// dropped and fetched again once (the credential service's withToken). Answers are cached by status like Brazil's,
// and the last known answer is served stale when Correos (Spain) is down. Calls are separate from Brazil's, so a
// Spanish outage never fails a Brazilian code.
import type { Keyv } from "keyv";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { isOutageFault, UpstreamError } from "../upstream/errors.js";
import type { TrackedObject } from "../correios/client/tracking.js";
import { isFinalStatus } from "../correios/domain/tracking-status.js";
import { CORREOS_ES_TRACKING_SCOPE, type CorreosEsEndpoints } from "../correos-es/endpoints.js";
import type { CorreosEsTrackingClient } from "../correos-es/tracking.js";
import type { CorreosEsCredentialService } from "./correos-es-credentials.js";
import { ServiceError } from "./service-error.js";
import type { ShipmentResult } from "./tracking.js";

interface CacheEntry {
  object: TrackedObject;
  fetchedAt: number;
  freshUntil: number;
}

export interface CorreosEsTrackingDeps {
  config: Config;
  logger: Logger;
  cache: Keyv;
  client: CorreosEsTrackingClient;
  credentials: CorreosEsCredentialService;
  endpoints: CorreosEsEndpoints;
}

export class CorreosEsTrackingService {
  readonly stats = { requested: 0, cacheHits: 0, calls: 0, stale: 0 };

  constructor(private readonly d: CorreosEsTrackingDeps) {}

  /** Results in the order of `codes` (validated, distinct), with an Error in the slot of a failure. */
  async track(tenant: string, codes: string[]): Promise<Array<ShipmentResult | Error>> {
    const now = Date.now();
    this.stats.requested += codes.length;
    let cached: Array<CacheEntry | undefined> = codes.map(() => undefined);
    try {
      cached = (await this.d.cache.getMany(codes.map((c) => key(tenant, c)))) as Array<CacheEntry | undefined>;
    } catch (e) {
      this.d.logger.warn({ err: String(e) }, "Correos (Spain) tracking cache read failed");
    }
    const out: Array<ShipmentResult | Error | undefined> = codes.map((_, i) => {
      const e = cached[i];
      return e && e.freshUntil > now ? { object: e.object, fetchedAt: e.fetchedAt, freshUntil: e.freshUntil, stale: false } : undefined;
    });
    const misses = codes.map((_, i) => i).filter((i) => !out[i]);
    this.stats.cacheHits += codes.length - misses.length;
    if (misses.length === 0) return out as ShipmentResult[];

    let found: Map<string, TrackedObject> | undefined;
    let failure: unknown;
    try {
      found = await this.fetch(tenant, misses.map((i) => codes[i]!));
    } catch (e) {
      failure = e;
    }
    const fetchedAt = Date.now();
    const writes: Array<{ key: string; value: CacheEntry; ttl: number }> = [];
    for (const i of misses) {
      const code = codes[i]!;
      const object = found?.get(code);
      if (object) {
        const entry = { object, fetchedAt, freshUntil: fetchedAt + this.ttlMs(object) };
        writes.push({ key: key(tenant, code), value: entry, ttl: this.d.config.TRACKING_STALE_MAX_SECONDS * 1000 });
        out[i] = { object, fetchedAt, freshUntil: entry.freshUntil, stale: false };
        continue;
      }
      const old = cached[i];
      if (old && isOutageFault(failure) && now - old.fetchedAt <= this.d.config.TRACKING_STALE_MAX_SECONDS * 1000) {
        this.stats.stale++;
        out[i] = { object: old.object, fetchedAt: old.fetchedAt, freshUntil: old.freshUntil, stale: true };
      } else {
        out[i] = failure instanceof Error ? failure : new Error(String(failure));
      }
    }
    if (writes.length) {
      await this.d.cache.setMany(writes).catch((e: unknown) => this.d.logger.warn({ err: String(e) }, "Correos (Spain) tracking cache write failed"));
    }
    return out as Array<ShipmentResult | Error>;
  }

  private async fetch(tenant: string, codes: string[]): Promise<Map<string, TrackedObject>> {
    const credential = await this.d.credentials.usable(tenant);
    if (!credential.scopes.includes(CORREOS_ES_TRACKING_SCOPE)) throw scopeMissing(tenant, credential.scopes);
    const baseUrl = this.d.endpoints.apiBaseUrl(credential.environment);
    const perCall = this.d.config.CORREOS_ES_TRACKING_CODES_PER_CALL;
    const out = new Map<string, TrackedObject>();
    const call = (chunk: string[]) =>
      this.d.credentials.withToken(tenant, [CORREOS_ES_TRACKING_SCOPE], async ({ headers }) => {
        this.stats.calls++;
        return this.d.client.search(baseUrl, headers, chunk);
      });
    try {
      for (let i = 0; i < codes.length; i += perCall) {
        const chunk = codes.slice(i, i + perCall);
        const found = await call(chunk);
        for (const code of chunk) {
          // The multi-code syntax is undocumented: a code missing from a multi-code answer is asked for alone.
          const o = found.get(code) ?? (chunk.length > 1 ? (await call([code])).get(code) : undefined);
          out.set(code, o ?? { code, status: "NOT_FOUND", message: "Correos (Spain) returned no data for this code.", events: [] });
        }
      }
    } catch (e) {
      // A 401 after a fresh token: the token was issued but trackpub refuses it, which is what a missing TPB grant does.
      if (e instanceof UpstreamError && e.kind === "TOKEN_REJECTED") throw scopeMissing(tenant, credential.scopes, e.details.upstreamMessages);
      throw e;
    }
    return out;
  }

  private ttlMs(o: TrackedObject): number {
    const c = this.d.config;
    if (o.status === "NOT_FOUND") return c.TRACKING_TTL_NOT_FOUND_SECONDS * 1000;
    return (isFinalStatus(o.status) ? c.TRACKING_TTL_FINAL_SECONDS : c.TRACKING_TTL_ACTIVE_SECONDS) * 1000;
  }
}

function scopeMissing(clientId: string, registered: readonly string[], said?: string[]): ServiceError {
  const upstream = said?.length ? ` Correos (Spain) said: "${said.join(" / ")}".` : "";
  return new ServiceError(
    "SCOPE_NOT_GRANTED",
    `Correos (Spain) tracking needs a token with scope ${CORREOS_ES_TRACKING_SCOPE}, which client "${clientId}" ` +
      `${registered.includes(CORREOS_ES_TRACKING_SCOPE) ? "registered but was refused" : `has not registered (registered: ${registered.join(", ")})`}.${upstream} ` +
      `Ask Correos to grant ${CORREOS_ES_TRACKING_SCOPE} to the application, register it, then verify.`,
    { clientId, scope: CORREOS_ES_TRACKING_SCOPE },
  );
}

const key = (tenant: string, code: string) => `es:${tenant}:${code}`;
