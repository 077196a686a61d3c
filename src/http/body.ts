// Request bodies: bounded (413 at once past MAX_BODY_BYTES, the rest never read, the connection closed after the
// answer), and JSON parsed when the content type says so.
import type { IncomingMessage, ServerResponse } from "node:http";
import { headerOf, sendGraphQLError } from "./respond.js";

export type BodyResult = { ok: true; body: unknown } | { ok: false };

/** The parsed body of a GraphQL POST (undefined for GET); { ok: false } once an error answer has been sent. */
export async function readGraphQLBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<BodyResult> {
  if (req.method !== "POST") return { ok: true, body: undefined };
  const raw = await readBody(req, limit);
  if (raw === undefined) {
    // Answered before the body ends, which is then never read: the connection cannot serve another request, so
    // it is closed once the answer is out.
    res.setHeader("connection", "close");
    res.once("finish", () => req.destroy());
    sendGraphQLError(res, 413, `Request body is larger than ${limit} bytes.`, "PAYLOAD_TOO_LARGE");
    return { ok: false };
  }
  const type = headerOf(req, "content-type") ?? "";
  if (!type.includes("json")) return { ok: true, body: raw };
  try {
    return { ok: true, body: raw.length ? JSON.parse(raw) : undefined };
  } catch {
    sendGraphQLError(res, 400, "The request body is not valid JSON.", "BAD_REQUEST");
    return { ok: false };
  }
}

/** The body as text, or undefined as soon as it passes `limit` bytes: the rest is left unread (see the 413 above). */
export function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (declared > limit) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off("data", onData).off("end", onEnd).pause();
        chunks.length = 0;
        return resolve(undefined);
      }
      chunks.push(c);
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString("utf8"));
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}
