// The outbound path and a return, as a shop's back office would drive it over GraphQL: quote → createPosting →
// requestLabels → the PDF → track, then createReturn. Run by the demo once the servers are up; prints what it did
// and the queries to paste.
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
  labelUrl: string;
  authorizationCode: string;
}

export async function walkThroughPostings(url: string, headers: Record<string, string>, log: (line: string) => void): Promise<Walkthrough> {
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
  log(`3. requestLabels: job ${jobId} ${job.status}; PDF at ${new URL(job.downloadUrl ?? "", url).href} (bearer token as for /graphql)`);

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
  return { postingId: posting.id, trackingCode: posting.trackingCode!, labelUrl: job.downloadUrl ?? "", authorizationCode: auth.authorizationCode ?? "" };
}
