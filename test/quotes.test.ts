import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { QuotesDocument, RegisterCredentialDocument, TwoQuotesDocument, type QuoteInput } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { DEMO, NO_API, NO_PRICE, registerInput } from "./helpers/fixtures.js";
import { brasiliaDate } from "../src/correios/client/pricing.js";
import { POSTING_DATE_WINDOW } from "../src/services/quotes/quote-input.js";

// The simulator's tariff (simulator/price-table.ts): São Paulo 0… → Campinas 1… is REGIONAL; up to 1 kg the PAC
// base is R$ 29,60; SEDEX × 1.6, SEDEX 12 × 2.2, SEDEX 10 × 2.0. Regional deadline 4 days: SEDEX 2, PAC 6, Sundays
// not counted. Quotes are posted on the latest Tuesday (Brasília), so the posting date stays inside the window the
// subgraph accepts (POSTING_DATE_WINDOW) whatever day the suite runs.
const SP = "01310-100";
const CAMPINAS = "13010111";
const MANAUS = "69005-010";
const POSTED = latestTuesday();

let weight = 300;
/** A quote no earlier test asked (each gets its own weight, all inside the same price bracket). */
function fresh(patch: Partial<QuoteInput> = {}, pkg: Partial<QuoteInput["package"]> = {}): QuoteInput {
  weight += 1;
  return {
    originCep: SP,
    destinationCep: CAMPINAS,
    package: { format: "BOX", weightGrams: weight, lengthCm: 20, widthCm: 15, heightCm: 10, ...pkg },
    postingDate: POSTED,
    ...patch,
  };
}

/** Today (Brasília) plus n days, YYYY-MM-DD. */
const daysFromToday = (n: number) => daysAfter(brasiliaDate(), n);

/** A date n days after `day` (YYYY-MM-DD). */
function daysAfter(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Today (Brasília) if it is a Tuesday, else the Tuesday before. */
function latestTuesday(): string {
  const today = brasiliaDate();
  return daysAfter(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() - 2 + 7) % 7));
}

const errorOf = (res: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown>; message: string }> }) => res.errors?.[0];
const fieldsOf = (res: Parameters<typeof errorOf>[0]) => (errorOf(res)?.extensions?.fields as Array<{ field: string }> | undefined)?.map((f) => f.field) ?? [];

/** One item of a price answer, as the manual shows them (money as text with a decimal comma). */
function priceAnswer(coProduto: string, nuRequisicao: string, pcFinal: string) {
  return { coProduto, nuRequisicao, pcBase: pcFinal, pcProduto: pcFinal, pcTotalServicosAdicionais: "0,00", pcFinal, txErro: "" };
}

describe("quotes", () => {
  let h: Harness;
  let shop: string;
  beforeAll(async () => {
    h = await startHarness();
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-q") });
    shop = await h.clientToken("shop-q");
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sim.reset();
    h.sim.clearFaults();
  });

  it("quotes many services with exactly one price and one deadline request", async () => {
    const res = await h.gql(QuotesDocument, { input: fresh({ services: ["03220", "03298", "03140", "03158"] }) }, { token: shop });
    expect(res.errors).toBeUndefined();
    const quotes = res.data!.quotes;
    expect(quotes.map((q) => q.serviceCode)).toEqual(["03220", "03298", "03140", "03158"]);
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });

    const [sedex, pac, sedex12, sedex10] = quotes;
    expect(sedex).toMatchObject({
      serviceName: "SEDEX (contract)",
      price: { amount: "47.36", cents: 4736, currency: "BRL" },
      deliveryDays: 2,
      expectedDeliveryDate: daysAfter(POSTED, 2), // Thursday
      deliveryDeadline: `${daysAfter(POSTED, 2)}T23:59:59-03:00`,
      homeDelivery: true,
      saturdayDelivery: true,
      stale: false,
      error: null,
    });
    expect(sedex!.priceParts).toMatchObject({
      base: { amount: "47.36" },
      product: { amount: "47.36" },
      additionalServicesTotal: { amount: "0.00", cents: 0 },
      additionalServices: [],
      retailReference: { amount: "56.83" },
      cubicWeightCharged: false,
    });
    expect(sedex!.priceParts!.chargedWeightGrams).toBe(weight);
    expect(pac).toMatchObject({ price: { amount: "29.60" }, deliveryDays: 6, expectedDeliveryDate: daysAfter(POSTED, 7), saturdayDelivery: false }); // 6 days but Sunday: next Tuesday
    expect(sedex12!.price!.amount).toBe("65.12");
    expect(sedex10!.price!.amount).toBe("59.20");
    expect(sedex10!.deadlineNote).toMatch(/10 horas/);
    expect(Date.parse(sedex!.fetchedAt)).not.toBeNaN();
  });

  it("quotes the default services when none are named", async () => {
    const res = await h.gql(QuotesDocument, { input: fresh() }, { token: shop });
    expect(res.data!.quotes.map((q) => q.serviceCode)).toEqual(["03220", "03298"]);
  });

  it("adds additional services and the declared value, with their prices as parts", async () => {
    const input = fresh({ services: ["03220"], additionalServices: ["ACKNOWLEDGEMENT_OF_RECEIPT"], declaredValue: "150,00" });
    const [q] = (await h.gql(QuotesDocument, { input }, { token: shop })).data!.quotes;
    // 47,36 + AR 7,25 + declared value 1,5 % × (150,00 − 25,00) = 1,88
    expect(q!.price).toEqual({ amount: "56.49", cents: 5649, currency: "BRL" });
    expect(q!.priceParts!.additionalServices).toEqual([
      { code: "001", name: "Acknowledgement of receipt (AR)", price: { amount: "7.25", cents: 725, currency: "BRL" } },
      { code: "019", name: "Declared value (SEDEX)", price: { amount: "1.88", cents: 188, currency: "BRL" } },
    ]);
    expect(q!.priceParts!.additionalServicesTotal!.amount).toBe("9.13");
  });

  it("batches two quotes of one GraphQL request into one price and one deadline request", async () => {
    const res = await h.gql(
      TwoQuotesDocument,
      { first: fresh({ services: ["03220", "03298"] }), second: fresh({ destinationCep: MANAUS, services: ["03298", "03140"] }) },
      { token: shop },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.first.map((q) => q.price!.amount)).toEqual(["47.36", "29.60"]);
    // São Paulo → Manaus is NATIONAL: PAC R$ 38,90 up to 1 kg, 7 + 2 days.
    expect(res.data!.second.map((q) => q.price!.amount)).toEqual(["38.90", "85.58"]);
    expect(res.data!.second[0]!.deliveryDays).toBe(9);
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });
  });

  it("answers a repeated quote from the cache with no upstream request, whatever the CEP spelling", async () => {
    const input = fresh({ services: ["03220", "03298"] });
    const first = await h.gql(QuotesDocument, { input }, { token: shop });
    h.sim.reset();
    const again = await h.gql(QuotesDocument, { input: { ...input, originCep: "01310100", destinationCep: "13010-111" } }, { token: shop });
    expect(again.errors).toBeUndefined();
    expect(h.sim.counts().total).toBe(0);
    expect(again.data!.quotes).toEqual(first.data!.quotes);
    expect(again.data!.quotes.every((q) => !q.stale)).toBe(true);
  });

  it("refuses one service without failing the others", async () => {
    // 04162 is not in the demo contract; 04227 (Mini Envios) takes at most 300 g at the simulator.
    const res = await h.gql(QuotesDocument, { input: fresh({ services: ["03220", "04162", "03298", "04227"] }) }, { token: shop });
    expect(res.errors).toBeUndefined();
    const [sedex, old, pac, mini] = res.data!.quotes;
    expect(sedex!.price!.amount).toBe("47.36");
    expect(pac!.price!.amount).toBe("29.60");
    expect(old).toMatchObject({
      serviceCode: "04162",
      price: null,
      priceParts: null,
      error: { code: "SERVICE_NOT_CONTRACTED", source: "PRICE", correiosCode: "ERP-010" },
    });
    expect(old!.error!.message).toMatch(/Produto não contratado/);
    expect(mini!.error).toMatchObject({ code: "WEIGHT_OVER_LIMIT", source: "PRICE", correiosCode: "ERP-015" });
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });
  });

  it("sends additional services as objects and the posting date as dd/MM/yyyy, the manual's forms the simulator checks", async () => {
    const input = fresh({ services: ["03298"], additionalServices: ["ACKNOWLEDGEMENT_OF_RECEIPT"], postingDate: daysFromToday(10) });
    const res = await h.gql(QuotesDocument, { input }, { token: shop });
    expect(res.errors).toBeUndefined();
    const [pac] = res.data!.quotes;
    expect(pac).toMatchObject({ error: null, price: { amount: "36.85" }, deliveryDays: 6 });
    expect(pac!.priceParts!.additionalServices.map((s) => s.code)).toEqual(["001"]);
  });

  // SEDEX is sent as request 1 and PAC as request 2.
  it.each<[string, unknown[]]>([
    // Each answer carries the other's product: matching by nuRequisicao alone would price SEDEX as PAC.
    ["names another product", [priceAnswer("03298", "1", "10,00"), priceAnswer("03220", "2", "20,00")]],
    ["gives one number to two answers", [priceAnswer("03220", "1", "10,00"), priceAnswer("03220", "1", "11,00"), priceAnswer("03298", "3", "12,00")]],
  ])("makes it that item's error when Correios' price answer %s, never another service's price", async (_name, body) => {
    h.sim.addFault({ endpoint: "price", kind: "status", status: 200, body, times: 1 });
    const res = await h.gql(QuotesDocument, { input: fresh({ services: ["03220", "03298"] }) }, { token: shop });
    expect(res.errors).toBeUndefined();
    const [sedex, pac] = res.data!.quotes;
    expect(sedex).toMatchObject({ serviceCode: "03220", price: null, error: { code: "BAD_ANSWER", source: "PRICE" } });
    expect(pac).toMatchObject({ serviceCode: "03298", price: null });
    expect(["BAD_ANSWER", "NO_ANSWER"]).toContain(pac!.error!.code);
  });

  it("refuses a service over its own weight limit locally, and prices the others", async () => {
    const res = await h.gql(QuotesDocument, { input: fresh({ services: ["03140", "03298"] }, { weightGrams: 12_000 }) }, { token: shop });
    expect(res.errors).toBeUndefined();
    const [sedex12, pac] = res.data!.quotes;
    expect(sedex12).toMatchObject({ price: null, error: { code: "WEIGHT_OVER_SERVICE_LIMIT", source: "INPUT" } });
    expect(sedex12!.error!.message).toMatch(/10000 g/);
    expect(pac!.price).not.toBeNull();
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });
  });

  it.each<[string, Partial<QuoteInput>, Partial<QuoteInput["package"]>, string]>([
    ["a short origin CEP", { originCep: "1234" }, {}, "input.originCep"],
    ["CEP 00000000", { destinationCep: "00000-000" }, {}, "input.destinationCep"],
    ["a CEP with letters", { destinationCep: "13O10111" }, {}, "input.destinationCep"],
    ["a zero weight", {}, { weightGrams: 0 }, "input.package.weightGrams"],
    ["a box over 30 kg", {}, { weightGrams: 30_001 }, "input.package.weightGrams"],
    ["an envelope over 1 kg", {}, { format: "ENVELOPE", weightGrams: 1_500, lengthCm: 20, widthCm: 15 }, "input.package.weightGrams"],
    ["a box too long", {}, { lengthCm: 101 }, "input.package.lengthCm"],
    ["a box too narrow", {}, { widthCm: 9 }, "input.package.widthCm"],
    ["a box without height", {}, { heightCm: null }, "input.package.heightCm"],
    ["a box over 200 cm in all", {}, { lengthCm: 100, widthCm: 60, heightCm: 50 }, "input.package"],
    ["an envelope too wide", {}, { format: "ENVELOPE", lengthCm: 30, widthCm: 61 }, "input.package.widthCm"],
    ["a roll too thick", {}, { format: "ROLL", lengthCm: 50, diameterCm: 95 }, "input.package.diameterCm"],
    ["a roll over length + 2 × diameter", {}, { format: "ROLL", lengthCm: 100, diameterCm: 60 }, "input.package"],
    ["a declared value that is not an amount", { declaredValue: "cem reais" }, {}, "input.declaredValue"],
    ["a declared value below the minimum", { declaredValue: "10.00" }, {}, "input.declaredValue"],
    ["a declared value above every maximum", { declaredValue: "20000.00" }, {}, "input.declaredValue"],
    ["a declared value above the only service's maximum", { services: ["03298"], declaredValue: "5000,00" }, {}, "input.declaredValue"],
    ["an unknown service code", { services: ["03220", "99999"] }, {}, "input.services[1]"],
    ["a malformed service code", { services: ["32"] }, {}, "input.services[0]"],
    ["an empty service list", { services: [] }, {}, "input.services"],
    ["a weight over the only service's limit", { services: ["03158"] }, { weightGrams: 12_000 }, "input.package.weightGrams"],
    ["a posting date that does not exist", { postingDate: "2026-02-30" }, {}, "input.postingDate"],
    ["a CEP with a trailing hyphen", { originCep: "01310-100-" }, {}, "input.originCep"],
    ["a CEP with the hyphen out of place", { destinationCep: "1301-0111" }, {}, "input.destinationCep"],
    ["a posting date far in the future", { postingDate: "9999-12-31" }, {}, "input.postingDate"],
    ["a posting date far in the past", { postingDate: "1900-01-01" }, {}, "input.postingDate"],
    ["a posting date just past the window ahead", { postingDate: daysFromToday(POSTING_DATE_WINDOW.futureDays + 1) }, {}, "input.postingDate"],
    ["a posting date just before the window back", { postingDate: daysFromToday(-POSTING_DATE_WINDOW.pastDays - 1) }, {}, "input.postingDate"],
  ])("refuses %s before any upstream request, naming the field", async (_name, patch, pkg, field) => {
    const res = await h.gql(QuotesDocument, { input: fresh(patch, pkg) }, { token: shop });
    expect(res.data).toBeNull();
    expect(errorOf(res)?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(fieldsOf(res)).toContain(field);
    expect(errorOf(res)?.message).toContain(field);
    expect(h.sim.counts().total).toBe(0);
  });

  // Dimensions go to Correios rounded up to whole centimetres, so the limits are checked on the rounded values.
  it.each<[string, Partial<QuoteInput["package"]>, string]>([
    ["a box whose sides sum to 200 cm only before rounding (100 + 51 + 50)", { lengthCm: 99.5, widthCm: 50.5, heightCm: 50 }, "input.package"],
    ["a box 100.2 cm long (101 cm once rounded)", { lengthCm: 100.2 }, "input.package.lengthCm"],
    ["an envelope 60.1 cm wide (61 cm once rounded)", { format: "ENVELOPE", lengthCm: 30, widthCm: 60.1, heightCm: null }, "input.package.widthCm"],
    ["a roll within length + 2 × diameter only before rounding (100 + 2 × 51)", { format: "ROLL", lengthCm: 99.5, diameterCm: 50.2 }, "input.package"],
  ])("refuses %s before any upstream request", async (_name, pkg, field) => {
    const res = await h.gql(QuotesDocument, { input: fresh({ services: ["03298"] }, pkg) }, { token: shop });
    expect(res.data).toBeNull();
    expect(errorOf(res)?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(fieldsOf(res)).toEqual([field]);
    expect(errorOf(res)?.message).toMatch(/rounded up/);
    expect(h.sim.counts().total).toBe(0);
  });

  it("quotes a box that is valid once its sides are rounded up, and sends the rounded sides", async () => {
    // 99.5 × 9.5 × 50.0 is sent as 100 × 10 × 50: the 9.5 cm width is below the 10 cm minimum only before rounding.
    // The simulator's cubic weight, ceil(100 × 10 × 50 / 6) = 8334 g (not the 7876 g of the raw sides), shows what went.
    const res = await h.gql(QuotesDocument, { input: fresh({ services: ["03298"] }, { lengthCm: 99.5, widthCm: 9.5, heightCm: 50 }) }, { token: shop });
    expect(res.errors).toBeUndefined();
    const [pac] = res.data!.quotes;
    expect(pac).toMatchObject({ serviceCode: "03298", error: null });
    expect(pac!.priceParts).toMatchObject({ chargedWeightGrams: 8334, cubicWeightCharged: true });
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });
  });

  it("quotes an envelope whose width reaches the minimum once rounded up", async () => {
    const res = await h.gql(QuotesDocument, { input: fresh({ services: ["03298"] }, { format: "ENVELOPE", lengthCm: 15.5, widthCm: 10.2, heightCm: null }) }, { token: shop });
    expect(res.errors).toBeUndefined();
    expect(res.data!.quotes[0]).toMatchObject({ serviceCode: "03298", error: null, price: { amount: "29.60" } });
  });

  it("reports every bad field at once", async () => {
    const res = await h.gql(
      QuotesDocument,
      { input: fresh({ originCep: "x", destinationCep: "", services: ["1"], declaredValue: "-5" }, { lengthCm: 500 }) },
      { token: shop },
    );
    expect(fieldsOf(res).sort()).toEqual(["input.declaredValue", "input.destinationCep", "input.originCep", "input.package.lengthCm", "input.services[0]"]);
  });

  it("names the contract services to enable when the price and deadline APIs are restricted", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-noprice", NO_PRICE) });
    h.sim.reset();
    const res = await h.gql(QuotesDocument, { input: fresh() }, { token: await h.clientToken("shop-noprice") });
    const e = errorOf(res)!;
    expect(e.extensions!.code).toBe("API_NOT_ENABLED");
    expect(e.message).toMatch(/38202 \(API PRECOS\) and 38210 \(API PRAZOS\)/);
    expect(e.extensions!.contractServices).toEqual(["38202", "38210"]);
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });
  });

  it("quotes for a card with no API enabled (such cards keep price and deadline)", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-noapi", NO_API) });
    const res = await h.gql(QuotesDocument, { input: fresh({ services: ["03298"] }) }, { token: await h.clientToken("shop-noapi") });
    expect(res.errors).toBeUndefined();
    expect(res.data!.quotes[0]!.price!.amount).toBe("29.60");
  });

  it("needs a registered credential", async () => {
    const res = await h.gql(QuotesDocument, { input: fresh() }, { token: await h.clientToken("shop-nobody") });
    expect(errorOf(res)?.extensions?.code).toBe("CREDENTIAL_MISSING");
    expect(h.sim.counts().total).toBe(0);
  });

  it("keeps one client's cached quote from another client", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-q2", DEMO) });
    const input = fresh({ services: ["03298"] });
    await h.gql(QuotesDocument, { input }, { token: shop });
    h.sim.reset();
    await h.gql(QuotesDocument, { input }, { token: await h.clientToken("shop-q2") });
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });
  });
});

describe("quotes when Correios fails", () => {
  let h: Harness;
  let shop: string;
  beforeAll(async () => {
    // Every quote is due for renewal at once (TTL 0), so the cached one can only come back as stale; the breaker
    // stays closed so each test sees Correios' own failure.
    h = await startHarness({ env: { QUOTE_TTL_SECONDS: "0", BREAKER_FAILURES: "1000", QUOTE_UPSTREAM_BUDGET_MS: "200", UPSTREAM_TIMEOUT_MS: "3000" } });
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-down") });
    shop = await h.clientToken("shop-down");
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sim.reset();
    h.sim.clearFaults();
  });

  it("serves the last known quote flagged stale when the price API fails", async () => {
    const input = fresh({ services: ["03220", "03298"] });
    const before = await h.gql(QuotesDocument, { input }, { token: shop });
    expect(before.data!.quotes.every((q) => !q.stale)).toBe(true);

    h.sim.addFault({ endpoint: "price", kind: "status", status: 503 });
    const res = await h.gql(QuotesDocument, { input }, { token: shop });
    expect(res.errors).toBeUndefined();
    expect(res.data!.quotes.map((q) => q.stale)).toEqual([true, true]);
    expect(res.data!.quotes.map((q) => q.price!.amount)).toEqual(["47.36", "29.60"]);
    expect(res.data!.quotes.map((q) => q.fetchedAt)).toEqual(before.data!.quotes.map((q) => q.fetchedAt));
    expect(h.sim.counts().price).toBeGreaterThan(0);
  });

  it("serves the last known quote flagged stale when Correios does not answer", async () => {
    const input = fresh({ services: ["03298"] });
    await h.gql(QuotesDocument, { input }, { token: shop });
    h.sim.addFault({ endpoint: "deadline", kind: "hang" });
    const res = await h.gql(QuotesDocument, { input }, { token: shop });
    expect(res.errors).toBeUndefined();
    expect(res.data!.quotes[0]).toMatchObject({ stale: true, price: { amount: "29.60" }, deliveryDays: 6 });
  });

  it("asks Correios again when the quote is past its TTL and Correios answers", async () => {
    const input = fresh({ services: ["03298"] });
    await h.gql(QuotesDocument, { input }, { token: shop });
    h.sim.reset();
    const res = await h.gql(QuotesDocument, { input }, { token: shop });
    expect(res.data!.quotes[0]!.stale).toBe(false);
    expect(h.sim.counts()).toMatchObject({ price: 1, deadline: 1 });
  });

  it("gives a typed error when there is no quote to fall back on", async () => {
    h.sim.addFault({ endpoint: "price", kind: "status", status: 503 });
    const res = await h.gql(QuotesDocument, { input: fresh() }, { token: shop });
    expect(res.data).toBeNull();
    expect(errorOf(res)?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(errorOf(res)?.extensions?.upstream).toMatchObject({ api: "price", status: 503 });
  });
});
