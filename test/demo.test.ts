// `npm run demo` as a user runs it: its own process, every server on a free port, the printed query sent to the
// printed gateway. Checks the counts the README promises: 3 tracking calls for 120 orders, none on the repeat; and
// runs the back office's printed commands through a shell as pasted (token, posting, label job, return, createPosting).
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = mkdtempSync(join(tmpdir(), "correios-demo-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm run demo", () => {
  it("starts everything, answers the printed queries (3 tracking calls for the orders, none on the repeat; the back office's with a token), and stops on SIGINT", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "examples/demo.ts"], {
      env: { ...process.env, GATEWAY_PORT: "0", SUBGRAPH_PORT: "0", ORDERS_PORT: "0", SIMULATOR_PORT: "0", SIMULATOR_LATENCY_MS: "0", DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 45_000;
      while (!/Gateway ready at/.test(out)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the demo did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 100)); // the rest of the banner
      const gateway = /Gateway ready at (\S+)/.exec(out)![1]!;
      const simulator = /CWS simulator\s+(\S+)/.exec(out)![1]!;
      const body = /--data '(.+)'/.exec(out)![1]!;
      const ask = async () => {
        const res = await fetch(gateway, { method: "POST", headers: { "content-type": "application/json", "x-client-id": "demo-shop" }, body });
        return (await res.json()) as { data?: { orders: Array<{ shipment: { status: string } | null }> }; errors?: unknown };
      };
      const counts = async () => (await (await fetch(`${simulator}/__simulator/counts`)).json()) as { tracking: number };

      // The banner comes after the postings walkthrough, whose tracking call is counted before the storefront's.
      expect(out).toMatch(/createPosting: PR\w{22}, tracking code \w{13}/);
      expect(out).toMatch(/requestLabels: job LJ\w+ READY/);
      expect(out).toMatch(/createReturn: authorization \w+/);
      const before = (await counts()).tracking;
      const first = await ask();
      expect(first.errors).toBeUndefined();
      expect(first.data!.orders).toHaveLength(120);
      expect(first.data!.orders.every((o) => o.shipment?.status)).toBe(true);
      expect((await counts()).tracking - before).toBe(3);
      await ask();
      expect((await counts()).tracking - before).toBe(3);

      // The label PDF the walkthrough saved, and the printed commands exactly as a user pastes them.
      const trackingCode = /createPosting: PR\w{22}, tracking code (\w{13})/.exec(out)![1]!;
      const authorizationCode = /createReturn: authorization (\w+)/.exec(out)![1]!;
      const pdfFile = /saved to (\S+\.pdf)\)/.exec(out)![1]!;
      expect(readFileSync(pdfFile).subarray(0, 5).toString()).toBe("%PDF-");
      const pasted = out.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("TOKEN=$(") || (l.startsWith("curl ") && l.includes("Bearer $TOKEN")));
      expect(pasted).toHaveLength(5);
      const { stdout } = await promisify(execFile)("sh", ["-c", pasted.join("\n")], { timeout: 30_000 });
      const [posting, labelJob, ret, created] = stdout.trim().split("\n").map((l) => JSON.parse(l) as { data?: Record<string, Record<string, unknown>>; errors?: unknown });
      expect(posting!.errors).toBeUndefined();
      expect(posting!.data!.posting).toMatchObject({ trackingCode, shipment: { code: trackingCode } });
      expect(labelJob!.data!.labelJob).toMatchObject({ status: "READY", downloadUrl: expect.stringMatching(/^\/labels\/LJ\w+\.pdf$/) });
      expect(ret!.data!.returnAuthorization).toMatchObject({ authorizationCode, originalTrackingCode: trackingCode });
      expect(created!.data!.createPosting).toMatchObject({ posting: { trackingCode: expect.stringMatching(/^[A-Z]{2}\d{9}BR$/) }, userErrors: [] });
    } finally {
      child.kill("SIGINT");
      expect(await exited).toBe(0);
    }
  }, 60_000);
});
