// kill -9 of a real subgraph process while a webhook is on its way: the delivery was written before it was sent, so
// the next process sends it again (the same webhook-id and body), and it is delivered once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signJwt } from "../src/http/auth.js";
import { codeForScenario, startSimulator, type Simulator } from "../simulator/index.js";
import {
  CreateWebhookEndpointDocument,
  RegisterCredentialDocument,
  SendTestWebhookDocument,
  WatchShipmentsDocument,
  WebhookDeliveriesDocument,
} from "./generated/graphql.js";
import { registerInput } from "./helpers/fixtures.js";
import { AUTH_SECRET, CREDENTIALS_KEY } from "./helpers/harness.js";
import { startSubgraphProcess, type SubgraphProcess } from "./helpers/process.js";
import { startReceiver, type Receiver } from "./helpers/receiver.js";

let sim: Simulator;
let rx: Receiver;
let dataDir: string;
let token: string;
const running: SubgraphProcess[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, tokenRatePerSecond: 0 });
  rx = await startReceiver();
  dataDir = mkdtempSync(join(tmpdir(), "correios-webhooks-crash-"));
  token = await signJwt({ role: "operator" }, AUTH_SECRET);
});
afterAll(async () => {
  for (const p of running) await p.kill("SIGKILL");
  await rx.close();
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<SubgraphProcess> {
  const p = await startSubgraphProcess({
    DATA_DIR: dataDir,
    CORREIOS_BASE_URL: sim.url,
    AUTH_SECRET,
    CREDENTIALS_KEY,
    WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    WEBHOOK_TIMEOUT_MS: "60000",
    WATCH_INTERVALS: "POSTED=0.2,IN_TRANSIT=0.2,OUT_FOR_DELIVERY=0.2,AWAITING_PICKUP=0.2,DELIVERY_FAILED=0.2",
    WATCH_MIN_INTERVAL_SECONDS: "0",
    TRACKING_TTL_ACTIVE_SECONDS: "0",
  });
  running.push(p);
  return p;
}

async function gql<R, V>(p: SubgraphProcess, doc: TypedDocumentNode<R, V>, variables: V): Promise<R> {
  const res = await fetch(p.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(doc), variables }),
  });
  const body = (await res.json()) as { data?: R; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

/** Deliveries of the endpoint, once the newest is no longer PENDING. */
async function settled(p: SubgraphProcess, endpointId: string) {
  await expect
    .poll(async () => (await gql(p, WebhookDeliveriesDocument, { endpointId })).webhookDeliveries.edges[0]?.node.status, { timeout: 15_000 })
    .toBe("DELIVERED");
  return (await gql(p, WebhookDeliveriesDocument, { endpointId })).webhookDeliveries;
}

describe("a webhook in flight when the subgraph is killed", () => {
  it("is sent again by the next process and delivered once, with the same webhook-id", async () => {
    const first = await start();
    const created = await gql(first, CreateWebhookEndpointDocument, { input: { clientId: "shop-1", url: rx.url, events: ["SHIPMENT_UPDATED"] } });
    const { endpoint, secret } = created.createWebhookEndpoint;

    // The receiver holds the request, so the process dies after sending it and before hearing back.
    rx.hold();
    const sent = await gql(first, SendTestWebhookDocument, { endpointId: endpoint!.id });
    const deliveryId = sent.sendTestWebhook.delivery!.id;
    await rx.waitForRequests(1);
    await first.kill("SIGKILL");
    rx.release();

    const second = await start();
    const [held, again] = await rx.waitForRequests(2, 30_000);
    expect(held!.answerCompleted).toBe(false);
    expect(again!.answered).toBe(200);
    expect(again!.headers["webhook-id"]).toBe(held!.headers["webhook-id"]);
    expect(again!.body).toBe(held!.body);
    expect(new Webhook(secret!).verify(again!.body, again!.headers)).toMatchObject({ type: "webhook.test" });

    const listed = await settled(second, endpoint!.id);
    expect(listed.totalCount).toBe(1);
    expect(listed.edges[0]!.node).toMatchObject({ id: deliveryId, messageId: held!.headers["webhook-id"] });
    // Only the answered attempt is on record: the first one died with its process before it knew the outcome.
    expect(listed.edges[0]!.node.attempts.map((a) => [a.statusCode, a.success])).toEqual([[200, true]]);
    expect(rx.requests).toHaveLength(2);
    await second.kill();
  }, 90_000);

  it("a watched parcel's change, detected and sent when the process dies, is delivered once after the restart", async () => {
    rx.requests.length = 0;
    const first = await start();
    await gql(first, RegisterCredentialDocument, { input: registerInput("shop-2") });
    const created = await gql(first, CreateWebhookEndpointDocument, { input: { clientId: "shop-2", url: rx.url, events: ["SHIPMENT_DELIVERED"] } });
    const { endpoint, secret } = created.createWebhookEndpoint;
    const code = codeForScenario("OUT_FOR_DELIVERY", 951);
    const clientToken = await signJwt({ role: "client", clientId: "shop-2" }, AUTH_SECRET);
    const watched = await fetch(first.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${clientToken}` },
      body: JSON.stringify({ query: print(WatchShipmentsDocument), variables: { input: { codes: [code] } } }),
    });
    expect(((await watched.json()) as { data: { watchShipments: { watched: string[] } } }).data.watchShipments.watched).toEqual([code]);
    // Once the baseline poll has been made, the parcel is delivered (the simulator's event route, as a test would call it).
    await expect.poll(() => sim.requests().filter((r) => r.endpoint === "tracking").length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    rx.hold();
    const moved = await fetch(`${sim.url}/__simulator/tracking/${code}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ codigo: "BDE", tipo: "01" }),
    });
    expect(moved.ok).toBe(true);
    await rx.waitForRequests(1);
    await first.kill("SIGKILL");
    rx.release();

    const second = await start();
    const [held, again] = await rx.waitForRequests(2, 30_000);
    expect(again!.answered).toBe(200);
    expect(again!.headers["webhook-id"]).toBe(held!.headers["webhook-id"]);
    expect(new Webhook(secret!).verify(again!.body, again!.headers)).toMatchObject({ type: "shipment.delivered", data: { code, status: "DELIVERED" } });
    const listed = await settled(second, endpoint!.id);
    expect(listed.totalCount).toBe(1);
    expect(listed.edges[0]!.node.attempts.filter((a) => a.success)).toHaveLength(1);
    expect(rx.requests).toHaveLength(2);
  }, 90_000);
});
