// The outbound path and a return, as a shop's back office would drive it over GraphQL: quote → createPosting →
// requestLabels → the PDF → track, then createReturn. Run by the demo once the servers are up; prints what it did,
// and `pasteableQueries` gives the same reads as curl commands against the gateway.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { print } from "graphql";
import {
  CreatePostingDocument,
  CreateReturnDocument,
  LabelJobDocument,
  PostingWithShipmentDocument,
  QuotesDocument,
  RequestLabelsDocument,
} from "../test/generated/graphql.js";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { postingInput } from "../test/helpers/postings.js";

export interface Walkthrough {
  postingId: string;
  trackingCode: string;
  labelJobId: string;
  labelUrl: string;
  /** Where the label PDF was saved, when a folder was given. */
  pdfFile?: string;
  returnId: string;
  authorizationCode: string;
}

/** `saveDir`: the label PDF is written there (the subgraph's download path sits behind the router secret). */
export async function walkThroughPostings(url: string, headers: Record<string, string>, log: (line: string) => void, saveDir?: string): Promise<Walkthrough> {
  const gql = async <R, V>(doc: TypedDocumentNode<R, V>, variables: V): Promise<R> => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query: print(doc), variables }) });
    const body = (await res.json()) as { data?: R; errors?: Array<{ message: string }> };
    if (!body.data || body.errors) throw new Error(`walkthrough: ${body.errors?.map((e) => e.message).join("; ") ?? `HTTP ${res.status}`}`);
    return body.data;
  };
  const input = postingInput();
  const quotes = await gql(QuotesDocument, {
    input: { originCep: input.sender.address.cep, destinationCep: input.recipient.address.cep, package: input.package },
  });
  const cheapest = [...quotes.quotes].filter((q) => q.price).sort((a, b) => a.price!.cents - b.price!.cents)[0];
  log(`1. quote: ${quotes.quotes.length} services; cheapest ${cheapest?.serviceCode} at R$ ${cheapest?.price?.amount}`);

  const created = await gql(CreatePostingDocument, { input: { ...input, service: cheapest?.serviceCode ?? input.service } });
  const posting = created.createPosting.posting;
  if (!posting) throw new Error(`walkthrough: createPosting refused: ${JSON.stringify(created.createPosting.userErrors)}`);
  log(`2. createPosting: ${posting.id}, tracking code ${posting.trackingCode}, ${posting.status}, expires ${posting.expiresAt}`);

  const requested = await gql(RequestLabelsDocument, { input: { postingIds: [posting.id] } });
  const jobId = requested.requestLabels.labelJob!.id;
  let job = requested.requestLabels.labelJob!;
  for (let i = 0; i < 100 && job.status === "PENDING"; i++) {
    await new Promise((r) => setTimeout(r, 200));
    job = (await gql(LabelJobDocument, { id: jobId })).labelJob!;
  }
  if (job.status !== "READY" || !job.downloadUrl) throw new Error(`walkthrough: label job ${jobId} is ${job.status}: ${job.error ?? "not ready after 20 s"}`);
  // What an admin screen behind the router opens: GET {subgraph}/labels/{job}.pdf with the same headers as /graphql.
  const pdf = await fetch(new URL(job.downloadUrl, url), { headers });
  if (pdf.status !== 200 || pdf.headers.get("content-type") !== "application/pdf") throw new Error(`walkthrough: ${job.downloadUrl} answered HTTP ${pdf.status}`);
  const bytes = Buffer.from(await pdf.arrayBuffer());
  let pdfFile: string | undefined;
  if (saveDir) {
    mkdirSync(saveDir, { recursive: true });
    pdfFile = join(saveDir, `${jobId}.pdf`);
    writeFileSync(pdfFile, bytes);
  }
  log(`3. requestLabels: job ${jobId} READY; PDF at ${job.downloadUrl} on the subgraph (${bytes.length} bytes${pdfFile ? `, saved to ${pdfFile}` : ""})`);

  const tracked = await gql(PostingWithShipmentDocument, { id: posting.id });
  log(`4. track: ${tracked.posting?.shipment?.code} is ${tracked.posting?.shipment?.status}`);

  const ret = await gql(CreateReturnDocument, {
    input: {
      idempotencyKey: `${input.idempotencyKey}-return`,
      service: "03301",
      customer: input.recipient,
      package: input.package,
      declaredContent: [{ description: "Camiseta de algodão (troca)", quantity: 1, unitValue: "49.90" }],
      mode: "DROP_OFF",
      originalTrackingCode: posting.trackingCode,
    },
  });
  const auth = ret.createReturn.returnAuthorization;
  if (!auth) throw new Error(`walkthrough: createReturn refused: ${JSON.stringify(ret.createReturn.userErrors)}`);
  log(`5. createReturn: authorization ${auth.authorizationCode}, valid until ${auth.validUntil}, return parcel ${auth.trackingCode}`);
  return { postingId: posting.id, trackingCode: posting.trackingCode!, labelJobId: jobId, labelUrl: job.downloadUrl, pdfFile, returnId: auth.id, authorizationCode: auth.authorizationCode ?? "" };
}

/** One curl line a user can paste: the GraphQL body in single quotes (the queries hold none), ids as variables. */
function curl(gatewayUrl: string, headers: string[], query: string, variables?: Record<string, unknown>): string {
  const body = JSON.stringify(variables ? { query, variables } : { query });
  return `curl -s ${gatewayUrl} -H 'content-type: application/json' ${headers.map((h) => `-H ${h}`).join(" ")} --data '${body}'`;
}

/**
 * The walkthrough's reads, and a createPosting, as curl commands against the gateway. Postings are per client and
 * need the client's own token (the gateway forwards `authorization`); `npm run token` signs one with the secret the
 * demo keeps in `dataDir`.
 */
export function pasteableQueries(gatewayUrl: string, clientId: string, dataDir: string, w: Walkthrough): string[] {
  const auth = [`'x-client-id: ${clientId}'`, `"authorization: Bearer $TOKEN"`];
  // New for each demo run: the data folder outlives it, and an old key would answer with an old run's posting.
  const input = { ...postingInput(), idempotencyKey: `demo-curl-${Date.now().toString(36)}` };
  return [
    "A client token for the postings queries (valid 1 h; the demo's secret is in its data folder):",
    "",
    `  TOKEN=$(DATA_DIR=${dataDir} npm run -s token -- --role client --client-id ${clientId} --expires 1h)`,
    "",
    "The posting, its parcel as Correios tracks it, and its label job:",
    "",
    `  ${curl(gatewayUrl, auth, "query($id: ID!) { posting(id: $id) { id trackingCode status expiresAt shipment { code status lastEvent { description time } } } }", { id: w.postingId })}`,
    "",
    `  ${curl(gatewayUrl, auth, "query($id: ID!) { labelJob(id: $id) { id status downloadUrl pdf { byteLength } } }", { id: w.labelJobId })}`,
    "",
    `  (the PDF itself: labelJob { pdf { base64 } }, or GET ${w.labelUrl} on the subgraph behind the router${w.pdfFile ? `; this one is saved at ${w.pdfFile}` : ""})`,
    "",
    "The return and the code the customer shows at the agency:",
    "",
    `  ${curl(gatewayUrl, auth, "query($id: ID!) { returnAuthorization(id: $id) { id authorizationCode validUntil mode status trackingCode originalTrackingCode } }", { id: w.returnId })}`,
    "",
    "A posting of your own (paste it twice: the same idempotency key returns the same posting, never a second one):",
    "",
    `  ${curl(gatewayUrl, auth, "mutation($input: CreatePostingInput!) { createPosting(input: $input) { posting { id trackingCode status } userErrors { field code message } } }", { input })}`,
  ];
}
