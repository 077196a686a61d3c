// The token API allows about 3 requests per second (TOKEN_REQUESTS_PER_SECOND). Every request that reaches it, first
// try or retry, must go through our limiter. Checked at both ends: where each request left (our limiter lets at most
// 3 start in any second) and where it arrived (the simulator saw those requests and no others, spaced). A request
// reaches the simulator some time after it left, and on a loaded machine a new connection can lag a reused one by
// hundreds of ms, so arrivals are counted over a second shortened by that allowance: an unspaced burst or retries
// that skip the limiter arrive within milliseconds of each other and still show.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RegisterCredentialDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";
import type { AccountSeed } from "../simulator/index.js";

const RATE = 3;
/** How much later than its start a request may reach the simulator, compared with another request. */
const TRANSIT_ALLOWANCE_MS = 400;
let h: Harness;

beforeAll(async () => {
  // The simulator does not refuse (its own 3-per-second check would count the transit lag): the test counts instead.
  h = await startHarness({ sim: { tokenRatePerSecond: 0 } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.logs.length = 0;
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

/** The largest number of instants inside any sliding window of `windowMs`. */
function busiest(instants: number[], windowMs: number): number {
  const times = [...instants].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < times.length; i++) {
    let j = i;
    while (j < times.length && times[j]! - times[i]! < windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

/**
 * Token requests at both ends: when each attempt started (our HTTP client's "upstream attempt" lines: logged at the
 * end with their duration, so start = time - ms; it starts as the limiter lets it go), and when each reached the
 * simulator, with its answer.
 */
function tokenTraffic() {
  const starts = h.logs
    .map((l) => JSON.parse(l) as { msg?: string; api?: string; time: string; ms: number })
    .filter((l) => l.msg === "upstream attempt" && l.api === "token")
    .map((l) => Date.parse(l.time) - l.ms);
  const token = h.sim.requests().filter((r) => r.endpoint === "token");
  return {
    statuses: token.map((r) => r.status),
    started: starts.length,
    busiestStart: busiest(starts, 1000),
    busiestArrival: busiest(token.map((r) => Date.parse(r.at)), 1000 - TRANSIT_ALLOWANCE_MS),
  };
}

describe("token API rate limit", () => {
  it("ten clients registering at once never start more than 3 token requests in any second", async () => {
    // Staggered a little so requests arrive in the middle of a limiter window, not only at its start.
    const accounts = Array.from({ length: 10 }, (_, i) => account("burst", i));
    const statuses = await Promise.all(accounts.map((a, i) => sleep(i * 120).then(() => register(`throttle-burst-${i}`, a))));
    expect(statuses).toEqual(Array(10).fill("ACTIVE"));
    const traffic = tokenTraffic();
    expect(traffic.statuses).toEqual(Array(10).fill(201));
    expect(traffic.started).toBe(10);
    expect(traffic.busiestStart).toBeLessThanOrEqual(RATE);
    expect(traffic.busiestArrival).toBeLessThanOrEqual(RATE);
  });

  it("retries after 500s go through the limiter too", async () => {
    h.sim.addFault({ endpoint: "token", kind: "status", status: 500, times: 4 });
    const accounts = Array.from({ length: 6 }, (_, i) => account("retry", i));
    const statuses = await Promise.all(accounts.map((a, i) => register(`throttle-retry-${i}`, a)));
    expect(statuses).toEqual(Array(6).fill("ACTIVE"));
    const traffic = tokenTraffic();
    expect(traffic.statuses.filter((s) => s === 500)).toHaveLength(4);
    expect(traffic.statuses.filter((s) => s === 201)).toHaveLength(6);
    expect(traffic.started).toBe(10);
    expect(traffic.busiestStart).toBeLessThanOrEqual(RATE);
    expect(traffic.busiestArrival).toBeLessThanOrEqual(RATE);
    h.sim.clearFaults();
  });
});
