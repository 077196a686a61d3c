// A local webhook receiver for the demo: prints every event it gets and checks its signature with the endpoint's
// secret, as a shop's receiver would (the Standard Webhooks library's Webhook.verify).
//
//   WEBHOOK_SECRET=whsec_… npm run webhook-receiver          # listens on http://127.0.0.1:4020/webhooks
//
// Point an endpoint at it (the subgraph needs WEBHOOK_ALLOW_PRIVATE_URLS=true for an http:// loopback URL):
//   createWebhookEndpoint(input: { clientId: "shop-1", url: "http://127.0.0.1:4020/webhooks", events: [SHIPMENT_UPDATED] })
// then sendTestWebhook(endpointId: "…"), or watch a parcel and move it in the simulator.
import { createServer } from "node:http";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

const port = Number(process.env.WEBHOOK_RECEIVER_PORT ?? 4020);
const secret = process.env.WEBHOOK_SECRET;
const webhook = secret ? new Webhook(secret) : undefined;
/** Deliveries are at least once: a repeat has a webhook-id already seen. */
const seen = new Set<string>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string"));
    const id = headers["webhook-id"] ?? "(no webhook-id)";
    let event: { type?: string; timestamp?: string; data?: unknown };
    try {
      // verify checks the signature (any of the space-separated ones) and that webhook-timestamp is within 5 minutes.
      event = webhook ? (webhook.verify(body, headers) as typeof event) : (JSON.parse(body) as typeof event);
    } catch (e) {
      const why = e instanceof WebhookVerificationError ? e.message : "not JSON";
      console.log(`✗ ${id} refused: ${why}`);
      res.writeHead(400).end();
      return;
    }
    const repeat = seen.has(id);
    seen.add(id);
    console.log(`${webhook ? "✓ verified" : "? unverified (no WEBHOOK_SECRET)"} ${id}${repeat ? " (repeat: already handled)" : ""} ${event.type} at ${event.timestamp}`);
    console.log(JSON.stringify(event.data, null, 2));
    res.writeHead(204).end();
  });
});

server.listen(port, "127.0.0.1", () => {
  console.log(`Webhook receiver on http://127.0.0.1:${port}/webhooks${webhook ? "" : " (set WEBHOOK_SECRET=whsec_… to verify signatures)"}`);
});
