// A token close to its expiry is renewed before it runs out, once, and not on every call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTrackingCode } from "../src/correios/domain/formats.js";
import { RegisterCredentialDocument, TrackShipmentDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";

let h: Harness;
beforeAll(async () => {
  // Tokens live 6 s at the simulator; the subgraph renews 4 s before expiry, i.e. after ~2 s.
  h = await startHarness({ env: { DEFAULT_CLIENT_ID: "renew", TOKEN_RENEW_MARGIN_SECONDS: "4", TRACKING_TTL_FINAL_SECONDS: "0", TRACKING_TTL_ACTIVE_SECONDS: "0" } });
  h.sim.setConfig({ tokenTtlSeconds: 6, tokenReuseWindowSeconds: 0 });
  await h.gql(RegisterCredentialDocument, { input: registerInput("renew", undefined, { verify: false }) });
});
afterAll(() => h.close());

describe("token renewal", () => {
  it("reuses the token until the renewal margin, then fetches a new one once", async () => {
    const track = (n: number) => h.gql(TrackShipmentDocument, { code: buildTrackingCode("AA", 70_000 + n) }, { token: null });
    h.sim.reset();
    for (let i = 0; i < 5; i++) expect((await track(i)).errors).toBeUndefined();
    expect(h.sim.counts().token).toBe(1);
    await new Promise((r) => setTimeout(r, 2300));
    for (let i = 5; i < 10; i++) expect((await track(i)).errors).toBeUndefined();
    expect(h.sim.counts().token).toBe(2);
  });
});
