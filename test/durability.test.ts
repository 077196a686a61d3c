// Kill -9 the subgraph while credentials are being registered concurrently; after a restart every registration
// that was acknowledged is there and readable (its sealed access code opens and Correios accepts it).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signJwt } from "../src/http/auth.js";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { startSimulator, type Simulator } from "../simulator/index.js";
import { ListCredentialsDocument, RegisterCredentialDocument, TrackShipmentDocument, VerifyCredentialDocument } from "./generated/graphql.js";
import { AUTH_SECRET, CREDENTIALS_KEY } from "./helpers/harness.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";
import { startSubgraphProcess } from "./helpers/process.js";

let sim: Simulator;
let dataDir: string;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, tokenRatePerSecond: 0 });
  dataDir = mkdtempSync(join(tmpdir(), "correios-durability-"));
});
afterAll(async () => {
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(url: string, token: string, query: string, variables: unknown): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return ((await res.json()) as { data?: Record<string, unknown> }).data;
}

describe("durability", () => {
  it("keeps every acknowledged registration across a SIGKILL", async () => {
    const env = { DATA_DIR: dataDir, AUTH_SECRET, CREDENTIALS_KEY, CORREIOS_BASE_URL: sim.url, NODE_ENV: "test" };
    const operator = await signJwt({ role: "operator" }, AUTH_SECRET);
    const register = print(RegisterCredentialDocument);
    const first = await startSubgraphProcess(env);
    const acknowledged: string[] = [];
    let n = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const id = `durable-${n++}`;
        try {
          const data = (await post(first.url, operator, register, { input: registerInput(id, DEMO, { verify: false }) })) as
            | { registerCredential: { credential: { clientId: string } | null } }
            | undefined;
          if (data?.registerCredential.credential?.clientId === id) acknowledged.push(id);
        } catch {
          return; // connection dropped by the kill: this one was not acknowledged
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 10));
    killed = true;
    await first.kill("SIGKILL");
    await Promise.all(workers);

    const second = await startSubgraphProcess(env);
    try {
      const data = (await post(second.url, operator, print(ListCredentialsDocument), {})) as { credentials: Array<{ clientId: string; postingCard: string }> };
      const stored = new Map(data.credentials.map((c) => [c.clientId, c]));
      for (const id of acknowledged) expect(stored.get(id)?.postingCard, id).toBe(DEMO.card);
      // Readable: the sealed access code opens and Correios accepts it.
      for (const id of acknowledged.slice(0, 3)) {
        const v = (await post(second.url, operator, print(VerifyCredentialDocument), { clientId: id })) as { verifyCredential: { credential: { status: string } } };
        expect(v.verifyCredential.credential.status).toBe("ACTIVE");
      }
    } finally {
      await second.kill();
    }
  });

  it("a restarted process reuses the stored token: no token request after the restart", async () => {
    const env = { DATA_DIR: dataDir, AUTH_SECRET, CREDENTIALS_KEY, CORREIOS_BASE_URL: sim.url, NODE_ENV: "test" };
    const operator = await signJwt({ role: "operator" }, AUTH_SECRET);
    const client = await signJwt({ role: "client", clientId: "restart-token" }, AUTH_SECRET);
    const first = await startSubgraphProcess(env);
    try {
      const reg = (await post(first.url, operator, print(RegisterCredentialDocument), { input: registerInput("restart-token") })) as {
        registerCredential: { credential: { status: string } };
      };
      expect(reg.registerCredential.credential.status).toBe("ACTIVE"); // verified: a token was fetched and stored
    } finally {
      await first.kill();
    }
    sim.reset();
    const second = await startSubgraphProcess(env);
    try {
      const data = (await post(second.url, client, print(TrackShipmentDocument), { code: buildTrackingCode("AA", 91_000) })) as {
        shipment: { status: string };
      };
      expect(data.shipment.status).toBeTruthy();
      expect(sim.counts().tracking).toBe(1);
      expect(sim.counts().token).toBe(0);
    } finally {
      await second.kill();
    }
  });

  it("stops cleanly on SIGTERM (exit code 0) and refuses a busy port with a clear message", async () => {
    const env = { DATA_DIR: dataDir, AUTH_SECRET, CREDENTIALS_KEY, CORREIOS_BASE_URL: sim.url, NODE_ENV: "test" };
    const p = await startSubgraphProcess(env);
    const port = new URL(p.url).port;
    const busy = spawnSync(process.execPath, ["--import", "tsx", "src/index.ts"], {
      env: { ...process.env, ...env, PORT: port, HOST: "127.0.0.1", LOG_LEVEL: "error" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(busy.status).toBe(1);
    expect(busy.stdout + busy.stderr).toMatch(/already in use: set PORT/);
    const exited = new Promise<number | null>((resolve) => p.child.once("exit", (code) => resolve(code)));
    await p.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
