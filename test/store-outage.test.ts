// Redis going away under a running subgraph: every store call is bounded (STORE_TIMEOUT_MS) and fails with
// STORE_UNAVAILABLE and a warn line, readiness answers 503 at once, and the service recovers when Redis is back.
// A real redis-server of the test's own on a free port: frozen (SIGSTOP: the connection stays open, nothing answers)
// and stopped (connection refused), then started again on the same port.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { GetCredentialDocument, QuotesDocument, RegisterCredentialDocument, TrackShipmentDocument } from "./generated/graphql.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";
import { AUTH_SECRET, CREDENTIALS_KEY, startHarness, type Harness } from "./helpers/harness.js";
import { freePort } from "./helpers/process.js";

const TIMEOUT_MS = 300;

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("Ready to accept connections")) resolve(child);
    });
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    child.once("error", reject);
  });
}

function stopRedis(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGCONT"); // a frozen server cannot act on SIGTERM
    child.kill("SIGTERM");
  });
}

/** Fails instead of hanging: what every call did before, while Redis was gone or frozen. */
async function answered<T>(p: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

type Res = { errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> };
const codeOf = (res: Res) => res.errors?.[0]?.extensions?.code;

describe("Redis outage", () => {
  let port: number;
  let redis: ChildProcess;
  let h: Harness;
  let shop: string;
  let n = 0;
  const code = () => buildTrackingCode("AA", 71_000 + n++);
  const ready = (): Promise<Response> => answered(fetch(h.server.url.replace("/graphql", "/health/ready")), "readiness");
  const warnings = () => h.logs.map((l) => JSON.parse(l) as { level: number; msg: string; reason?: string }).filter((l) => l.level === 40 && l.msg === "store call failed");
  const quote = () => ({
    originCep: "01310-100",
    destinationCep: "13010111",
    package: { format: "BOX" as const, weightGrams: 300 + n++, lengthCm: 20, widthCm: 15, heightCm: 10 },
    postingDate: "2026-12-01",
  });

  async function untilReady(): Promise<void> {
    const deadline = Date.now() + 20_000;
    while ((await ready()).status !== 200) {
      if (Date.now() > deadline) throw new Error("readiness did not come back after Redis returned");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    h = await startHarness({ env: { STORE_URL: `redis://127.0.0.1:${port}`, STORE_TIMEOUT_MS: String(TIMEOUT_MS) } });
    const reg = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-outage", DEMO) });
    expect(reg.data!.registerCredential.credential!.status).toBe("ACTIVE");
    shop = await h.clientToken("shop-outage");
  });
  afterAll(async () => {
    await stopRedis(redis);
    await h?.close();
  });

  it("a frozen Redis (connection open, no answers): calls give up after STORE_TIMEOUT_MS; nothing is lost once it answers again", async () => {
    expect((await h.gql(TrackShipmentDocument, { code: code() }, { token: shop })).errors).toBeUndefined();
    redis.kill("SIGSTOP");
    try {
      const down = await ready();
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: "fail", store: { kind: "redis", ok: false } });

      const reg = await answered(h.gql(RegisterCredentialDocument, { input: registerInput("shop-frozen", DEMO) }), "registration");
      expect(codeOf(reg)).toBe("STORE_UNAVAILABLE");
      expect(reg.errors![0]!.message).toContain(`no answer within ${TIMEOUT_MS} ms`);
      const read = await answered(h.gql(GetCredentialDocument, { clientId: "shop-outage" }), "credential read");
      expect(codeOf(read)).toBe("STORE_UNAVAILABLE");
      // Cold: the cache read is a miss, the credential read fails.
      const cold = await answered(h.gql(TrackShipmentDocument, { code: code() }, { token: shop }), "cold shipment");
      expect(codeOf(cold)).toBe("STORE_UNAVAILABLE");
      expect(warnings().some((w) => w.reason === `no answer within ${TIMEOUT_MS} ms`)).toBe(true);
    } finally {
      redis.kill("SIGCONT");
    }
    await untilReady();
    const read = await h.gql(GetCredentialDocument, { clientId: "shop-outage" });
    expect(read.data!.credential).toMatchObject({ clientId: "shop-outage", status: "ACTIVE" });
    expect((await h.gql(TrackShipmentDocument, { code: code() }, { token: shop })).errors).toBeUndefined();
  });

  it("a stopped Redis: every call fails at once with STORE_UNAVAILABLE and a warn line; a Redis started again on the same port is used again", async () => {
    await stopRedis(redis);
    const logged = warnings().length;

    const down = await ready();
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: "fail", store: { ok: false } });
    const reg = await answered(h.gql(RegisterCredentialDocument, { input: registerInput("shop-gone", DEMO) }), "registration");
    expect(codeOf(reg)).toBe("STORE_UNAVAILABLE");
    expect(reg.data?.registerCredential ?? null).toBeNull();
    expect(codeOf(await answered(h.gql(GetCredentialDocument, { clientId: "shop-outage" }), "credential read"))).toBe("STORE_UNAVAILABLE");
    expect(codeOf(await answered(h.gql(TrackShipmentDocument, { code: code() }, { token: shop }), "cold shipment"))).toBe("STORE_UNAVAILABLE");
    expect(codeOf(await answered(h.gql(QuotesDocument, { input: quote() }, { token: shop }), "quote"))).toBe("STORE_UNAVAILABLE");
    const lines = warnings().slice(logged);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.reason === "not connected")).toBe(true);
    expect(h.logs.some((l) => l.includes("redis connection lost"))).toBe(true);

    redis = await startRedis(port);
    await untilReady();
    // This Redis keeps nothing on disk (--save ""), so the credential is registered again.
    const again = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-outage", DEMO) });
    expect(again.data!.registerCredential.credential!.status).toBe("ACTIVE");
    expect((await h.gql(TrackShipmentDocument, { code: code() }, { token: shop })).errors).toBeUndefined();
    expect((await h.gql(QuotesDocument, { input: quote() }, { token: shop })).errors).toBeUndefined();
  });
});

describe("Redis unreachable at start-up", () => {
  it("start-up stops naming STORE_URL, without the URL's password", async () => {
    const port = await freePort(); // nothing listens there
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/index.ts"], {
      env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", AUTH_SECRET, CREDENTIALS_KEY, STORE_URL: `redis://app:hunter2-secret@127.0.0.1:${port}` },
      encoding: "utf8",
      timeout: 30_000,
    });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(1);
    expect(out).toContain(`Cannot reach Redis at redis://app:***@127.0.0.1:${port} (STORE_URL)`);
    expect(out).not.toContain("hunter2-secret");
  });
});
