// `npm run demo`: the whole federated picture on one command. Starts the CWS simulator, this subgraph (behind a
// router secret, data under ./data/demo), the orders example and a gateway that forwards `x-client-id` (and a
// caller's bearer token), registers the simulator's `loja-demo` credential for the shop `demo-shop`, walks a posting
// through quote → label → track → return, and prints queries to paste: the storefront's, and the back office's with
// a client token. Ctrl-C stops it all.
// Env: GATEWAY_PORT (4000), SUBGRAPH_PORT (4001), ORDERS_PORT (4002), SIMULATOR_PORT (4010),
// SIMULATOR_LATENCY_MS (150), ORDER_COUNT (120), LOG_LEVEL (warn), DATA_DIR (./data/demo). A port of 0 takes a free one.
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { print } from "graphql";
import { signJwt } from "../src/http/auth.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startServer } from "../src/http/server.js";
import { createServices } from "../src/services/services.js";
import { DEFAULT_ACCOUNTS, startSimulator } from "../simulator/index.js";
import { RegisterCredentialDocument, type RegisterCredentialMutation } from "../test/generated/graphql.js";
import { startOrdersSubgraph } from "./orders/server.js";
import { pasteableQueries, walkThroughPostings } from "./postings-walkthrough.js";

// The gateway reports telemetry and probes cloud metadata addresses unless told not to; it is imported below, after this.
process.env["APOLLO_TELEMETRY_DISABLED"] = "true";

const CLIENT_ID = "demo-shop";
const HOST = "127.0.0.1";
const demoQuery = (first: number) => `{ orders(first: ${first}) { number trackingCode shipment { status lastEvent { description time } } } }`;

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** What has started, stopped in reverse order on a signal or a failed start. */
const running: Array<{ name: string; stop: () => Promise<void> }> = [];

async function start<T>(name: string, what: () => Promise<T>, stop: (t: T) => Promise<void>): Promise<T> {
  const t = await what();
  running.push({ name, stop: () => stop(t) });
  return t;
}

/** Checked up front: the standalone servers crash on a busy port instead of rejecting. */
function ensurePortFree(port: number, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "EADDRINUSE" ? new Error(`Port ${port} is in use: stop what runs there or set ${variable}.`) : e),
    );
    probe.listen(port, HOST, () => probe.close(() => resolve()));
  });
}

async function stopAll(): Promise<void> {
  for (const r of running.reverse()) await r.stop().catch((e: unknown) => console.error(`stopping the ${r.name}: ${String(e)}`));
  running.length = 0;
}

async function main(): Promise<void> {
  const { startGateway } = await import("./gateway.js");
  const ports = {
    GATEWAY_PORT: intFromEnv("GATEWAY_PORT", 4000),
    SUBGRAPH_PORT: intFromEnv("SUBGRAPH_PORT", 4001),
    ORDERS_PORT: intFromEnv("ORDERS_PORT", 4002),
    SIMULATOR_PORT: intFromEnv("SIMULATOR_PORT", 4010),
  };
  const fixed = Object.values(ports).filter((p) => p !== 0);
  if (new Set(fixed).size !== fixed.length) throw new Error(`Two servers would share a port: ${JSON.stringify(ports)}.`);
  for (const [variable, port] of Object.entries(ports)) if (port !== 0) await ensurePortFree(port, variable);
  const routerSecret = randomBytes(24).toString("base64url");

  const sim = await start(
    "simulator",
    () => startSimulator({ port: ports.SIMULATOR_PORT, host: HOST, latencyMs: intFromEnv("SIMULATOR_LATENCY_MS", 150) }),
    (s) => s.close(),
  );

  // Only what the demo decides, not the caller's environment: no DEFAULT_CLIENT_ID, so the client must come from
  // the gateway's x-client-id, and a data folder of its own.
  const config = loadConfig({
    NODE_ENV: "development",
    HOST,
    PORT: String(ports.SUBGRAPH_PORT),
    LOG_LEVEL: process.env["LOG_LEVEL"] || "warn",
    DATA_DIR: process.env["DATA_DIR"] || "./data/demo",
    CORREIOS_BASE_URL: sim.url,
    ROUTER_SECRET: routerSecret,
  });
  const services = await start("store", () => createServices(config, createLogger(config.LOG_LEVEL)), (s) => s.close());
  const subgraph = await start("subgraph", () => startServer(services, { port: ports.SUBGRAPH_PORT, host: HOST }), (s) => s.close());

  await registerDemoCredential(subgraph.url, routerSecret, config.authSecret);

  const orderCount = intFromEnv("ORDER_COUNT", 120);
  const orders = await start("orders subgraph", () => startOrdersSubgraph({ port: ports.ORDERS_PORT, host: HOST, orderCount }), (o) => o.close());
  const gateway = await start(
    "gateway",
    () =>
      startGateway({
        subgraphs: [
          { name: "correios", url: subgraph.url },
          { name: "orders", url: orders.url },
        ],
        port: ports.GATEWAY_PORT,
        host: HOST,
        routerSecret,
        defaultClientId: CLIENT_ID,
      }),
    (g) => g.close(),
  );

  // The shop's back office, straight to the subgraph (an admin screen would do the same): quote, post, label, track,
  // return. The gateway part below is the storefront's side.
  console.log("\nPostings walkthrough (client demo-shop, through the subgraph):");
  const clientToken = await signJwt({ role: "client", clientId: CLIENT_ID }, config.authSecret, "10m");
  const dataDir = resolve(config.DATA_DIR);
  const walk = await walkThroughPostings(
    subgraph.url,
    { authorization: `Bearer ${clientToken}`, "router-authorization": routerSecret },
    (l) => console.log(`  ${l}`),
    join(dataDir, "labels"),
  );
  console.log("  (every operation: test/operations/postings.graphql; README \"Postings, labels and returns\")");

  const body = JSON.stringify({ query: demoQuery(orderCount) });
  console.log(
    [
      "",
      `Gateway ready at ${gateway.url}`,
      `  correios subgraph ${subgraph.url} (only answers the gateway: router secret)`,
      `  orders subgraph   ${orders.url} (${orderCount} orders, every tracking scenario)`,
      `  CWS simulator     ${sim.url} (latency ${intFromEnv("SIMULATOR_LATENCY_MS", 150)} ms)`,
      "",
      `Try it (the gateway forwards x-client-id; requests without one act for ${CLIENT_ID}):`,
      "",
      `  curl -s ${gateway.url} -H 'content-type: application/json' -H 'x-client-id: ${CLIENT_ID}' \\`,
      `    --data '${body}'`,
      "",
      `Upstream calls so far: curl -s ${sim.url}/__simulator/counts   (run the query twice: the second costs none)`,
      "",
      "The back office's side, through the same gateway:",
      "",
      ...pasteableQueries(gateway.url, CLIENT_ID, dataDir, walk).map((l) => (l ? `  ${l}` : l)),
      "",
      "Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
}

/** Registers the seeded `loja-demo` account for the demo shop the way an operator would: over GraphQL. */
async function registerDemoCredential(url: string, routerSecret: string, authSecret: string): Promise<void> {
  const account = DEFAULT_ACCOUNTS.find((a) => a.login === "loja-demo")!;
  const operatorToken = await signJwt({ role: "operator" }, authSecret, "5m");
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${operatorToken}`, "router-authorization": routerSecret },
    body: JSON.stringify({
      query: print(RegisterCredentialDocument),
      variables: { input: { clientId: CLIENT_ID, apiLogin: account.login, accessCode: account.accessCode, postingCard: account.card } },
    }),
  });
  const body = (await res.json()) as { data?: RegisterCredentialMutation; errors?: Array<{ message: string }> };
  const payload = body.data?.registerCredential;
  if (!payload?.credential || payload.userErrors.length > 0) {
    const reasons = [...(body.errors ?? []), ...(payload?.userErrors ?? [])].map((e) => e.message).join("; ");
    throw new Error(`Registering the demo credential failed: ${reasons || `HTTP ${res.status}`}`);
  }
  console.log(`Registered Correios credential ${account.login} for client ${CLIENT_ID} (${payload.credential.status}).`);
}

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the demo`);
  // The subgraph's Apollo Server also stops itself on the signal; a stop that never settles must not keep the demo up.
  setTimeout(() => {
    console.error("Some server did not stop within 10 s; exiting anyway.");
    process.exit(1);
  }, 10_000).unref();
  void stopAll().then(() => process.exit(0));
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));

main().catch(async (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  await stopAll();
  process.exit(1);
});
