// schema.graphql is exactly what the code serves; the subgraph speaks Federation 2.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitSubgraphSdl } from "../src/schema/sdl.js";
import { RegisterCredentialDocument, ServiceSdlDocument, ShipmentEntitiesDocument } from "./generated/graphql.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { registerInput } from "./helpers/fixtures.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { DEFAULT_CLIENT_ID: "shop" } });
  await h.gql(RegisterCredentialDocument, { input: registerInput("shop") });
});
afterAll(() => h.close());

describe("schema", () => {
  it("schema.graphql matches the emitted SDL (run `npm run schema` after changing the schema)", async () => {
    const committed = readFileSync(new URL("../schema.graphql", import.meta.url), "utf8");
    expect(committed).toBe(await emitSubgraphSdl());
  });

  it("_service { sdl } carries the Federation 2 link and the Shipment key", async () => {
    const res = await h.gql(ServiceSdlDocument, {}, { token: null });
    const sdl = res.data!._service.sdl!;
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    expect(sdl).toMatch(/type Shipment\s+@key\(fields: "code"\)/);
    expect(`${sdl.trim()}\n`).toBe(await emitSubgraphSdl());
  });

  it("_entities resolves Shipment representations in one batch; a bad code fails only its entity", async () => {
    h.sim.reset();
    const res = await h.gql(
      ShipmentEntitiesDocument,
      {
        representations: [
          { __typename: "Shipment", code: "AA000000005BR" },
          { __typename: "Shipment", code: "nope" },
          { __typename: "Shipment", code: "AA000000093BR" },
        ],
      },
      { token: null },
    );
    expect(res.data!._entities).toEqual([
      { code: "AA000000005BR", status: "DELIVERED", delivered: true, stale: false },
      null,
      { code: "AA000000093BR", status: "NOT_FOUND", delivered: false, stale: false },
    ]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ["_entities", 1], extensions: { code: "BAD_USER_INPUT" } });
    expect(h.sim.counts().tracking).toBe(1);
  });
});
