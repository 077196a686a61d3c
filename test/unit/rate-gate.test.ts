import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { redisRateGate } from "../../src/store/rate-gate.js";

describe("redisRateGate", () => {
  it("falls back to this process's own window when Redis cannot be asked, and says so", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }));
    const unreachable = { eval: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379")) };
    const gate = redisRateGate(unreachable, "test", 3, 1000, logger);
    await Promise.all([gate(), gate(), gate()]); // three fit in one window: none waits
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toMatchObject({ gate: "test", msg: expect.stringMatching(/limiting this process only/) });
  });

  it("waits as long as the shared window says, then asks again", async () => {
    const answers = [120, 0];
    const asked: number[] = [];
    const t0 = Date.now();
    const client = {
      eval: async () => {
        asked.push(Date.now() - t0);
        return answers.shift();
      },
    };
    await redisRateGate(client, "test", 3, 1000)();
    expect(asked).toHaveLength(2);
    expect(asked[1]! - asked[0]!).toBeGreaterThanOrEqual(115);
  });
});
