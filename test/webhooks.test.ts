// Webhook endpoints and deliveries over real HTTP: the subgraph (harness), the simulator, and a receiver this test
// starts. Signatures are checked with the standardwebhooks library, as a receiver would.
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ShipmentChange } from "../src/services/notifications/change.js";
import { codeForScenario } from "../simulator/index.js";
import {
  CreateWebhookEndpointDocument,
  RegisterCredentialDocument,
  ShipmentWatchDocument,
  WatchShipmentsDocument,
  EnableWebhookEndpointDocument,
  RedeliverWebhookDocument,
  RemoveWebhookEndpointDocument,
  RotateWebhookSecretDocument,
  SendTestWebhookDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
  type WebhookEventType,
} from "./generated/graphql.js";
import { registerInput } from "./helpers/fixtures.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { startReceiver, type Receiver } from "./helpers/receiver.js";

const BASE_ENV = {
  WEBHOOK_ALLOW_PRIVATE_URLS: "true",
  WEBHOOK_RETRY_SCHEDULE: "20ms,20ms,20ms",
  WEBHOOK_TIMEOUT_MS: "500",
  WEBHOOK_SECRET_GRACE_SECONDS: "3600",
  WEBHOOK_DISABLE_AFTER_HOURS: "24",
};

let h: Harness;
let rx: Receiver;
let changeSeq = 0;
/** Each test has its own client, so endpoints made by earlier tests get none of its changes. */
let client = "";
let clientSeq = 0;

beforeAll(async () => {
  h = await startHarness({ env: BASE_ENV });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  client = `shop-${++clientSeq}`;
});
afterEach(async () => {
  await rx?.close();
});

async function create(url: string, events: WebhookEventType[] = ["SHIPMENT_UPDATED"], clientId = client, token?: string) {
  const r = await h.gql(CreateWebhookEndpointDocument, { input: { clientId, url, events, description: "test" } }, token ? { token } : {});
  expect(r.errors).toBeUndefined();
  return r.data!.createWebhookEndpoint;
}

async function endpointOn(receiver: Receiver, events: WebhookEventType[] = ["SHIPMENT_UPDATED"], clientId = client) {
  const c = await create(receiver.url, events, clientId);
  expect(c.userErrors).toEqual([]);
  return { id: c.endpoint!.id, secret: c.secret! };
}

function change(over: Partial<ShipmentChange> = {}): ShipmentChange {
  changeSeq += 1;
  return {
    id: `chg${changeSeq}|AA000000005BR`,
    clientId: client,
    code: "AA000000005BR",
    types: ["SHIPMENT_UPDATED", "SHIPMENT_STATUS_CHANGED", "SHIPMENT_DELIVERED"],
    status: "DELIVERED",
    previousStatus: "OUT_FOR_DELIVERY",
    event: { code: "BDE", type: "01", description: "Objeto entregue ao destinatário", at: "2026-03-02T14:05:00-03:00" },
    metadata: { orderId: "1001" },
    detectedAt: new Date().toISOString(),
    ...over,
  };
}

const verify = (secret: string, req: { body: string; headers: Record<string, string> }) => new Webhook(secret).verify(req.body, req.headers);

async function deliveries(endpointId: string, status?: "PENDING" | "DELIVERED" | "FAILED") {
  const r = await h.gql(WebhookDeliveriesDocument, { endpointId, status, first: 50 });
  expect(r.errors).toBeUndefined();
  return r.data!.webhookDeliveries.edges.map((e) => e.node);
}

async function deliveryOf(endpointId: string, id: string) {
  return (await deliveries(endpointId)).find((d) => d.id === id)!;
}

async function endpointsOf(clientId: string) {
  const r = await h.gql(WebhookEndpointsDocument, { clientId });
  return r.data!.webhookEndpoints;
}

describe("webhook endpoints", () => {
  it("creates an endpoint and shows its Standard Webhooks secret once, never again, nowhere else", async () => {
    rx = await startReceiver();
    const c = await create(rx.url, ["SHIPMENT_DELIVERED", "SHIPMENT_UPDATED"]);
    expect(c.userErrors).toEqual([]);
    expect(c.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const key = Buffer.from(c.secret!.slice("whsec_".length), "base64");
    expect(key.length).toBeGreaterThanOrEqual(24);
    expect(key.length).toBeLessThanOrEqual(32);
    expect(c.endpoint).toMatchObject({ clientId: client, url: rx.url, status: "ACTIVE", events: ["SHIPMENT_DELIVERED", "SHIPMENT_UPDATED"], description: "test" });

    const listed = await h.gql(WebhookEndpointsDocument, { clientId: client });
    expect(listed.data!.webhookEndpoints.map((e) => e.id)).toContain(c.endpoint!.id);
    expect(JSON.stringify(listed)).not.toContain(c.secret!.slice(6));
    // Not in the logs, and not in clear in the store.
    expect(h.logs.join("\n")).not.toContain(c.secret!.slice(6));
    const raw: string[] = [];
    for await (const [, v] of h.services.store.ns("webhooks").iterator!(h.services.store.ns("webhooks").namespace)) raw.push(JSON.stringify(v));
    expect(raw.join("\n")).toContain(c.endpoint!.id);
    expect(raw.join("\n")).not.toContain(c.secret!.slice(6));
  });

  it("lets a client manage only its own endpoints; an operator acts for any", async () => {
    rx = await startReceiver();
    const mine = await h.clientToken("shop-a");
    const other = await h.clientToken("shop-b");
    const a = await h.gql(CreateWebhookEndpointDocument, { input: { url: rx.url, events: ["SHIPMENT_UPDATED"] } }, { token: mine });
    expect(a.data!.createWebhookEndpoint.endpoint!.clientId).toBe("shop-a");
    const id = a.data!.createWebhookEndpoint.endpoint!.id;

    const forOther = await h.gql(CreateWebhookEndpointDocument, { input: { clientId: "shop-a", url: rx.url, events: ["SHIPMENT_UPDATED"] } }, { token: other });
    expect(forOther.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const listOther = await h.gql(WebhookEndpointsDocument, { clientId: "shop-a" }, { token: other });
    expect(listOther.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.gql(WebhookEndpointsDocument, {}, { token: other })).data!.webhookEndpoints).toEqual([]);
    const rotateOther = await h.gql(RotateWebhookSecretDocument, { input: { endpointId: id } }, { token: other });
    expect(rotateOther.data!.rotateWebhookSecret).toMatchObject({ secret: null, userErrors: [{ code: "NOT_FOUND", field: "endpointId" }] });
    const removeOther = await h.gql(RemoveWebhookEndpointDocument, { input: { endpointId: id } }, { token: other });
    expect(removeOther.data!.removeWebhookEndpoint.removed).toBe(false);
    const testOther = await h.gql(SendTestWebhookDocument, { endpointId: id }, { token: other });
    expect(testOther.data!.sendTestWebhook.userErrors[0]?.code).toBe("NOT_FOUND");
    expect((await h.gql(WebhookDeliveriesDocument, { endpointId: id }, { token: other })).data!.webhookDeliveries.totalCount).toBe(0);

    const noClient = await h.gql(CreateWebhookEndpointDocument, { input: { url: rx.url, events: ["SHIPMENT_UPDATED"] } });
    expect(noClient.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const rotated = await h.gql(RotateWebhookSecretDocument, { input: { endpointId: id } });
    expect(rotated.data!.rotateWebhookSecret.secret).toMatch(/^whsec_/);
    const removed = await h.gql(RemoveWebhookEndpointDocument, { input: { endpointId: id } }, { token: mine });
    expect(removed.data!.removeWebhookEndpoint.removed).toBe(true);
    expect((await h.gql(WebhookEndpointsDocument, {}, { token: mine })).data!.webhookEndpoints).toEqual([]);
  });

  it("refuses bad input with userErrors naming the field", async () => {
    const bad = await create("ftp://example.com/x", []);
    expect(bad.endpoint).toBeNull();
    expect(bad.secret).toBeNull();
    expect(bad.userErrors.map((e) => e.field).sort()).toEqual(["input.events", "input.url"]);
  });
});

describe("deliveries", () => {
  it("a change becomes exactly one signed delivery per subscribed endpoint, typed with the most specific event it asked for", async () => {
    rx = await startReceiver();
    const specific = await endpointOn(rx, ["SHIPMENT_UPDATED", "SHIPMENT_DELIVERED"]);
    const general = await endpointOn(rx, ["SHIPMENT_UPDATED"]);
    const elsewhere = await endpointOn(rx, ["SHIPMENT_RETURNED"]);
    const c = change();
    await h.services.webhooks.dispatcher.publish(c);
    // Published again (a watcher restarted between publishing and saving its baseline): still one delivery each.
    await h.services.webhooks.dispatcher.publish(c);
    const got = await rx.waitForRequests(2);
    const byType = new Map(got.map((r) => [JSON.parse(r.body).type as string, r]));
    expect([...byType.keys()].sort()).toEqual(["shipment.delivered", "shipment.updated"]);

    const delivered = byType.get("shipment.delivered")!;
    expect(verify(specific.secret, delivered)).toEqual({
      type: "shipment.delivered",
      timestamp: c.detectedAt,
      data: { code: c.code, status: "DELIVERED", previousStatus: "OUT_FOR_DELIVERY", event: c.event, metadata: { orderId: "1001" } },
    });
    expect(() => verify(general.secret, delivered)).toThrow();
    expect(verify(general.secret, byType.get("shipment.updated")!)).toMatchObject({ type: "shipment.updated" });

    await vi.waitFor(async () => expect((await deliveries(specific.id))[0]?.status).toBe("DELIVERED"));
    await vi.waitFor(async () => expect((await deliveries(general.id))[0]?.status).toBe("DELIVERED"));
    expect(await deliveries(specific.id)).toHaveLength(1);
    expect(await deliveries(elsewhere.id)).toHaveLength(0);
    expect(rx.requests).toHaveLength(2);
    const d = (await deliveries(specific.id))[0]!;
    expect(d).toMatchObject({ id: `${c.id}.${specific.id}`, code: c.code, type: "shipment.delivered", messageId: delivered.headers["webhook-id"] });
  });

  it("sendTestWebhook goes the same way: queued, signed, delivered", async () => {
    rx = await startReceiver();
    const ep = await endpointOn(rx);
    const sent = await h.gql(SendTestWebhookDocument, { endpointId: ep.id });
    expect(sent.data!.sendTestWebhook.delivery).toMatchObject({ type: "webhook.test", status: "PENDING" });
    const [req] = await rx.waitForRequests(1);
    expect(verify(ep.secret, req!)).toMatchObject({ type: "webhook.test", data: { endpointId: ep.id } });
    expect(req!.headers["webhook-id"]).toBe(sent.data!.sendTestWebhook.delivery!.messageId);
  });

  it("retries after a 500 and delivers once, with the same webhook-id, and records both attempts", async () => {
    rx = await startReceiver();
    rx.reply(500, 200);
    const ep = await endpointOn(rx);
    const c = change();
    await h.services.webhooks.dispatcher.publish(c);
    const [first, second] = await rx.waitForRequests(2);
    expect(first!.answered).toBe(500);
    expect(second!.answered).toBe(200);
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(verify(ep.secret, second!)).toMatchObject({ type: "shipment.updated" });
    await vi.waitFor(async () => expect((await deliveryOf(ep.id, `${c.id}.${ep.id}`)).status).toBe("DELIVERED"));
    const d = await deliveryOf(ep.id, `${c.id}.${ep.id}`);
    expect(d.attempts.map((a) => [a.statusCode, a.success])).toEqual([
      [500, false],
      [200, true],
    ]);
    expect(d.attempts[0]!.error).toContain("500");
    expect(rx.requests).toHaveLength(2);
    const endpoint = (await endpointsOf(client)).find((e) => e.id === ep.id)!;
    expect(endpoint.failingSince).toBeNull();
  });

  it("gives up after the retry schedule (FAILED) while the receiver keeps failing", async () => {
    rx = await startReceiver();
    rx.fallback(503);
    const ep = await endpointOn(rx);
    const c = change();
    await h.services.webhooks.dispatcher.publish(c);
    // One attempt, then one per wait of WEBHOOK_RETRY_SCHEDULE (3).
    await vi.waitFor(async () => expect((await deliveryOf(ep.id, `${c.id}.${ep.id}`)).status).toBe("FAILED"));
    const d = await deliveryOf(ep.id, `${c.id}.${ep.id}`);
    expect(d.attempts).toHaveLength(4);
    expect(d.reason).toContain("4 attempts");
    expect(rx.requests).toHaveLength(4);
    expect((await endpointsOf(client)).find((e) => e.id === ep.id)).toMatchObject({ status: "ACTIVE", failingSince: expect.any(String) });
  });

  it("410 disables the endpoint (GONE); later deliveries end FAILED unsent; enabling brings it back", async () => {
    rx = await startReceiver();
    rx.reply(410);
    const ep = await endpointOn(rx);
    const c1 = change();
    await h.services.webhooks.dispatcher.publish(c1);
    await vi.waitFor(async () => expect((await deliveryOf(ep.id, `${c1.id}.${ep.id}`)).status).toBe("FAILED"));
    expect((await endpointsOf(client)).find((e) => e.id === ep.id)).toMatchObject({ status: "DISABLED", disabledReason: "GONE" });
    // A disabled endpoint gets no new deliveries.
    await h.services.webhooks.dispatcher.publish(change());
    expect(await deliveries(ep.id)).toHaveLength(1);
    const test = await h.gql(SendTestWebhookDocument, { endpointId: ep.id });
    expect(test.data!.sendTestWebhook.userErrors[0]?.code).toBe("ENDPOINT_DISABLED");
    expect(rx.requests).toHaveLength(1);

    const enabled = await h.gql(EnableWebhookEndpointDocument, { input: { endpointId: ep.id } });
    expect(enabled.data!.enableWebhookEndpoint.endpoint).toMatchObject({ status: "ACTIVE", disabledReason: null });
    const again = await h.gql(RedeliverWebhookDocument, { deliveryId: `${c1.id}.${ep.id}` });
    expect(again.data!.redeliverWebhook.delivery).toMatchObject({ status: "DELIVERED" });
    expect(rx.requests.map((r) => r.headers["webhook-id"])).toEqual([rx.requests[0]!.headers["webhook-id"], rx.requests[0]!.headers["webhook-id"]]);
  });

  it("a receiver that hangs costs one bounded attempt (WEBHOOK_TIMEOUT_MS), recorded as a timeout", async () => {
    rx = await startReceiver();
    rx.reply("hang");
    const ep = await endpointOn(rx);
    const c = change();
    await h.services.webhooks.dispatcher.publish(c);
    await vi.waitFor(async () => expect((await deliveryOf(ep.id, `${c.id}.${ep.id}`)).status).toBe("DELIVERED"));
    const d = await deliveryOf(ep.id, `${c.id}.${ep.id}`);
    expect(d.attempts[0]).toMatchObject({ statusCode: null, success: false, error: "no answer within 500 ms" });
    expect(d.attempts[0]!.durationMs).toBeLessThan(5000);
    expect(rx.requests[0]!.aborted).toBe(true);
  });

  it("a huge answer is read up to a cap and dropped; a redirect is not followed", async () => {
    rx = await startReceiver();
    const other = await startReceiver();
    try {
      rx.reply({ status: 200, bodyBytes: 50 * 1024 * 1024 });
      const ep = await endpointOn(rx);
      const c = change();
      await h.services.webhooks.dispatcher.publish(c);
      await vi.waitFor(async () => expect((await deliveryOf(ep.id, `${c.id}.${ep.id}`)).status).toBe("DELIVERED"));
      await vi.waitFor(() => expect(rx.requests[0]!.aborted).toBe(true));
      expect(rx.requests[0]!.answerCompleted).toBe(false);

      rx.reply({ status: 302, headers: { location: other.url } }, 200);
      const c2 = change();
      await h.services.webhooks.dispatcher.publish(c2);
      await vi.waitFor(async () => expect((await deliveryOf(ep.id, `${c2.id}.${ep.id}`)).status).toBe("DELIVERED"));
      const d = await deliveryOf(ep.id, `${c2.id}.${ep.id}`);
      expect(d.attempts[0]).toMatchObject({ statusCode: 302, success: false });
      expect(d.attempts[0]!.error).toContain("redirect");
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it("lists attempts without secrets or signatures, filters by status, pages, and redelivers with the same webhook-id", async () => {
    rx = await startReceiver();
    const ep = await endpointOn(rx);
    const c1 = change();
    const c2 = change();
    await h.services.webhooks.dispatcher.publish(c1);
    await h.services.webhooks.dispatcher.publish(c2);
    await rx.waitForRequests(2);
    await vi.waitFor(async () => expect(await deliveries(ep.id, "DELIVERED")).toHaveLength(2));
    expect(await deliveries(ep.id, "PENDING")).toHaveLength(0);

    const page1 = await h.gql(WebhookDeliveriesDocument, { endpointId: ep.id, first: 1 });
    expect(page1.data!.webhookDeliveries).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const page2 = await h.gql(WebhookDeliveriesDocument, { endpointId: ep.id, first: 1, after: page1.data!.webhookDeliveries.pageInfo.endCursor });
    expect(page2.data!.webhookDeliveries.pageInfo.hasNextPage).toBe(false);
    const ids = [page1, page2].map((p) => p.data!.webhookDeliveries.edges[0]!.node.id);
    expect(new Set(ids).size).toBe(2);

    const redelivered = await h.gql(RedeliverWebhookDocument, { deliveryId: `${c1.id}.${ep.id}` });
    expect(redelivered.data!.redeliverWebhook.userErrors).toEqual([]);
    expect(redelivered.data!.redeliverWebhook.delivery!.attempts.map((a) => a.trigger)).toEqual(["SCHEDULED", "REDELIVERY"]);
    expect(rx.requests).toHaveLength(3);
    const first = rx.requests.find((r) => JSON.parse(r.body).data.code === c1.code && r !== rx.requests[2]);
    expect(rx.requests[2]!.headers["webhook-id"]).toBe(`${redelivered.data!.redeliverWebhook.delivery!.messageId}`);
    expect(rx.requests.filter((r) => r.headers["webhook-id"] === rx.requests[2]!.headers["webhook-id"])).toHaveLength(2);
    expect(first).toBeDefined();
    expect(verify(ep.secret, rx.requests[2]!)).toMatchObject({ type: "shipment.updated" });

    const listing = JSON.stringify(await h.gql(WebhookDeliveriesDocument, { endpointId: ep.id, first: 10 }));
    expect(listing).not.toContain(ep.secret.slice(6));
    for (const r of rx.requests) for (const sig of r.headers["webhook-signature"]!.split(" ")) expect(listing).not.toContain(sig.slice(3));
    expect(h.logs.join("\n")).not.toContain(ep.secret.slice(6));

    const unknown = await h.gql(RedeliverWebhookDocument, { deliveryId: "nope" });
    expect(unknown.data!.redeliverWebhook.userErrors[0]).toMatchObject({ code: "NOT_FOUND", field: "deliveryId" });
    const otherClient = await h.gql(RedeliverWebhookDocument, { deliveryId: `${c1.id}.${ep.id}` }, { token: await h.clientToken("shop-b") });
    expect(otherClient.data!.redeliverWebhook.userErrors[0]?.code).toBe("NOT_FOUND");
  });
});

describe("secret rotation", () => {
  it("signs with both secrets during the grace period, and only with the new one after it", async () => {
    rx = await startReceiver();
    const ep = await endpointOn(rx);
    const r1 = await h.gql(RotateWebhookSecretDocument, { input: { clientId: client, endpointId: ep.id } });
    const second = r1.data!.rotateWebhookSecret.secret!;
    expect(second).not.toBe(ep.secret);
    expect(r1.data!.rotateWebhookSecret.endpoint!.previousSecretExpiresAt).not.toBeNull();
    await h.gql(SendTestWebhookDocument, { endpointId: ep.id });
    const [during] = await rx.waitForRequests(1);
    expect(during!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(verify(ep.secret, during!)).toMatchObject({ type: "webhook.test" });
    expect(verify(second, during!)).toMatchObject({ type: "webhook.test" });

    // A grace period of 0: the secrets before this rotation stop signing at once (as the old one does when it ends).
    await h.restart({ WEBHOOK_SECRET_GRACE_SECONDS: "0" });
    try {
      const r2 = await h.gql(RotateWebhookSecretDocument, { input: { endpointId: ep.id } });
      const third = r2.data!.rotateWebhookSecret.secret!;
      expect(r2.data!.rotateWebhookSecret.endpoint!.previousSecretExpiresAt).toBeNull();
      await h.gql(SendTestWebhookDocument, { endpointId: ep.id });
      const [, after] = await rx.waitForRequests(2);
      expect(after!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
      expect(verify(third, after!)).toMatchObject({ type: "webhook.test" });
      expect(() => verify(second, after!)).toThrow(/signature/i);
      expect(() => verify(ep.secret, after!)).toThrow(/signature/i);
    } finally {
      await h.restart(BASE_ENV);
    }
  });
});

describe("failing endpoints", () => {
  it("an endpoint failing without a success for WEBHOOK_DISABLE_AFTER_HOURS is disabled (FAILING)", async () => {
    // 0 hours: the first failure is already old enough.
    await h.restart({ WEBHOOK_DISABLE_AFTER_HOURS: "0" });
    try {
      rx = await startReceiver();
      rx.fallback(500);
      const ep = await endpointOn(rx);
      const c = change();
      await h.services.webhooks.dispatcher.publish(c);
      await vi.waitFor(async () => expect((await deliveryOf(ep.id, `${c.id}.${ep.id}`)).status).toBe("FAILED"));
      expect((await endpointsOf(client)).find((e) => e.id === ep.id)).toMatchObject({ status: "DISABLED", disabledReason: "FAILING" });
      expect((await deliveryOf(ep.id, `${c.id}.${ep.id}`)).reason).toContain("disabled (FAILING)");
      expect(rx.requests).toHaveLength(1);
    } finally {
      await h.restart(BASE_ENV);
    }
  });
});

describe("private addresses (WEBHOOK_ALLOW_PRIVATE_URLS=false)", () => {
  it("refuses literal private URLs at creation and names resolving to them at delivery", async () => {
    rx = await startReceiver();
    // Made while allowed, so the check at delivery time is the one that must refuse it.
    const byName = await create("https://localhost:9/hooks");
    expect(byName.userErrors).toEqual([]);
    await h.restart({ WEBHOOK_ALLOW_PRIVATE_URLS: "false" });
    try {
      for (const url of [
        "http://example.com/hooks",
        "https://127.0.0.1/hooks",
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/hooks",
        "https://[::1]/hooks",
        "https://[fd00:ec2::254]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://0.0.0.0/hooks",
        "https://localhost/hooks",
        "https://user:pass@example.com/hooks",
        rx.url,
      ]) {
        const r = await create(url);
        expect(r.endpoint, url).toBeNull();
        expect(r.userErrors, url).toEqual([expect.objectContaining({ field: "input.url", code: "INVALID_URL" })]);
      }
      expect((await create("https://hooks.example.com/correios")).userErrors).toEqual([]);

      const sent = await h.gql(SendTestWebhookDocument, { endpointId: byName.endpoint!.id });
      const id = sent.data!.sendTestWebhook.delivery!.id;
      // The test's retry schedule is short: on a busy machine more attempts may follow before the first is read.
      await vi.waitFor(async () => expect((await deliveryOf(byName.endpoint!.id, id)).attempts.length).toBeGreaterThanOrEqual(1));
      for (const a of (await deliveryOf(byName.endpoint!.id, id)).attempts) {
        expect(a).toMatchObject({ statusCode: null, success: false });
        expect(a.error).toMatch(/localhost resolves to a loopback address \((127\.0\.0\.1|::1)\): refused/);
      }
    } finally {
      await h.restart(BASE_ENV);
    }
  });
});

describe("a watched parcel that moves (watchShipments, the simulator's event route)", () => {
  let w: Harness;
  const WAIT = { timeout: 15_000, interval: 20 };
  const pollsOf = (code: string) =>
    w.sim.requests().filter((r) => r.endpoint === "tracking" && [r.query.codigosObjetos ?? []].flat().includes(code)).length;

  beforeAll(async () => {
    w = await startHarness({
      env: {
        ...BASE_ENV,
        WATCH_INTERVALS: ["POSTED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "AWAITING_PICKUP", "DELIVERY_FAILED"].map((s) => `${s}=0.2`).join(","),
        WATCH_MIN_INTERVAL_SECONDS: "0",
        TRACKING_TTL_ACTIVE_SECONDS: "0",
      },
    });
    await w.gql(RegisterCredentialDocument, { input: registerInput("shop-w") });
  });
  afterAll(() => w?.close());

  it("sends exactly one signed delivery when it moves, none while it does not", async () => {
    rx = await startReceiver();
    const created = await w.gql(CreateWebhookEndpointDocument, {
      input: { clientId: "shop-w", url: rx.url, events: ["SHIPMENT_UPDATED", "SHIPMENT_DELIVERED"] },
    });
    const { endpoint, secret } = created.data!.createWebhookEndpoint;
    const code = codeForScenario("OUT_FOR_DELIVERY", 901);
    const token = await w.clientToken("shop-w");
    const watched = await w.gql(WatchShipmentsDocument, { input: { codes: [code], metadata: { orderId: "o-901" } } }, { token });
    expect(watched.data!.watchShipments.userErrors).toEqual([]);

    // Baseline taken, then several more polls of an unmoved parcel: nothing is sent.
    await vi.waitFor(async () => expect((await w.gql(ShipmentWatchDocument, { code }, { token })).data!.shipment!.watch?.lastCheckedAt).toBeTruthy(), WAIT);
    const polled = pollsOf(code);
    await vi.waitFor(() => expect(pollsOf(code)).toBeGreaterThanOrEqual(polled + 3), WAIT);
    expect(rx.requests).toHaveLength(0);

    w.sim.addTrackingEvent(code, { codigo: "BDE", tipo: "01" });
    const [req] = await rx.waitForRequests(1);
    const event = new Webhook(secret!).verify(req!.body, req!.headers);
    expect(event).toMatchObject({
      type: "shipment.delivered",
      data: { code, status: "DELIVERED", previousStatus: "OUT_FOR_DELIVERY", event: { code: "BDE", type: "01" }, metadata: { orderId: "o-901" } },
    });
    // Delivered is final: the watch ends, so no later poll can send anything more.
    await vi.waitFor(async () => expect((await w.gql(ShipmentWatchDocument, { code }, { token })).data!.shipment!.watch).toBeNull(), WAIT);
    await vi.waitFor(async () => {
      const listed = await w.gql(WebhookDeliveriesDocument, { endpointId: endpoint!.id });
      expect(listed.data!.webhookDeliveries.edges.map((e) => [e.node.code, e.node.status])).toEqual([[code, "DELIVERED"]]);
    }, WAIT);
    expect(rx.requests).toHaveLength(1);
  });
});
