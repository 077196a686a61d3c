// Files an admin screen opens directly: a label job's PDF (GET /labels/{jobId}.pdf) and a posting's content
// declaration (GET /postings/{id}/declaration.html). Same authentication as /graphql; a client reaches only its own.
import type { ServerResponse } from "node:http";
import type { AuthClaims } from "./auth.js";
import { toGraphQLError } from "../schema/errors.js";
import type { Services } from "../services/services.js";
import { sendGraphQLError } from "./respond.js";

const LABEL = /^\/labels\/(LJ[0-9a-f]{32})\.pdf$/;
const DECLARATION = /^\/postings\/(PR[A-Za-z0-9]{22})\/declaration\.html$/;

export function isDownloadPath(path: string): boolean {
  return LABEL.test(path) || DECLARATION.test(path);
}

export async function serveDownload(path: string, res: ServerResponse, auth: AuthClaims | undefined, services: Services): Promise<void> {
  if (!auth) return sendGraphQLError(res, 401, "Authentication required: send a valid bearer token.", "UNAUTHENTICATED");
  const owner = auth.role === "operator" ? undefined : auth.clientId;
  if (auth.role !== "operator" && !owner) return sendGraphQLError(res, 401, "This token names no client.", "UNAUTHENTICATED");
  try {
    const label = LABEL.exec(path);
    if (label) {
      const job = await services.labels.get(label[1]!, owner);
      if (!job) return sendGraphQLError(res, 404, "No such label job for this client.", "NOT_FOUND");
      if (job.status !== "READY" || !job.pdfBase64) return sendGraphQLError(res, 409, `The label job is ${job.status}; ask again once it is READY.`, "LABEL_NOT_READY");
      const pdf = Buffer.from(job.pdfBase64, "base64");
      res.writeHead(200, {
        "content-type": "application/pdf",
        "content-length": pdf.length,
        "content-disposition": `inline; filename="${job.id}.pdf"`,
        "cache-control": "private, no-store",
      });
      return void res.end(pdf);
    }
    const declaration = DECLARATION.exec(path);
    const html = declaration ? await services.postings.declaration(declaration[1]!, owner) : undefined;
    if (html === undefined) return sendGraphQLError(res, 404, "No such posting for this client.", "NOT_FOUND");
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-length": Buffer.byteLength(html),
      // Correios' HTML is shown as a document of its own: no script of it may run in this origin.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      "cache-control": "private, no-store",
    });
    res.end(html);
  } catch (e) {
    const g = toGraphQLError(e);
    sendGraphQLError(res, 502, g.message, String(g.extensions.code ?? "INTERNAL_SERVER_ERROR"));
  }
}
