// .ci/run runs the suite once per Node line and names the version it put first on PATH in CI_NODE_VERSION: the test
// workers, and the subgraph processes they start the way every process test does, must be running that version.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const expected = process.env.CI_NODE_VERSION;

describe.skipIf(!expected)(`the suite under .ci/run on Node ${expected}`, () => {
  it("runs its workers on that version", () => {
    expect(process.version).toBe(expected);
  });

  it("starts subprocesses on that version, with the sqlite3 addon loading there", () => {
    const script = 'const { createRequire } = require("node:module"); createRequire(process.cwd() + "/")("sqlite3"); process.stdout.write(process.version)';
    const out = execFileSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8" });
    expect(out).toBe(expected);
  });
});
