// Labels for 100 postings: the upstream calls a label job costs (one asynchronous request, then downloads until the
// PDF is ready) against the fewest the API allows, and the time from requestLabels to READY.
import { BenchCreatePostingDocument, BenchLabelJobDocument, BenchRequestLabelsDocument } from "../../test/generated/graphql.js";
import { postingInput } from "../../test/helpers/postings.js";
import type { BenchContext } from "../lib/context.js";
import { round } from "../lib/load.js";
import { ms, type ScenarioResult } from "../lib/report.js";
import { CLIENT_ID, startStack } from "../lib/stack.js";

/** The simulator answers "not ready yet" to this many downloads of a receipt (set below), then the PDF. */
const PENDING_POLLS = 2;
const FIRST_POLL_MS = 200;
/** LABELS_PER_REQUEST's default: postings the subgraph puts in one Correios label request. */
const LABELS_PER_REQUEST = 100;

export interface LabelsData {
  postings: number;
  labelRequests: number;
  downloads: number;
  floor: number;
  readyMs: number;
  /** When the last (PDF) download reached the simulator, ms after requestLabels was sent: the rest is drawing the PDF. */
  lastDownloadMs: number;
  pdfBytes: number;
}

export async function run(ctx: BenchContext): Promise<ScenarioResult<LabelsData>> {
  const s = ctx.settings;
  const n = s.smoke ? 10 : 100;
  const stack = await startStack({
    latencyMs: s.latencyMs,
    env: { LABEL_FIRST_POLL_MS: String(FIRST_POLL_MS), LABEL_POLL_MAX_INTERVAL_MS: "2000", LABELS_PER_REQUEST: String(LABELS_PER_REQUEST) },
  });
  stack.sim.setConfig({ labelPendingPolls: PENDING_POLLS });
  try {
    ctx.log(`labels: creating ${n} postings`);
    const ids: string[] = [];
    for (let i = 0; i < n; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, n - i) }, () => stack.gql(BenchCreatePostingDocument, { input: { ...postingInput(), clientId: CLIENT_ID } }, { operator: true })),
      );
      for (const r of batch) {
        const id = r.data?.createPosting.posting?.id;
        if (!id) throw new Error(`labels: create failed ${JSON.stringify(r.errors?.[0] ?? r.data?.createPosting.userErrors)}`);
        ids.push(id);
      }
    }
    stack.sim.reset();
    const started = performance.now();
    const startedAt = Date.now();
    const req = await stack.gql(BenchRequestLabelsDocument, { input: { clientId: CLIENT_ID, postingIds: ids } }, { operator: true });
    const jobId = req.data?.requestLabels.labelJob?.id;
    if (!jobId) throw new Error(`labels: request failed ${JSON.stringify(req.errors?.[0] ?? req.data?.requestLabels.userErrors)}`);
    let pdfBytes = 0;
    for (;;) {
      const j = (await stack.gql(BenchLabelJobDocument, { id: jobId }, { operator: true })).data?.labelJob;
      if (j?.status === "READY") {
        pdfBytes = j.pdf?.byteLength ?? 0;
        break;
      }
      if (j?.status === "FAILED" || performance.now() - started > 60_000) throw new Error(`labels: job ${j?.status} ${j?.error}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const readyMs = round(performance.now() - started, 1);
    const calls = stack.sim.requests().filter((r) => r.endpoint === "labels");
    const labelRequests = calls.filter((r) => r.method === "POST").length;
    const downloads = calls.filter((r) => r.method === "GET").length;
    const lastDownloadMs = Math.max(0, Date.parse(calls.filter((r) => r.method === "GET").at(-1)?.at ?? "") - startedAt) || 0;
    // Each request of up to LABELS_PER_REQUEST postings is one receipt, then its "not ready" downloads and the PDF.
    const receipts = Math.ceil(n / LABELS_PER_REQUEST);
    const floor = receipts * (1 + PENDING_POLLS + 1);
    return {
      scenario: "labels",
      title: `Labels for ${n} postings in one job, simulator latency ${s.latencyMs} ms, first poll after ${FIRST_POLL_MS} ms`,
      settings: s,
      data: { postings: n, labelRequests, downloads, floor, readyMs, lastDownloadMs, pdfBytes },
      tables: [
        {
          title: "Upstream calls of one label job",
          columns: ["postings", "label requests", "downloads", "total", "fewest the API allows", "ratio", "last download sent, ms", "ms to READY", "PDF bytes"],
          rows: [[n, labelRequests, downloads, labelRequests + downloads, floor, round((labelRequests + downloads) / floor, 2), lastDownloadMs, ms(readyMs), pdfBytes]],
        },
      ],
      checks: [{ target: "label calls at the API's floor (1 request + downloads until ready)", value: `${labelRequests + downloads} vs ${floor}`, met: labelRequests + downloads === floor }],
      notes: [
        `The floor: ${receipts} label request (all ${n} postings fit one: LABELS_PER_REQUEST ${LABELS_PER_REQUEST}) + ${PENDING_POLLS + 1} downloads (the simulator's labelPendingPolls ${PENDING_POLLS} "not ready" answers, then the PDF).`,
        `Time to READY is mostly the poll schedule: first download ${FIRST_POLL_MS} ms after the receipt, then doubling (LABEL_FIRST_POLL_MS, LABEL_POLL_MAX_INTERVAL_MS); after the last download, the simulator draws ${n} label pages (it shares the benchmark's process).`,
      ],
    };
  } finally {
    await stack.close();
  }
}
