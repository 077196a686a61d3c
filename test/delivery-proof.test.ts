import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { codeForScenario, deliveredAt } from "../simulator/index.js";
import { DeliveryProofEntitiesDocument, RegisterCredentialDocument, ShipmentDeliveryProofDocument, ShipmentsDeliveryProofsDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let h: Harness;
let shop: string;
const proofCallSizes = () =>
  h.sim
    .requests()
    .filter((r) => r.endpoint === "proof")
    .map((r) => [r.query.objetos ?? []].flat().join(",").split(",").length)
    .sort((a, b) => b - a);

beforeAll(async () => {
  h = await startHarness();
  await h.gql(RegisterCredentialDocument, { input: registerInput("shop-proof") });
  shop = await h.clientToken("shop-proof");
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.sim.clearFaults();
});

describe("Shipment.deliveryProof", () => {
  it("gives the image of a delivered parcel, with its type and delivery time", async () => {
    const code = codeForScenario("DELIVERED", 101);
    const res = await h.gql(ShipmentDeliveryProofDocument, { code }, { token: shop });
    expect(res.errors).toBeUndefined();
    const s = res.data!.shipment!;
    expect(s.status).toBe("DELIVERED");
    const proof = s.deliveryProof!;
    expect(proof).toMatchObject({
      available: true,
      reason: null,
      mimeType: "image/png",
      deliveredAt: `${deliveredAt(code)}-03:00`,
      receiverName: null,
      receiverDocument: null,
    });
    expect(Buffer.from(proof.imageBase64!, "base64").subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(proof.dataUrl).toBe(`data:image/png;base64,${proof.imageBase64}`);
    expect(Date.parse(proof.fetchedAt!)).not.toBeNaN();
    expect(h.sim.counts().proof).toBe(1);
  });

  it("asks nothing upstream for a parcel that is not delivered", async () => {
    const res = await h.gql(ShipmentDeliveryProofDocument, { code: codeForScenario("IN_TRANSIT", 102) }, { token: shop });
    expect(res.errors).toBeUndefined();
    expect(res.data!.shipment!.deliveryProof).toMatchObject({ available: false, mimeType: null, imageBase64: null, dataUrl: null, fetchedAt: null });
    expect(res.data!.shipment!.deliveryProof!.reason).toMatch(/not delivered yet/);
    expect(h.sim.counts().proof).toBe(0);
    expect(h.sim.counts().tracking).toBe(1);
  });

  it("asks for the proofs of many delivered parcels in calls of at most 10 codes, and only for delivered ones", async () => {
    const delivered = Array.from({ length: 12 }, (_, i) => codeForScenario("DELIVERED", 200 + i));
    const others = [codeForScenario("IN_TRANSIT", 200), codeForScenario("RETURNED", 200), codeForScenario("NOT_FOUND", 200)];
    const res = await h.gql(ShipmentsDeliveryProofsDocument, { codes: [...delivered, ...others] }, { token: shop });
    expect(res.errors).toBeUndefined();
    const shipments = res.data!.shipments;
    expect(shipments.slice(0, 12).every((s) => s!.deliveryProof!.available)).toBe(true);
    expect(shipments.slice(12).every((s) => !s!.deliveryProof!.available)).toBe(true);
    expect(proofCallSizes()).toEqual([10, 2]);
    const asked = h.sim
      .requests()
      .filter((r) => r.endpoint === "proof")
      .flatMap((r) => [r.query.objetos ?? []].flat().join(",").split(","));
    expect(asked.sort()).toEqual([...delivered].sort());
  });

  it("keeps a proof: asking again makes no proof request", async () => {
    const code = codeForScenario("DELIVERED", 301);
    const first = await h.gql(ShipmentDeliveryProofDocument, { code }, { token: shop });
    h.sim.reset();
    const again = await h.gql(ShipmentDeliveryProofDocument, { code }, { token: shop });
    expect(again.data!.shipment!.deliveryProof).toEqual(first.data!.shipment!.deliveryProof);
    expect(h.sim.counts().proof).toBe(0);
  });

  it("resolves through _entities, as the router asks", async () => {
    const code = codeForScenario("DELIVERED", 401);
    const res = await h.gql(DeliveryProofEntitiesDocument, { representations: [{ __typename: "Shipment", code }] }, { token: shop });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]).toEqual({ code, deliveryProof: { available: true, mimeType: "image/png" } });
  });

  it("fails only the proof field when the proof API is down; the shipment still resolves", async () => {
    h.sim.addFault({ endpoint: "proof", kind: "status", status: 503 });
    const code = codeForScenario("DELIVERED", 501);
    const res = await h.gql(ShipmentDeliveryProofDocument, { code }, { token: shop });
    expect(res.data!.shipment).toMatchObject({ code, status: "DELIVERED", deliveryProof: null });
    expect(res.errors![0]!.path).toEqual(["shipment", "deliveryProof"]);
    expect(res.errors![0]!.extensions!.code).toBe("UPSTREAM_UNAVAILABLE");
  });
});
