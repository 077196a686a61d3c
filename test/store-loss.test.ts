// The embedded store lost or unusable: SQLite files deleted under a running server (SQLite goes on writing into the
// deleted file, so every write would be "saved" and gone at the next start), a data folder that cannot be created or
// written, and the files' modes (owner-only, like secrets.json).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetCredentialDocument, RegisterCredentialDocument } from "./generated/graphql.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";
import { AUTH_SECRET, CREDENTIALS_KEY, startHarness, type Harness } from "./helpers/harness.js";

const STORE_FILES = ["store.sqlite", "store.sqlite-wal", "store.sqlite-shm"];
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("SQLite files deleted under a running server", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("refuses to acknowledge writes (STORE_UNAVAILABLE) and readiness fails; what was refused is indeed not there after a restart", async () => {
    const ready = () => fetch(h.server.url.replace("/graphql", "/health/ready"));
    const first = await h.gql(RegisterCredentialDocument, { input: registerInput("shop-before", DEMO) });
    expect(first.data!.registerCredential.credential!.status).toBe("ACTIVE");
    expect((await ready()).status).toBe(200);

    for (const f of STORE_FILES) rmSync(join(h.dataDir, f));

    const down = await ready();
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: "fail", store: { kind: "sqlite", ok: false } });
    for (const verify of [true, false]) {
      const res = await h.gql(RegisterCredentialDocument, { input: registerInput(`shop-after-${verify}`, DEMO, { verify }) });
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res)).toBe("STORE_UNAVAILABLE");
      expect(res.errors![0]!.message).toMatch(/store\.sqlite was deleted while the service ran/);
      expect(res.errors![0]!.message).not.toContain(h.dataDir);
    }
    expect(h.logs.some((l) => l.includes('"level":40') && l.includes("store call failed"))).toBe(true);

    await h.restart();
    for (const id of ["shop-after-true", "shop-after-false", "shop-before"]) {
      expect((await h.gql(GetCredentialDocument, { clientId: id })).data!.credential, id).toBeNull();
    }
  });
});

describe("start-up with a data folder it cannot use", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "correios-store-loss-"));
    writeFileSync(join(root, "a-file"), "not a folder");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Runs `npm start`'s entry until it exits (it must not start). `uid` runs it as another user. */
  function start(env: Record<string, string>, uid?: number) {
    return spawnSync(process.execPath, ["--import", "tsx", "src/index.ts"], {
      env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
      encoding: "utf8",
      timeout: 30_000,
      ...(uid === undefined ? {} : { uid, gid: uid }),
    });
  }
  const secrets = { AUTH_SECRET, CREDENTIALS_KEY };

  // Tests run as root, which chmod does not stop: a folder under a regular file can be created by nobody.
  it("DATA_DIR under a regular file: start-up fails naming the path and DATA_DIR (with and without configured secrets)", () => {
    const dataDir = join(root, "a-file", "data");
    for (const env of [{ DATA_DIR: dataDir, ...secrets }, { DATA_DIR: dataDir }]) {
      const r = start(env);
      const out = r.stdout + r.stderr;
      expect(r.status, out).not.toBe(0);
      expect(out).toContain(dataDir);
      expect(out).toContain("DATA_DIR");
      expect(out).not.toMatch(/^\s+at /m); // a message, not a stack trace
    }
  });

  it("STORE_URL pointing under a regular file: start-up fails naming the path and STORE_URL", () => {
    const file = join(root, "a-file", "x", "store.sqlite");
    const r = start({ DATA_DIR: join(root, "data-ok"), STORE_URL: `sqlite://${file}`, ...secrets });
    const out = r.stdout + r.stderr;
    expect(r.status, out).not.toBe(0);
    expect(out).toContain(file);
    expect(out).toContain("STORE_URL");
  });

  it("a read-only data folder: start-up fails naming the path", () => {
    // As root, the process runs as "nobody", for whom the folder's mode holds; as anyone else the mode holds already.
    const asRoot = process.getuid?.() === 0;
    const dataDir = join(root, "read-only");
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o555);
    if (asRoot) chmodSync(root, 0o755); // mkdtemp's 0700 would stop "nobody" one level up
    const r = start({ DATA_DIR: dataDir, ...secrets }, asRoot ? 65_534 : undefined);
    const out = r.stdout + r.stderr;
    expect(r.status, out).not.toBe(0);
    expect(out).toContain(join(dataDir, "store.sqlite"));
    expect(out).toContain("DATA_DIR");
    expect(existsSync(join(dataDir, "store.sqlite"))).toBe(false);
  });
});

describe("store file modes", () => {
  it("the SQLite files are owner-only (0600), also ones an earlier version left readable", async () => {
    const h = await startHarness();
    try {
      await h.gql(RegisterCredentialDocument, { input: registerInput("shop-modes", DEMO, { verify: false }) });
      for (const f of STORE_FILES) expect(modeOf(join(h.dataDir, f)), f).toBe(0o600);
      for (const f of STORE_FILES) chmodSync(join(h.dataDir, f), 0o644);
      await h.restart();
      for (const f of STORE_FILES) expect(modeOf(join(h.dataDir, f)), f).toBe(0o600);
      expect((await h.gql(GetCredentialDocument, { clientId: "shop-modes" })).data!.credential).toMatchObject({ clientId: "shop-modes" });
    } finally {
      await h.close();
    }
  });
});
