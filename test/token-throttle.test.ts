// The token API allows about 3 requests per second (TOKEN_REQUESTS_PER_SECOND). Every request that reaches it, first
// try or retry, must go through our limiter: the simulator enforces the same limit over a sliding second.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RegisterCredentialDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";
import type { AccountSeed } from "../simulator/index.js";

const RATE = 3;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ sim: { tokenRatePerSecond: RATE } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
});

/** A distinct simulator account per client, so nothing upstream of the token API can share a token between them. */
function account(prefix: string, i: number): AccountSeed {
  const n = String(i).padStart(2, "0");
  const a: AccountSeed = {
    login: `loja-${prefix}-${n}`,
    accessCode: `Thr0ttle${prefix}Acc3ss${n}`.padEnd(40, "x").slice(0, 40),
    card: `00${prefix === "burst" ? "61" : "62"}0000${n}`,
  };
  h.sim.addAccount(a);
  return a;
}

async function register(clientId: string, a: AccountSeed): Promise<string | undefined> {
  const res = await h.gql(RegisterCredentialDocument, { input: registerInput(clientId, a, { verify: true }) });
  expect(res.errors).toBeUndefined();
  return res.data!.registerCredential.credential?.status;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Arrival times of the token requests the simulator saw, and the largest count inside any sliding 1000 ms. */
function tokenTraffic() {
  const token = h.sim.requests().filter((r) => r.endpoint === "token");
  const times = token.map((r) => Date.parse(r.at)).sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0; i < times.length; i++) {
    let j = i;
    while (j < times.length && times[j]! - times[i]! < 1000) j++;
    busiest = Math.max(busiest, j - i);
  }
  return { statuses: token.map((r) => r.status), busiest };
}

describe("token API rate limit", () => {
  it("ten clients registering at once never exceed 3 token requests in any second, and get no 429", async () => {
    // Staggered a little so requests arrive in the middle of a limiter window, not only at its start.
    const accounts = Array.from({ length: 10 }, (_, i) => account("burst", i));
    const statuses = await Promise.all(accounts.map((a, i) => sleep(i * 120).then(() => register(`throttle-burst-${i}`, a))));
    expect(statuses).toEqual(Array(10).fill("ACTIVE"));
    const traffic = tokenTraffic();
    expect(traffic.statuses).not.toContain(429);
    expect(traffic.busiest).toBeLessThanOrEqual(RATE);
    expect(traffic.statuses).toHaveLength(10);
  });

  it("retries after 500s go through the limiter too", async () => {
    h.sim.addFault({ endpoint: "token", kind: "status", status: 500, times: 4 });
    const accounts = Array.from({ length: 6 }, (_, i) => account("retry", i));
    const statuses = await Promise.all(accounts.map((a, i) => register(`throttle-retry-${i}`, a)));
    expect(statuses).toEqual(Array(6).fill("ACTIVE"));
    const traffic = tokenTraffic();
    expect(traffic.statuses.filter((s) => s === 500)).toHaveLength(4);
    expect(traffic.statuses).not.toContain(429);
    expect(traffic.busiest).toBeLessThanOrEqual(RATE);
    h.sim.clearFaults();
  });
});
