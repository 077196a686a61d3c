import { describe, expect, it } from "vitest";
import { buildSubgraph } from "../../src/schema/build.js";
import { TRACKING_QUERY_RESOLVERS } from "../../src/schema/shipment.js";

describe("tracking queries", () => {
  it("run without type-graphql's handler, and keep the arguments the decorators declare", async () => {
    const schema = await buildSubgraph();
    const fields = schema.getQueryType()!.getFields();
    expect(fields.shipments!.resolve).toBe(TRACKING_QUERY_RESOLVERS.shipments);
    expect(fields.shipment!.resolve).toBe(TRACKING_QUERY_RESOLVERS.shipment);
    expect(fields.shipments!.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(["codes: [String!]!"]);
    expect(fields.shipment!.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(["code: String!"]);
  });
});
