// Quotes (price + delivery time) with the fewest upstream calls: every (route, package, service) is cached on its
// own; the misses of all quotes batched together (one GraphQL request's tick) go out as ONE price call and ONE
// deadline call, in parallel; an identical question already on its way upstream is joined, not asked again.
// When Correios fails or is slower than the budget, the last known answer is served flagged stale.
import { createHash } from "node:crypto";
import type { Keyv } from "keyv";
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import { isOutageFault, UpstreamError } from "../../upstream/errors.js";
import {
  brasiliaDate,
  type DeadlineItem,
  type DeadlineOutcome,
  type ItemRefusal,
  type PriceItem,
  type PriceOutcome,
  type PriceParts,
  type PricingClient,
} from "../../correios/client/pricing.js";
import { DEFAULT_SERVICE_CODES, productOf } from "../../correios/domain/products.js";
import type { TokenManager } from "../../upstream/token-manager.js";
import type { CorreiosBrCredential } from "../../store/credentials.js";
import type { CredentialService } from "../credentials.js";
import { localRefusal, validateQuoteInput, type QuoteInput, type QuoteRequest } from "./quote-input.js";
import { ServiceError } from "../service-error.js";

export interface QuoteRefusal {
  source: "INPUT" | "PRICE" | "DEADLINE";
  code: string;
  message: string;
  correiosCode?: string;
}

export interface QuoteResult {
  serviceCode: string;
  serviceName?: string;
  price?: { cents: number; parts: PriceParts };
  deadline?: { deliveryDays: number; maxDate?: string; homeDelivery?: boolean; saturdayDelivery?: boolean; note?: string };
  /** Set when Correios (or a local limit) refused the price or the deadline of this service. */
  error?: QuoteRefusal;
  fetchedAt: number;
  /** Until when the cache here serves this answer (Infinity for a local refusal; in the past when stale). */
  freshUntil: number;
  stale: boolean;
}

interface QuoteEntry {
  price: PriceOutcome;
  deadline: DeadlineOutcome;
  fetchedAt: number;
  freshUntil: number;
  /** Set when no posting date was given: Correios counted from that day (Brasília), so the entry ages at midnight. */
  day?: string;
}

type Settled = { entry: QuoteEntry; stale: boolean } | { error: unknown };

export interface QuoteDeps {
  config: Config;
  logger: Logger;
  cache: Keyv;
  client: PricingClient;
  tokens: TokenManager;
  credentials: CredentialService;
}

/** Restricted-API refusals name the contract service that unlocks each API [1: Manual API Preço/Prazo]. */
const CONTRACT_SERVICE = {
  price: { service: "38202", label: "API PRECOS", api: "PRICE" },
  deadline: { service: "38210", label: "API PRAZOS", api: "DEADLINE" },
} as const;

export class QuoteService {
  private readonly inflight = new Map<string, Promise<QuoteEntry>>();
  /** Services asked for, answered from the cache, sent upstream, and served stale. */
  readonly stats = { requested: 0, cacheHits: 0, sent: 0, stale: 0 };

  constructor(private readonly d: QuoteDeps) {}

  /** Checks and normalizes the input; throws ServiceError BAD_USER_INPUT listing every bad field. */
  validate(input: QuoteInput): QuoteRequest {
    return validateQuoteInput(input, this.defaultServices());
  }

  /**
   * The services quoted when the caller names none. The contract's own products would be the better default, but
   * nothing in the CWS token answer lists them; products a contract lacks come back refused per service (ERP-010)
   * without failing the others.
   */
  defaultServices(): readonly string[] {
    return DEFAULT_SERVICE_CODES;
  }

  /** One result list per request (in the order of its services), or an Error in the slot of a request that failed. */
  async quoteMany(tenant: string, requests: QuoteRequest[]): Promise<Array<QuoteResult[] | Error>> {
    let credential: CorreiosBrCredential;
    try {
      credential = await this.d.credentials.usable(tenant);
    } catch (e) {
      return requests.map(() => asError(e));
    }
    const now = Date.now();
    const today = brasiliaDate(now);
    type Slot = { service: string; local: QuoteResult } | { service: string; key: string };
    const items = new Map<string, PriceItem>();
    const slots: Slot[][] = requests.map((r) =>
      r.services.map((service): Slot => {
        const refused = localRefusal(r, service);
        if (refused) {
          const error: QuoteRefusal = { source: "INPUT", code: refused.code, message: refused.message };
          return { service, local: { serviceCode: service, serviceName: productOf(service)?.name, error, fetchedAt: now, freshUntil: Number.POSITIVE_INFINITY, stale: false } };
        }
        const item = priceItemOf(r, service, credential);
        const key = cacheKey(tenant, credential, item);
        items.set(key, item);
        return { service, key };
      }),
    );
    const keys = [...items.keys()];
    const cached = await this.readCache(keys);
    const misses = keys.filter((k) => !isFresh(cached.get(k), now, today));
    this.stats.requested += keys.length;
    this.stats.cacheHits += keys.length - misses.length;

    const pending = this.fetchMisses(credential, misses.map((key) => ({ key, item: items.get(key)! })), today);
    const settled = new Map<string, Settled>();
    await Promise.all(misses.map(async (k) => settled.set(k, await this.settle(pending.get(k)!, cached.get(k), now))));

    return slots.map((row) => {
      const out: QuoteResult[] = [];
      for (const slot of row) {
        if ("local" in slot) {
          out.push(slot.local);
          continue;
        }
        const s: Settled = settled.get(slot.key) ?? { entry: cached.get(slot.key)!, stale: false };
        // Without an answer or a stale one for every service, the quote fails with the upstream error.
        if ("error" in s) return asError(s.error);
        out.push(resultOf(slot.service, s.entry, s.stale));
      }
      return out;
    });
  }

  private async readCache(keys: string[]): Promise<Map<string, QuoteEntry>> {
    const out = new Map<string, QuoteEntry>();
    if (keys.length === 0) return out;
    try {
      const values = (await this.d.cache.getMany(keys)) as Array<QuoteEntry | undefined | null>;
      keys.forEach((k, i) => {
        const v = values[i];
        if (v) out.set(k, v);
      });
    } catch (e) {
      this.d.logger.warn({ err: String(e) }, "quote cache read failed; asking Correios");
    }
    return out;
  }

  /** Waits for the answer; with a usable stale entry, waits at most the budget and falls back on upstream faults. */
  private async settle(p: Promise<QuoteEntry>, old: QuoteEntry | undefined, now: number): Promise<Settled> {
    const fallback = old && now - old.fetchedAt <= this.d.config.QUOTE_STALE_MAX_SECONDS * 1000 ? old : undefined;
    const answer = p.then(
      (entry): Settled => ({ entry, stale: false }),
      (error: unknown): Settled => ({ error }),
    );
    if (!fallback) return answer;
    let timer: NodeJS.Timeout | undefined;
    // The upstream call is not aborted at the budget: when it completes it still refreshes the cache.
    const budget = new Promise<"budget">((resolve) => {
      timer = setTimeout(() => resolve("budget"), this.d.config.QUOTE_UPSTREAM_BUDGET_MS);
    });
    try {
      const first = await Promise.race([answer, budget]);
      if (first !== "budget" && !("error" in first && isOutageFault(first.error))) return first;
      this.stats.stale++;
      return { entry: fallback, stale: true };
    } finally {
      clearTimeout(timer);
    }
  }

  private fetchMisses(credential: CorreiosBrCredential, misses: Array<{ key: string; item: PriceItem }>, today: string): Map<string, Promise<QuoteEntry>> {
    const out = new Map<string, Promise<QuoteEntry>>();
    const todo: typeof misses = [];
    for (const m of misses) {
      const running = this.inflight.get(m.key);
      if (running) out.set(m.key, running);
      else todo.push(m);
    }
    if (todo.length === 0) return out;
    const call = this.callUpstream(credential, todo, today);
    todo.forEach((m, i) => {
      const p = call.then((entries) => entries[i]!);
      const done = () => {
        if (this.inflight.get(m.key) === p) this.inflight.delete(m.key);
      };
      p.then(done, done);
      this.inflight.set(m.key, p);
      out.set(m.key, p);
    });
    return out;
  }

  /** ONE price call and ONE deadline call (each cut at PRICE_BATCH_SIZE items), sent together. */
  private async callUpstream(credential: CorreiosBrCredential, todo: Array<{ key: string; item: PriceItem }>, today: string): Promise<QuoteEntry[]> {
    const subject = this.d.credentials.tokenSubject(credential);
    // A deadline depends only on product, route and posting date: packages on the same route share one item.
    const deadlineItems: DeadlineItem[] = [];
    const deadlineIndex = new Map<string, number>();
    const deadlineOf = todo.map(({ item }) => {
      const d: DeadlineItem = { productCode: item.productCode, originCep: item.originCep, destinationCep: item.destinationCep, postingDate: item.postingDate };
      const k = JSON.stringify(d);
      let i = deadlineIndex.get(k);
      if (i === undefined) {
        i = deadlineItems.push(d) - 1;
        deadlineIndex.set(k, i);
      }
      return i;
    });
    this.stats.sent += todo.length;
    const [prices, deadlines] = await Promise.allSettled([
      this.d.tokens.withToken(subject, (token) => this.d.client.fetchPrices(token, todo.map((t) => t.item))),
      this.d.tokens.withToken(subject, (token) => this.d.client.fetchDeadlines(token, deadlineItems)),
    ]);
    if (prices.status === "rejected" || deadlines.status === "rejected") {
      throw upstreamFailure(credential.clientId, prices.status === "rejected" ? prices.reason : undefined, deadlines.status === "rejected" ? deadlines.reason : undefined);
    }
    const fetchedAt = Date.now();
    const entries = todo.map(({ item }, i): QuoteEntry => ({
      price: prices.value[i]!,
      deadline: deadlines.value[deadlineOf[i]!]!,
      fetchedAt,
      freshUntil: fetchedAt + this.d.config.QUOTE_TTL_SECONDS * 1000,
      ...(item.postingDate ? {} : { day: today }),
    }));
    await this.writeCache(todo.map((t) => t.key), entries);
    return entries;
  }

  private async writeCache(keys: string[], entries: QuoteEntry[]): Promise<void> {
    const ttl = this.d.config.QUOTE_STALE_MAX_SECONDS * 1000;
    if (ttl <= 0) return;
    // An item Correios left out or answered unreadably says nothing lasting: it is asked again next time.
    const keep = entries.map((value, i) => ({ key: keys[i]!, value, ttl })).filter(({ value }) => !isTransient(value.price) && !isTransient(value.deadline));
    if (keep.length === 0) return;
    await this.d.cache.setMany(keep).catch((e: unknown) => this.d.logger.warn({ err: String(e) }, "quote cache write failed"));
  }
}

function priceItemOf(r: QuoteRequest, service: string, c: CorreiosBrCredential): PriceItem {
  return {
    productCode: service,
    originCep: r.originCep,
    destinationCep: r.destinationCep,
    ...r.package,
    additionalServices: r.additionalServices,
    declaredValueCents: r.declaredValueCents,
    ...(r.postingDate ? { postingDate: r.postingDate } : {}),
    ...(c.contract ? { contract: c.contract } : {}),
    ...(c.dr !== undefined ? { dr: c.dr } : {}),
  };
}

/** Client, its card and contract, route, normalized package, service, additional services, value and date. */
function cacheKey(tenant: string, c: CorreiosBrCredential, item: PriceItem): string {
  const hash = createHash("sha256").update(JSON.stringify([tenant, c.postingCard, item])).digest("base64url");
  return `${tenant}:${hash}`;
}

function isFresh(e: QuoteEntry | undefined, now: number, today: string): boolean {
  return e !== undefined && e.freshUntil > now && (e.day === undefined || e.day === today);
}

function isTransient(o: PriceOutcome | DeadlineOutcome): boolean {
  return !o.ok && o.transient;
}

function resultOf(service: string, e: QuoteEntry, stale: boolean): QuoteResult {
  const { price, deadline } = e;
  const refusal = (source: "PRICE" | "DEADLINE", r: ItemRefusal): QuoteRefusal => ({
    source,
    code: r.code,
    message: r.message,
    ...(r.correiosCode ? { correiosCode: r.correiosCode } : {}),
  });
  return {
    serviceCode: service,
    serviceName: productOf(service)?.name,
    price: price.ok ? { cents: price.priceCents, parts: price.parts } : undefined,
    deadline: deadline.ok
      ? { deliveryDays: deadline.deliveryDays, maxDate: deadline.maxDate, homeDelivery: deadline.homeDelivery, saturdayDelivery: deadline.saturdayDelivery, note: deadline.note }
      : undefined,
    error: !price.ok ? refusal("PRICE", price) : !deadline.ok ? refusal("DEADLINE", deadline) : undefined,
    fetchedAt: e.fetchedAt,
    // An entry counted from "today" ages at Brasília's midnight (UTC−3 all year since 2019), as isFresh says.
    freshUntil: e.day === undefined ? e.freshUntil : Math.min(e.freshUntil, Date.parse(`${e.day}T00:00:00-03:00`) + 86_400_000),
    stale,
  };
}

function upstreamFailure(clientId: string, priceError: unknown, deadlineError: unknown): unknown {
  const restricted = (["price", "deadline"] as const).filter((api) => {
    const e = api === "price" ? priceError : deadlineError;
    return e instanceof UpstreamError && e.kind === "API_NOT_ENABLED";
  });
  if (restricted.length === 0) return priceError ?? deadlineError;
  const said = [priceError, deadlineError]
    .flatMap((e) => (e instanceof UpstreamError ? (e.details.upstreamMessages ?? []) : []))
    .filter((m, i, all) => all.indexOf(m) === i);
  const services = restricted.map((api) => `${CONTRACT_SERVICE[api].service} (${CONTRACT_SERVICE[api].label})`);
  const names = restricted.map((api) => (api === "price" ? "price" : "deadline")).join(" and ");
  return new ServiceError(
    "API_NOT_ENABLED",
    `Correios refused the ${names} API for client "${clientId}" as restricted: enable service ${services.join(" and ")} on the ` +
      `contract (ask your Correios commercial contact to add it), then retry.${said.length ? ` Correios said: "${said.join(" / ")}".` : ""}`,
    {
      clientId,
      apis: restricted.map((api) => CONTRACT_SERVICE[api].api),
      contractServices: restricted.map((api) => CONTRACT_SERVICE[api].service),
      ...(said.length ? { upstreamMessages: said } : {}),
    },
  );
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
