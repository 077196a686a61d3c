// Federated tracing (ftv1) as Apollo Router asks for it: the inline trace is in the answer only when the request
// carries `apollo-federation-include-trace: ftv1`, it holds the fields resolved, and the errors in it are masked as
// the answer masks them (no value that a variable or input quoted). The start-up line goes through our logger.
import { Trace } from "@apollo/usage-reporting-protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeForScenario } from "../simulator/index.js";
import { RegisterCredentialDocument, ShipmentStatusesDocument } from "./generated/graphql.js";
import { DEMO, registerInput } from "./helpers/fixtures.js";
import { startHarness, type Harness } from "./helpers/harness.js";

const FTV1 = { "apollo-federation-include-trace": "ftv1" };
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { DEFAULT_CLIENT_ID: "shop-ftv1" } });
  await h.gql(RegisterCredentialDocument, { input: registerInput("shop-ftv1", DEMO) });
});
afterAll(() => h?.close());

function decode(ftv1: unknown): Trace {
  expect(typeof ftv1).toBe("string");
  return Trace.decode(Buffer.from(ftv1 as string, "base64"));
}

/** Every error recorded in the trace tree, wherever it hangs. */
function traceErrors(trace: Trace): Array<{ message: string; json: string }> {
  const out: Array<{ message: string; json: string }> = [];
  const walk = (node: Trace.INode | null | undefined) => {
    if (!node) return;
    for (const e of node.error ?? []) out.push({ message: e.message ?? "", json: e.json ?? "" });
    for (const c of node.child ?? []) walk(c);
  };
  walk(trace.root);
  return out;
}

describe("ftv1 inline trace", () => {
  it("says at start-up, through our logger, that inline tracing is on", () => {
    const line = h.logs.map((l) => JSON.parse(l) as { msg: string; service?: string }).find((l) => l.msg.includes("Enabling inline tracing"));
    expect(line?.service).toBe("correios-subgraph");
  });

  it("is in the answer only when the request asks for it", async () => {
    const codes = [codeForScenario("DELIVERED", 8100), codeForScenario("IN_TRANSIT", 8101)];
    const plain = await h.gql(ShipmentStatusesDocument, { codes }, { token: null });
    expect(plain.errors).toBeUndefined();
    expect(plain.extensions?.ftv1).toBeUndefined();

    const traced = await h.gql(ShipmentStatusesDocument, { codes }, { token: null, headers: FTV1 });
    expect(traced.data).toEqual(plain.data);
    const trace = decode(traced.extensions?.ftv1);
    const top = trace.root?.child?.find((c) => c.responseName === "shipments");
    expect(top?.type).toBe("[Shipment]!");
    expect(top?.child?.map((c) => c.index)).toEqual([0, 1]);
    expect(Number(trace.durationNs)).toBeGreaterThan(0);
  });

  it("a resolver's error is in the trace with the answer's message and code, not <masked>", async () => {
    const res = await h.gql(ShipmentStatusesDocument, { codes: ["NOT A CODE"] }, { token: null, headers: FTV1 });
    const answered = res.errors![0]!;
    expect(answered.extensions!.code).toBe("BAD_USER_INPUT");
    const [recorded] = traceErrors(decode(res.extensions?.ftv1));
    expect(recorded!.message).toBe(answered.message);
    expect(JSON.parse(recorded!.json).extensions.code).toBe("BAD_USER_INPUT");
  });

  it("a variable that quotes a secret: the trace's error drops the value as the answer does", async () => {
    const secret = 918273645546372;
    const res = await h.gql(
      "mutation R($input: RegisterCredentialInput!) { registerCredential(input: $input) { userErrors { message } } }",
      { input: { ...registerInput("shop-ftv1"), accessCode: secret } },
      { headers: FTV1 },
    );
    const answered = res.errors![0]!;
    expect(answered.message).toMatch(/^Variable "\$input" got invalid value at "input\.accessCode"/);
    expect(answered.message).not.toContain(String(secret));
    const errors = traceErrors(decode(res.extensions?.ftv1));
    expect(errors.map((e) => e.message)).toEqual([answered.message]);
    expect(errors[0]!.json).not.toContain(String(secret));
  });
});
