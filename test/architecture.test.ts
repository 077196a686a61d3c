// The folder list is the architecture: these checks keep the simulator (a test double) and the subgraph apart, so a
// validator bug cannot be mirrored by the simulator, and the production build never ships it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]!);
}

describe("architecture", () => {
  it("nothing under src/ imports the simulator", () => {
    const offenders = sources("src").filter((f) => importsOf(f).some((i) => i.includes("simulator")));
    expect(offenders).toEqual([]);
  });

  it("the simulator imports nothing from src/", () => {
    const offenders = sources("simulator").filter((f) => importsOf(f).some((i) => i.includes("/src/") || i.startsWith("../src")));
    expect(offenders).toEqual([]);
  });
});
