// A webhook receiver for tests: a real node:http server on 127.0.0.1, port 0, that records every request and answers
// as told: a status (200 by default; 500, 410, a redirect with headers), a huge body, no answer at all (hang), or
// held until the test releases it. Waits are for outcomes (N requests arrived), never for durations.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Reply =
  | number
  | "hang"
  | { status: number; headers?: Record<string, string>; /** Bytes of body to stream (a huge answer). */ bodyBytes?: number };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status answered, once the answer started; null while held or hanging. */
  answered: number | null;
  /** The whole answer was written (false when the sender dropped the connection first). */
  answerCompleted: boolean;
  /** The sender closed the connection before an answer was complete. */
  aborted: boolean;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Answers for the next requests, in order; after them, `fallback`. */
  reply(...replies: Reply[]): void;
  /** What requests get once the queued replies are used up (200 unless changed). */
  fallback(reply: Reply): void;
  /** Holds every request from now on until release(). */
  hold(): void;
  /** Answers the held requests (with their replies) and stops holding. */
  release(): void;
  /** Resolves once `n` requests have arrived (fails after `timeoutMs`). */
  waitForRequests(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const queue: Reply[] = [];
  let fallbackReply: Reply = 200;
  let holding = false;
  const held: Array<() => void> = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];

  function answer(reply: Reply, rec: ReceivedRequest, res: ServerResponse): void {
    if (reply === "hang") return;
    const r = typeof reply === "number" ? { status: reply } : reply;
    if (res.destroyed) return;
    rec.answered = r.status;
    res.on("close", () => {
      rec.answerCompleted = res.writableFinished;
      if (!res.writableFinished) rec.aborted = true;
    });
    res.writeHead(r.status, { "content-type": "text/plain", ...r.headers });
    if (!r.bodyBytes) return void res.end("ok");
    // Streams the body in 64 KB chunks, stopping when the sender hangs up.
    const chunk = Buffer.alloc(64 * 1024, "x");
    let left = r.bodyBytes;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        left -= chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      const rec: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
        answered: null,
        answerCompleted: false,
        aborted: false,
      };
      requests.push(rec);
      req.socket.on("close", () => {
        if (!rec.answerCompleted) rec.aborted = true;
      });
      const reply = queue.shift() ?? fallbackReply;
      if (holding) held.push(() => answer(reply, rec, res));
      else answer(reply, rec, res);
      for (const w of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hooks`,
    requests,
    reply: (...r) => void queue.push(...r),
    fallback: (r) => void (fallbackReply = r),
    hold: () => void (holding = true),
    release: () => {
      holding = false;
      for (const go of held.splice(0)) go();
    },
    waitForRequests(n, timeoutMs = 15_000) {
      if (requests.length >= n) return Promise.resolve(requests);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver: ${requests.length} of ${n} requests after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve(requests)) });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
