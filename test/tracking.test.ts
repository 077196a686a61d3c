import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { codeForScenario, type Scenario } from "../simulator/index.js";
import { RegisterCredentialDocument, ShipmentStatusesDocument, TrackShipmentDocument, TrackShipmentsDocument } from "./generated/graphql.js";
import { startHarness, trackingCallSizes, type Harness } from "./helpers/harness.js";
import { DEMO, NO_API, registerInput } from "./helpers/fixtures.js";

let h: Harness;
let shop: string;
const codes = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => buildTrackingCode("AA", 10_000 + offset + i));
const callSizes = () => trackingCallSizes(h.sim);

beforeAll(async () => {
  h = await startHarness({ env: { MAX_CODES_PER_REQUEST: "1000" } });
  await h.gql(RegisterCredentialDocument, { input: registerInput("shop-a") });
  shop = await h.clientToken("shop-a");
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.sim.clearFaults();
  h.services.tracking.clearMemory();
});

describe("shipment", () => {
  it.each<[Scenario, string]>([
    ["DELIVERED", "DELIVERED"],
    ["IN_TRANSIT", "IN_TRANSIT"],
    ["POSTED", "POSTED"],
    ["OUT_FOR_DELIVERY", "OUT_FOR_DELIVERY"],
    ["AWAITING_PICKUP", "AWAITING_PICKUP"],
    ["DELIVERY_FAILED", "DELIVERY_FAILED"],
    ["RETURNED", "RETURNED"],
    ["NOT_FOUND", "NOT_FOUND"],
  ])("maps a %s history to %s", async (scenario, status) => {
    const code = codeForScenario(scenario, 7);
    const res = await h.gql(TrackShipmentDocument, { code }, { token: shop });
    expect(res.errors).toBeUndefined();
    const s = res.data!.shipment!;
    expect(s.code).toBe(code);
    expect(s.status).toBe(status);
    expect(s.delivered).toBe(status === "DELIVERED");
    expect(s.stale).toBe(false);
    if (status === "NOT_FOUND") {
      expect(s.events).toEqual([]);
      expect(s.message).toMatch(/SRO-020/);
      return;
    }
    expect(s.lastEvent).toEqual({ ...s.lastEvent, code: s.events[0]!.code });
    const times = s.events.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const e of s.events) expect(e.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-03:00$/);
    expect(s.events[0]!.location?.city).toBeTruthy();
    expect(s.service?.prefix).toBe("AA");
    if (status === "IN_TRANSIT") expect(s.expectedDelivery).toMatch(/-03:00$/);
    if (status === "DELIVERED") expect(s.expectedDelivery).toBeNull();
  });

  it("normalizes lower case and spaces", async () => {
    const code = codeForScenario("DELIVERED", 3);
    const typed = `${code.slice(0, 2).toLowerCase()} ${code.slice(2, 7)} ${code.slice(7, 11)} ${code.slice(11).toLowerCase()}`;
    const res = await h.gql(TrackShipmentDocument, { code: typed }, { token: shop });
    expect(res.data!.shipment!.code).toBe(code);
  });

  it("refuses a bad check digit before any upstream call", async () => {
    const good = codeForScenario("DELIVERED", 4);
    const bad = `${good.slice(0, 10)}${(Number(good[10]) + 1) % 10}${good.slice(11)}`;
    const res = await h.gql(TrackShipmentDocument, { code: bad }, { token: shop });
    expect(res.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(res.errors![0]!.message).toMatch(/check digit/);
    expect(h.sim.counts().total).toBe(0);
  });
});

describe("shipments", () => {
  it("an invalid code fails only its own item", async () => {
    const a = codeForScenario("DELIVERED", 11);
    const b = codeForScenario("IN_TRANSIT", 11);
    const res = await h.gql(TrackShipmentsDocument, { codes: [a, "XX123", b] }, { token: shop });
    expect(res.data!.shipments.map((s) => s?.code ?? null)).toEqual([a, null, b]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ["shipments", 1], extensions: { code: "BAD_USER_INPUT", field: "codes[1]" } });
    expect(h.sim.counts().tracking).toBe(1);
  });

  it("batches 120 codes into ⌈120/50⌉ calls, each within the limit, then serves the repeat from cache", async () => {
    const list = codes(120);
    const res = await h.gql(ShipmentStatusesDocument, { codes: list }, { token: shop });
    expect(res.errors).toBeUndefined();
    expect(res.data!.shipments.every((s) => s && s.status)).toBe(true);
    expect(h.sim.counts().tracking).toBe(3);
    expect(Math.max(...callSizes())).toBeLessThanOrEqual(50);
    h.sim.reset();
    h.services.tracking.clearMemory(); // the repeat is served by the store, not only by process memory
    const again = await h.gql(ShipmentStatusesDocument, { codes: list }, { token: shop });
    expect(again.data!.shipments).toEqual(res.data!.shipments);
    expect(h.sim.counts().total).toBe(0);
  });

  it("removes duplicates (in any spelling) before calling Correios", async () => {
    const base = codes(30, 500);
    const list = [...base, ...base.map((c) => c.toLowerCase()), ...base.slice(0, 10)];
    const res = await h.gql(ShipmentStatusesDocument, { codes: list }, { token: shop });
    expect(res.data!.shipments).toHaveLength(70);
    expect(h.sim.counts().tracking).toBe(1);
    expect(callSizes()).toEqual([30]);
  });

  it.each([1, 50, 120, 1000])("cold %i codes → ⌈N/50⌉ calls and one token at most; warm → none", async (n) => {
    const list = codes(n, 20_000 + n);
    await h.gql(ShipmentStatusesDocument, { codes: list }, { token: shop });
    expect(h.sim.counts().tracking).toBe(Math.ceil(n / 50));
    expect(h.sim.counts().token).toBeLessThanOrEqual(1);
    h.sim.reset();
    await h.gql(ShipmentStatusesDocument, { codes: list }, { token: shop });
    expect(h.sim.counts().total).toBe(0);
  });

  it("refuses more codes than the per-request maximum", async () => {
    const res = await h.gql(ShipmentStatusesDocument, { codes: codes(1001) }, { token: shop });
    expect(res.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(res.errors![0]!.message).toMatch(/At most 1000/);
    expect(h.sim.counts().total).toBe(0);
  });

  it("requests at the same time share one upstream call per code", async () => {
    const list = codes(40, 3000);
    await Promise.all(Array.from({ length: 10 }, () => h.gql(ShipmentStatusesDocument, { codes: list }, { token: shop })));
    expect(h.sim.counts().tracking).toBe(1);
  });
});

describe("tokens and credentials during tracking", () => {
  it("50 concurrent requests that need a token make exactly one token request", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-cold", DEMO, { verify: false }) });
    const token = await h.clientToken("shop-cold");
    h.sim.reset();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => h.gql(TrackShipmentDocument, { code: buildTrackingCode("AB", 7000 + i) }, { token })),
    );
    expect(results.every((r) => !r.errors)).toBe(true);
    expect(h.sim.counts().token).toBe(1);
    // Requests arriving while the token is fetched join one batch; later ones share the short window.
    expect(h.sim.counts().tracking).toBeLessThan(50);
  });

  it("a 401 from the tracking API refreshes the token once and retries", async () => {
    h.sim.addFault({ endpoint: "tracking", kind: "status", status: 401, body: { msgs: ["GTW-008: Token inválido ou expirado."] }, times: 1 });
    const res = await h.gql(TrackShipmentDocument, { code: buildTrackingCode("AA", 8100) }, { token: shop });
    expect(res.errors).toBeUndefined();
    expect(h.sim.counts().tracking).toBe(2);
    expect(h.sim.counts().token).toBe(1);
  });

  it("a regenerated access code gives CREDENTIAL_REJECTED and marks the credential INVALID", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-regen", NO_API) });
    // A card whose lists lack tracking is still tried: Correios' 403 decides, and names what to enable.
    const noApi = await h.gql(TrackShipmentDocument, { code: buildTrackingCode("AA", 8200) }, { token: await h.clientToken("shop-regen") });
    expect(noApi.errors![0]!.extensions!.code).toBe("API_NOT_ENABLED");
    expect(h.sim.counts().tracking).toBe(1);

    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-regen2", DEMO) });
    const token = await h.clientToken("shop-regen2");
    const newCode = h.sim.regenerateAccessCode(DEMO.login);
    try {
      const res = await h.gql(TrackShipmentsDocument, { codes: codes(3, 8300) }, { token });
      expect(res.errors!.length).toBe(3);
      for (const e of res.errors!) expect(e.extensions!.code).toBe("CREDENTIAL_REJECTED");
      expect(res.errors![0]!.message).toMatch(/generated/);
      const cred = await h.gql("query{ credential(clientId:\"shop-regen2\"){ status } }");
      expect(cred.data).toEqual({ credential: { status: "INVALID" } });
      // Once INVALID, nothing more is sent to Correios until the credential is fixed.
      h.sim.reset();
      await h.gql(TrackShipmentDocument, { code: buildTrackingCode("AA", 8400) }, { token });
      expect(h.sim.counts().total).toBe(0);
      await h.gql(RegisterCredentialDocument, { input: registerInput("shop-regen2", DEMO, { accessCode: newCode }) });
      const ok = await h.gql(TrackShipmentDocument, { code: buildTrackingCode("AA", 8400) }, { token });
      expect(ok.errors).toBeUndefined();
    } finally {
      h.sim.addAccount({ ...DEMO });
      await h.gql(RegisterCredentialDocument, { input: registerInput("shop-a") });
    }
  });
});

describe("who is asking", () => {
  it("no client → UNAUTHENTICATED", async () => {
    const res = await h.gql(TrackShipmentDocument, { code: buildTrackingCode("AA", 1) }, { token: null });
    expect(res.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });

  it("x-client-id is ignored without the router secret", async () => {
    const res = await h.gql(TrackShipmentDocument, { code: buildTrackingCode("AA", 1) }, { token: null, headers: { "x-client-id": "shop-a" } });
    expect(res.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    expect(h.sim.counts().total).toBe(0);
  });

  it("a client without a credential gets CREDENTIAL_MISSING, never another client's cached data", async () => {
    const code = buildTrackingCode("AA", 9100);
    await h.gql(TrackShipmentDocument, { code }, { token: shop });
    const res = await h.gql(TrackShipmentDocument, { code }, { token: await h.clientToken("shop-other") });
    expect(res.data!.shipment).toBeNull();
    expect(res.errors![0]!.extensions!.code).toBe("CREDENTIAL_MISSING");
  });
});

describe("answers shaped as real Correios ones (official manual, V2.2)", () => {
  it("reads OEC/03 (\"Objeto em rota de entrega\") as OUT_FOR_DELIVERY, with its detail trimmed and no unit name", async () => {
    const code = codeForScenario("OUT_FOR_DELIVERY", 10); // an odd 6th serial digit: the simulator sends OEC/03
    const s = (await h.gql(TrackShipmentDocument, { code }, { token: shop })).data!.shipment!;
    expect(s.events[0]).toMatchObject({ code: "OEC", type: "03", status: "OUT_FOR_DELIVERY", description: "Objeto em rota de entrega" });
    expect(s.status).toBe("OUT_FOR_DELIVERY");
    expect(s.events[0]!.detail).toBe("Aguarde envio de link para acompanhar a entrega em tempo real");
    expect(s.events[0]!.location).toMatchObject({ unitName: null, state: expect.stringMatching(/^[A-Z]{2}$/), country: "BR" });
  });

  it("keeps a unit abroad's country out of the state, and invents no offset for its times", async () => {
    const code = codeForScenario("IN_TRANSIT", 5, "LX", "HK");
    const s = (await h.gql(TrackShipmentDocument, { code }, { token: shop })).data!.shipment!;
    expect(s.status).toBe("IN_TRANSIT");
    const posted = s.events.at(-1)!;
    expect(posted).toMatchObject({ code: "PO", location: { country: "HK", state: null, city: null } });
    expect(posted.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(s.events.at(-2)!.destination).toEqual({ city: null, state: null, country: "BR" });
    // In Brazil: Brasília time, state and country apart.
    const received = s.events.find((e) => e.code === "PAR")!;
    expect(received.time).toMatch(/-03:00$/);
    expect(received.location).toMatchObject({ state: expect.stringMatching(/^[A-Z]{2}$/), country: "BR" });
  });

  it("logs an event pair the status table has no rule for once, at warn, with its code", async () => {
    const [a, b] = [buildTrackingCode("AA", 9901), buildTrackingCode("AA", 9911)];
    const answer = (code: string) => ({
      versao: "1.8.7",
      quantidade: 1,
      resultado: "Todos os Eventos",
      objetos: [{ codObjeto: code, eventos: [{ codigo: "ZQX", tipo: "42", dtHrCriado: "2026-11-30T10:00:00", descricao: "Evento novo", unidade: { tipo: "Agência", endereco: { cidade: "SAO PAULO", uf: "SP" } } }] }],
    });
    const warned = () =>
      h.logs.map((l) => JSON.parse(l) as { level: number; event?: string; msg: string }).filter((l) => l.level === 40 && l.event === "ZQX/42");
    h.sim.addFault({ endpoint: "tracking", kind: "status", status: 200, body: answer(a), times: 1 });
    expect((await h.gql(TrackShipmentDocument, { code: a }, { token: shop })).data!.shipment!.status).toBe("UNKNOWN");
    h.sim.addFault({ endpoint: "tracking", kind: "status", status: 200, body: answer(b), times: 1 });
    expect((await h.gql(TrackShipmentDocument, { code: b }, { token: shop })).data!.shipment!.status).toBe("UNKNOWN");
    expect(warned()).toHaveLength(1);
    expect(warned()[0]!.msg).toMatch(/status table/);
  });

  it("asks Correios even when the card's lists lack tracking, and names API 87 when it refuses", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("shop-lists", NO_API) });
    const res = await h.gql(TrackShipmentDocument, { code: buildTrackingCode("AA", 9921) }, { token: await h.clientToken("shop-lists") });
    expect(h.sim.counts().tracking).toBe(1);
    expect(res.errors![0]!.extensions!.code).toBe("API_NOT_ENABLED");
    expect(res.errors![0]!.message).toMatch(/SRO Rastro\), API 87, is not enabled/);
    expect(res.errors![0]!.message).toMatch(/verifyCredential/);
  });
});

describe("single-tenant default client", () => {
  let d: Harness;
  beforeAll(async () => {
    d = await startHarness({ env: { DEFAULT_CLIENT_ID: "only-shop", TRACKING_TTL_ACTIVE_SECONDS: "0", TRACKING_TTL_FINAL_SECONDS: "0", TRACKING_TTL_NOT_FOUND_SECONDS: "0", BREAKER_FAILURES: "100" } });
    await d.gql(RegisterCredentialDocument, { input: registerInput("only-shop") });
  });
  afterAll(() => d.close());

  it("tracks without any token", async () => {
    const res = await d.gql(TrackShipmentDocument, { code: buildTrackingCode("AA", 1) }, { token: null });
    expect(res.data!.shipment!.status).toBe("DELIVERED");
  });

  it("serves the last known answer flagged stale when Correios fails, and an error where there is none", async () => {
    const known = buildTrackingCode("AA", 2223);
    const unknown = buildTrackingCode("AA", 2233);
    const first = await d.gql(ShipmentStatusesDocument, { codes: [known] }, { token: null });
    expect(first.data!.shipments[0]!.stale).toBe(false);
    d.sim.addFault({ endpoint: "tracking", kind: "status", status: 503 });
    const res = await d.gql(ShipmentStatusesDocument, { codes: [known, unknown] }, { token: null });
    d.sim.clearFaults();
    expect(res.data!.shipments[0]).toMatchObject({ code: known, status: "IN_TRANSIT", stale: true });
    expect(res.data!.shipments[1]).toBeNull();
    expect(res.errors![0]).toMatchObject({ path: ["shipments", 1], extensions: { code: "UPSTREAM_UNAVAILABLE" } });
  });
});
