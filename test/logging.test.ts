// Logs are JSON lines with a request id, the client id and upstream timings; secrets never appear.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegisterCredentialDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";
import { basic, cardToken } from "./simulator/helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const parsed = () => h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);

describe("logging", () => {
  it("tags each request with its id and client, logs upstream timings, and never a secret", async () => {
    await h.gql(RegisterCredentialDocument, { input: registerInput("log-shop") });
    const client = await h.clientToken("log-shop");
    const res = await fetch(h.server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${client}`, "x-request-id": "req-abc-123" },
      body: JSON.stringify({ query: "query($c:String!){ shipment(code:$c){ status } }", variables: { c: "AA000000005BR" } }),
    });
    expect(res.headers.get("x-request-id")).toBe("req-abc-123");
    const lines = parsed();
    const request = lines.find((l) => l.requestId === "req-abc-123" && l.msg === "graphql request");
    expect(request).toMatchObject({ clientId: "log-shop", status: 200 });
    expect(typeof request!.ms).toBe("number");
    const upstream = lines.filter((l) => l.msg === "upstream call");
    expect(upstream.map((l) => l.api)).toEqual(expect.arrayContaining(["token", "tracking"]));
    for (const l of upstream) expect(typeof l.ms).toBe("number");
    const all = h.logs.join("\n");
    expect(all).not.toContain(DEMO.accessCode);
    expect(all).not.toContain(client);
  });

  it("redacts secrets by configuration even when a log call passes them", () => {
    const before = h.logs.length;
    h.services.logger.info({ input: { accessCode: "SECRET-VALUE-1" }, headers: { authorization: "Bearer SECRET-VALUE-2" }, token: "SECRET-VALUE-3" }, "careless");
    const line = h.logs.slice(before).join("\n");
    expect(line).toContain("careless");
    expect(line).not.toMatch(/SECRET-VALUE/);
  });
});

describe("logging at info", () => {
  let hi: Harness;
  beforeAll(async () => {
    hi = await startHarness({ env: { LOG_LEVEL: "info" } });
  });
  afterAll(() => hi.close());

  it("logs each upstream call with the request id, the client id and its time, and sums them on the request line", async () => {
    const reg = await hi.gql(RegisterCredentialDocument, { input: registerInput("info-shop") });
    expect(reg.data!.registerCredential.credential!.status).toBe("ACTIVE");
    const client = await hi.clientToken("info-shop");
    const res = await fetch(hi.server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${client}`, "x-request-id": "req-info-42" },
      body: JSON.stringify({ query: "query($c:String!){ shipment(code:$c){ status } }", variables: { c: "AA000000005BR" } }),
    });
    expect(res.status).toBe(200);
    await res.text();

    const lines = hi.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.level === 20)).toBe(false);
    const calls = lines.filter((l) => l.msg === "upstream call" && l.requestId === "req-info-42");
    const tracking = calls.find((l) => l.api === "tracking");
    expect(tracking).toMatchObject({ level: 30, clientId: "info-shop", method: "GET", status: 200, attempts: 1 });
    expect(typeof tracking!.ms).toBe("number");
    expect(tracking!.path).toMatch(/^\/srorastro\//);
    expect(tracking!.path).not.toContain("?");

    const request = lines.find((l) => l.msg === "graphql request" && l.requestId === "req-info-42");
    expect(request).toMatchObject({ level: 30, clientId: "info-shop", status: 200 });
    expect(request!.upstreamCalls).toBeGreaterThanOrEqual(1);
    expect(typeof request!.upstreamMs).toBe("number");

    // The registration's token call is logged too, under the registration's own request id.
    const tokenCall = lines.find((l) => l.msg === "upstream call" && l.api === "token");
    expect(tokenCall).toMatchObject({ level: 30, status: 201, attempts: 1 });
    expect(typeof tokenCall!.requestId).toBe("string");
    expect(tokenCall!.requestId).not.toBe("req-info-42");

    // The simulator hands the same card the same token while it is fresh: the one the subgraph is holding.
    const correiosToken = await cardToken(hi.sim, DEMO);
    const all = hi.logs.join("\n");
    expect(all).not.toContain(DEMO.accessCode);
    expect(all).not.toContain(basic(DEMO.login, DEMO.accessCode).slice("Basic ".length));
    expect(all).not.toContain(correiosToken);
    expect(all).not.toContain(client);
    expect(all).not.toMatch(/Bearer /i);
  });
});
