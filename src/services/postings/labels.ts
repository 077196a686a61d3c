// Label PDFs: Correios makes them asynchronously (a receipt, then downloads until ready). The subgraph polls itself
// with exponential backoff and a bounded total time, keeps the PDF in the store, and answers reads from there. A job
// found PENDING with no poller in this process (after a restart, or made by another replica) is polled on read.
import type { Logger } from "pino";
import type { PrepostClient } from "../../correios/client/prepost.js";
import type { LabelLayout, LabelType } from "../../correios/domain/posting-rules.js";
import type { TokenManager } from "../../upstream/token-manager.js";
import type { OwnedRecords, StoredLabelJob, StoredPosting } from "../../store/postings.js";
import type { CredentialService } from "../credentials.js";
import type { UserError } from "../user-errors.js";
import { newJobId } from "./postings.js";

export interface LabelOptions {
  /** First wait before asking whether the PDF is ready; doubles after each "not yet" up to maxIntervalMs. */
  firstPollMs: number;
  maxIntervalMs: number;
  /** After this long the job is FAILED (Correios never produced the PDF). */
  maxTotalMs: number;
  /** Postings per label request (Correios' limit is not documented; peers send one page of a list). */
  maxPerRequest: number;
}

export interface LabelDeps {
  logger: Logger;
  jobs: OwnedRecords<StoredLabelJob>;
  postings: OwnedRecords<StoredPosting>;
  client: PrepostClient;
  tokens: TokenManager;
  credentials: CredentialService;
  options: LabelOptions;
}

export class LabelService {
  private readonly polling = new Map<string, Promise<void>>();
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly d: LabelDeps) {}

  async request(clientId: string, input: { postingIds: string[]; layout?: LabelLayout | null; type?: LabelType | null }): Promise<{ job: StoredLabelJob | null; userErrors: UserError[] }> {
    const ids = [...new Set(input.postingIds ?? [])];
    const userErrors: UserError[] = [];
    if (ids.length === 0) userErrors.push({ field: "input.postingIds", code: "REQUIRED", message: "Give at least one posting id." });
    if (ids.length > this.d.options.maxPerRequest) {
      userErrors.push({ field: "input.postingIds", code: "TOO_MANY", message: `At most ${this.d.options.maxPerRequest} postings per label request; ${ids.length} were given.` });
    }
    if (userErrors.length) return { job: null, userErrors };
    // Only the client that created a posting can print it (Correios' rule too): another's id is simply not found.
    const found = await Promise.all(ids.map((id) => this.d.postings.get(id, clientId)));
    found.forEach((p, i) => {
      if (!p) userErrors.push({ field: `input.postingIds[${i}]`, code: "NOT_FOUND", message: `No posting ${ids[i]!.slice(0, 40)} for this client.` });
      else if (p.status !== "PRE_POSTED" && p.status !== "PRE_ATTENDED" && p.status !== "POSTED") {
        userErrors.push({ field: `input.postingIds[${i}]`, code: "NOT_PRINTABLE", message: `Posting ${p.id} is ${p.status}: no label can be printed.` });
      }
    });
    if (userErrors.length) return { job: null, userErrors };
    const credential = await this.d.credentials.usable(clientId);
    const receipt = await this.d.tokens.withToken(this.d.credentials.tokenSubject(credential), (token) =>
      this.d.client.requestLabels(token, { ids, postingCard: credential.postingCard, apiLogin: credential.apiLogin, layout: input.layout ?? "STANDARD", type: input.type ?? "STANDARD" }),
    );
    const now = new Date();
    const job: StoredLabelJob = {
      id: newJobId(),
      clientId,
      postingIds: ids,
      receipt,
      status: "PENDING",
      polls: 0,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      deadline: now.getTime() + this.d.options.maxTotalMs,
    };
    await this.d.jobs.save(job);
    this.startPolling(job, this.d.options.firstPollMs);
    return { job, userErrors: [] };
  }

  async get(id: string, owner: string | undefined): Promise<StoredLabelJob | undefined> {
    if (typeof id !== "string" || !/^LJ[0-9a-f]{32}$/.test(id)) return undefined;
    const job = await this.d.jobs.get(id, owner);
    if (job?.status === "PENDING" && !this.polling.has(job.id)) this.startPolling(job, 0);
    return job;
  }

  private startPolling(job: StoredLabelJob, firstDelay: number): void {
    if (this.closed || this.polling.has(job.id)) return;
    const run = this.pollUntilDone(job, firstDelay).finally(() => this.polling.delete(job.id));
    this.polling.set(job.id, run);
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      t.unref();
      this.timers.add(t);
    });
  }

  private async pollUntilDone(start: StoredLabelJob, firstDelay: number): Promise<void> {
    let job = start;
    let interval = Math.max(firstDelay, 0);
    while (!this.closed && job.status === "PENDING") {
      await this.wait(interval);
      if (this.closed) return;
      interval = Math.min(Math.max(interval * 2, this.d.options.firstPollMs), this.d.options.maxIntervalMs);
      try {
        const credential = await this.d.credentials.usable(job.clientId);
        const answer = await this.d.tokens.withToken(this.d.credentials.tokenSubject(credential), (token) => this.d.client.downloadLabels(token, job.receipt));
        job = { ...job, polls: job.polls + 1, updatedAt: new Date().toISOString() };
        if (answer.ready) {
          job = { ...job, status: "READY", fileName: answer.fileName, pdfBase64: answer.base64 };
        } else if (Date.now() >= job.deadline) {
          job = { ...job, status: "FAILED", error: `Correios did not produce the label within ${Math.round(this.d.options.maxTotalMs / 1000)} s (last answer: ${answer.message.slice(0, 200)}).` };
        }
      } catch (e) {
        job = { ...job, polls: job.polls + 1, updatedAt: new Date().toISOString() };
        if (Date.now() >= job.deadline) job = { ...job, status: "FAILED", error: `Correios label download kept failing: ${String((e as Error).message ?? e).slice(0, 200)}` };
        this.d.logger.warn({ err: String(e), job: job.id }, "label poll failed; will retry");
      }
      try {
        await this.d.jobs.save(job);
      } catch (e) {
        this.d.logger.warn({ err: String(e), job: job.id }, "label job could not be saved; will retry");
      }
    }
  }

  /** Waits for running polls (tests, benchmarks); resolves when none is left. */
  async settle(): Promise<void> {
    while (this.polling.size) await Promise.all([...this.polling.values()]);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
