// Configuration is validated in one place and fails naming the variable; the embedded default generates its secrets once.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const dir = mkdtempSync(join(tmpdir(), "correios-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadConfig", () => {
  it.each([
    [{ PORT: "seventy" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ CORREIOS_BASE_URL: "not a url" }, "CORREIOS_BASE_URL"],
    [{ AUTH_SECRET: "short" }, "AUTH_SECRET"],
    [{ STORE_URL: "mongodb://x" }, "STORE_URL"],
    [{ CREDENTIALS_KEY: "abc", AUTH_SECRET: "x".repeat(40) }, "CREDENTIALS_KEY"],
    [{ STORE_URL: "redis://127.0.0.1:6379" }, "AUTH_SECRET"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ ROUTER_SECRET: "tiny" }, "ROUTER_SECRET"],
  ])("refuses %j naming %s", (env, variable) => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: dir, ...env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toContain(variable);
  });

  it("uses documented defaults", () => {
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.PORT).toBe(4001);
    expect(c.CORREIOS_BASE_URL).toBe("https://api.correios.com.br");
    expect(c.storeUrl).toBe(`sqlite://${join(dir, "store.sqlite")}`);
    expect(c.correiosEnvironment).toBe("PRODUCAO");
    expect(c.introspection).toBe(true);
    expect(loadConfig({ DATA_DIR: dir, NODE_ENV: "production" }).introspection).toBe(false);
    expect(loadConfig({ DATA_DIR: dir, CORREIOS_BASE_URL: "https://apihom.correios.com.br" }).correiosEnvironment).toBe("HOMOLOGACAO");
  });

  it("generates the secrets once, owner-only, when the embedded store runs without them", () => {
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.generatedSecretsFile).toBe(join(dir, "secrets.json"));
    expect(statSync(first.generatedSecretsFile!).mode & 0o777).toBe(0o600);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.authSecret).toBe(first.authSecret);
    expect(second.credentialsKey.equals(first.credentialsKey)).toBe(true);
    expect(first.credentialsKey).toHaveLength(32);
    expect(JSON.parse(readFileSync(first.generatedSecretsFile!, "utf8"))).toHaveProperty("AUTH_SECRET", first.authSecret);
  });

  it("uses given secrets and generates nothing", () => {
    const other = mkdtempSync(join(tmpdir(), "correios-config-given-"));
    const c = loadConfig({ DATA_DIR: other, AUTH_SECRET: "s".repeat(40), CREDENTIALS_KEY: Buffer.alloc(32, 7).toString("base64") });
    expect(c.generatedSecretsFile).toBeUndefined();
    expect(c.credentialsKey.equals(Buffer.alloc(32, 7))).toBe(true);
    rmSync(other, { recursive: true, force: true });
  });
});
