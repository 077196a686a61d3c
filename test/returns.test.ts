// Returns (logística reversa) and post offices over HTTP: the subgraph, and the simulator's reverse pre-postings and
// agency list behind it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AgenciesDocument,
  CancelReturnDocument,
  CreatePostingDocument,
  CreateReturnDocument,
  RegisterCredentialDocument,
  ReturnAuthorizationDocument,
  ReturnsDocument,
  ShipmentReturnDocument,
  type CreateReturnInput,
} from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";
import { newKey, postingInput } from "./helpers/postings.js";

let h: Harness;
let shop: string;
let other: string;
let outboundCode: string;

const creates = () => h.sim.requests().filter((r) => r.endpoint === "prepost" && r.method === "POST").length;

function returnInput(extra: Partial<CreateReturnInput> = {}): CreateReturnInput {
  const p = postingInput();
  return {
    idempotencyKey: newKey("ret"),
    service: "03301",
    customer: p.recipient,
    package: p.package,
    declaredContent: [{ description: "Camiseta de algodão (troca)", quantity: 1, unitValue: "49.90" }],
    mode: "DROP_OFF",
    originalTrackingCode: outboundCode,
    ...extra,
  };
}

async function createReturn(input: CreateReturnInput, token = shop) {
  const res = await h.gql(CreateReturnDocument, { input }, { token });
  expect(res.errors).toBeUndefined();
  return res.data!.createReturn;
}

beforeAll(async () => {
  h = await startHarness();
  for (const id of ["shop-ret", "shop-ret-other"]) await h.gql(RegisterCredentialDocument, { input: registerInput(id) });
  shop = await h.clientToken("shop-ret");
  other = await h.clientToken("shop-ret-other");
  const out = await h.gql(CreatePostingDocument, { input: postingInput() }, { token: shop });
  outboundCode = out.data!.createPosting.posting!.trackingCode!;
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.sim.clearFaults();
});

describe("createReturn", () => {
  it("a drop-off return: authorization code, validity, the shop from the last posting, trackable and linked to the outbound parcel", async () => {
    const r = await createReturn(returnInput({ validForDays: 10 }));
    expect(r.userErrors).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toContain("RECIPIENT_FROM_LAST_POSTING");
    const a = r.returnAuthorization!;
    expect(a.mode).toBe("DROP_OFF");
    expect(a.authorizationCode).toMatch(/^\d{10}$/);
    expect(a.collectionNumber).toBeNull();
    expect(a.service).toEqual({ code: "03301", name: "PAC REVERSO" });
    expect(a.customer.name).toBe("Maria da Silva");
    expect(a.recipient.address.cep).toBe("01310100");
    expect(a.originalTrackingCode).toBe(outboundCode);
    const expected = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(a.validUntil).toBe(expected);
    const read = await h.gql(ReturnAuthorizationDocument, { id: a.id }, { token: shop });
    expect(read.errors).toBeUndefined();
    expect(read.data!.returnAuthorization!.shipment).toMatchObject({ code: a.trackingCode });
    const link = await h.gql(ShipmentReturnDocument, { code: outboundCode }, { token: shop });
    expect(link.errors).toBeUndefined();
    expect(link.data!.shipment!.returnAuthorization).toMatchObject({ id: a.id, authorizationCode: a.authorizationCode });
  });

  it("a pickup return carries Correios' collection number", async () => {
    const r = await createReturn(returnInput({ mode: "PICKUP" }));
    expect(r.userErrors).toEqual([]);
    expect(r.returnAuthorization!.collectionNumber).toMatch(/^\d+$/);
  });

  it("ten concurrent identical requests issue one authorization", async () => {
    const input = returnInput();
    h.sim.closeGate("prepost");
    const all = Array.from({ length: 10 }, () => createReturn(input));
    await h.sim.whenHeld("prepost", 1);
    h.sim.openGate("prepost");
    const results = await Promise.all(all);
    expect(new Set(results.map((r) => r.returnAuthorization?.id)).size).toBe(1);
    expect(creates()).toBe(1);
  });

  const cases: Array<[string, Partial<CreateReturnInput>, string, string]> = [
    ["not a reverse service", { service: "03298" }, "input.service", "UNKNOWN_SERVICE"],
    ["validity", { validForDays: 400 }, "input.validForDays", "INVALID_VALIDITY"],
    ["original code check digit", { originalTrackingCode: "AA123456784BR" }, "input.originalTrackingCode", "INVALID_TRACKING_CODE"],
    ["customer document", { customer: { ...postingInput().recipient, document: "111.111.111-11" } }, "input.customer.document", "INVALID_DOCUMENT"],
    ["content", { declaredContent: [{ description: "produto", quantity: 1, unitValue: "10" }] }, "input.declaredContent[0].description", "CONTENT_GENERIC"],
  ];
  it.each(cases)("refuses %s before any upstream call", async (_n, change, field, code) => {
    const r = await createReturn(returnInput(change));
    expect(r.returnAuthorization).toBeNull();
    expect(r.userErrors).toContainEqual(expect.objectContaining({ field, code }));
    expect(h.sim.counts().prepost).toBe(0);
  });

  it("a client sees only its own returns; cancel goes through Correios", async () => {
    const a = (await createReturn(returnInput())).returnAuthorization!;
    expect((await h.gql(ReturnAuthorizationDocument, { id: a.id }, { token: other })).data!.returnAuthorization).toBeNull();
    const list = (await h.gql(ReturnsDocument, { first: 100 }, { token: other })).data!.returns;
    expect(list.edges.map((e) => e.node.id)).not.toContain(a.id);
    const cancelled = await h.gql(CancelReturnDocument, { id: a.id }, { token: shop });
    expect(cancelled.data!.cancelReturn.returnAuthorization!.status).toBe("CANCELLED");
  });

  it("a client with no posting must name the shop", async () => {
    const r = await createReturn(returnInput(), other);
    expect(r.userErrors).toContainEqual(expect.objectContaining({ field: "input.recipient", code: "REQUIRED" }));
    expect(h.sim.counts().prepost).toBe(0);
  });
});

describe("expiry", () => {
  it("an authorization Correios expired shows as EXPIRED once read again", async () => {
    await h.restart({ POSTING_REFRESH_SECONDS: "0" });
    const a = (await createReturn(returnInput())).returnAuthorization!;
    expect(a.status).toBe("PRE_POSTED");
    h.sim.expirePrePosting(a.id);
    const read = await h.gql(ReturnAuthorizationDocument, { id: a.id }, { token: shop });
    expect(read.errors).toBeUndefined();
    expect(read.data!.returnAuthorization!.status).toBe("EXPIRED");
  });
});

describe("agencies(near)", () => {
  it("lists the post offices of the CEP's city, its district first, with hours and cut-off, cached for a day", async () => {
    const res = await h.gql(AgenciesDocument, { near: { cep: "04538-133" }, first: 3 }, { token: shop });
    expect(res.errors).toBeUndefined();
    const list = res.data!.agencies;
    expect(list).toHaveLength(3);
    expect(list[0]).toMatchObject({ name: "AGF ITAIM BIBI", address: { district: "Itaim Bibi", city: "São Paulo", state: "SP" }, weekdayPostingCutoff: "17:00" });
    expect(list[0]!.latitude).toBeCloseTo(-23.5868);
    expect(list.every((a) => a.address.city === "São Paulo")).toBe(true);
    await h.gql(AgenciesDocument, { near: { city: "Sao Paulo", state: "sp" } }, { token: shop });
    expect(h.sim.counts().agencies).toBe(1);
  });

  it("refuses a request without a place, before any upstream call", async () => {
    const res = await h.gql(AgenciesDocument, { near: { city: "Curitiba" } }, { token: shop });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(h.sim.counts().agencies).toBe(0);
  });
});
