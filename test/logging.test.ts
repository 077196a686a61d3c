// Logs are JSON lines with a request id, the client id and upstream timings; secrets never appear.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegisterCredentialDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";

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
