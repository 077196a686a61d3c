// Pre-postings the simulator has accepted, and their label jobs. A record belongs to the login and posting card of
// the token that created it; every lookup for another client is "not found".
//
// Statuses (Correios' numbers): 1 PREATENDIDO, 2 PREPOSTADO, 3 POSTADO, 4 EXPIRADO, 5 CANCELADO, 6 ESTORNADO. A new
// record is PREPOSTADO; it becomes EXPIRADO when read after its posting deadline (end of the 7th calendar day after
// creation, Brasília time; for reverse logistics, the end of dataValidadeLogReversa), or at once through the control
// route; POSTADO only through the control route (the hand-over at an agency); CANCELADO through DELETE.
//
// Object codes: prefix by service (SEDEX family AB, PAC QB, Mini Envios AN, PAC REVERSO QC, SEDEX reverse OB),
// serial (7 000 000 + n) × 10 + 4, so the last serial digit is 4 and the tracking API answers them with the POSTED
// history of tracking-histories.ts (one "Objeto postado" event). Tracking is derived from the code alone: it does not
// consult this store, so a code tracks the same before and after the control route posts it.

import { randomInt, randomUUID } from "node:crypto";
import { DAY_MS, HOUR_MS, brasiliaToday } from "./local-time.js";
import { objectCode } from "./object-codes.js";
import type { PrepostRequest } from "./prepost-checks.js";

export const STATUS = { PREATENDIDO: 1, PREPOSTADO: 2, POSTADO: 3, EXPIRADO: 4, CANCELADO: 5, ESTORNADO: 6 } as const;
export type StatusCode = (typeof STATUS)[keyof typeof STATUS];
export const STATUS_NAME: Record<StatusCode, string> = {
  1: "PREATENDIDO", 2: "PREPOSTADO", 3: "POSTADO", 4: "EXPIRADO", 5: "CANCELADO", 6: "ESTORNADO",
};
export const STATUS_DESCRIPTION: Record<StatusCode, string> = {
  1: "Preatendido", 2: "Prepostado", 3: "Postado", 4: "Expirado", 5: "Cancelado", 6: "Estornado",
};

/** The first allocation number; serials are (CODE_BASE + n) × 10 + 4. */
export const CODE_BASE = 7_000_000;
export const POSTING_DAYS = 7;
const OFFSET_MS = 3 * HOUR_MS;
const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export interface StatusChange {
  status: StatusCode;
  atMs: number;
}

export interface Posting {
  atMs: number;
  /** Weighed at the agency. */
  weightG: number;
  /** The weighed or the cubic weight, whichever is charged. */
  chargedWeightG: number;
  cepAgencia: string;
  numeroAtendimento: string;
}

export interface PrepostRecord {
  id: string;
  code: string;
  login: string;
  card: string;
  request: PrepostRequest;
  createdAtMs: number;
  /** The instant the record expires if still PREPOSTADO. */
  deadlineMs: number;
  history: StatusChange[];
  eticket?: string;
  nuColeta?: string;
  posting?: Posting;
  cancelReceipt?: string;
}

export interface Owner {
  login: string;
  card: string;
}

export interface LabelJob {
  idRecibo: string;
  owner: Owner;
  ids: string[];
  tipoRotulo: "P" | "R";
  formatoRotulo: "ET" | "EV";
  imprimeRemetente: boolean;
  layoutImpressao: string;
  polls: number;
  pdf?: Promise<Buffer>;
}

export class PrepostStore {
  private readonly byId = new Map<string, PrepostRecord>();
  private readonly idByCode = new Map<string, string>();
  private readonly labelJobs = new Map<string, LabelJob>();
  private seq = 0;

  create(owner: Owner, request: PrepostRequest, nowMs = Date.now()): PrepostRecord {
    const n = this.seq++;
    const today = brasiliaToday(nowMs);
    // Reverse authorizations last until dataValidadeLogReversa; other pre-postings 7 calendar days.
    const lastDay = request.reverse ? request.reverseValidUntil! : today + POSTING_DAYS * DAY_MS;
    const record: PrepostRecord = {
      id: newId(),
      code: objectCode(prefixFor(request.codigoServico), (CODE_BASE + n) * 10 + 4),
      login: owner.login,
      card: owner.card,
      request,
      createdAtMs: nowMs,
      deadlineMs: lastDay + DAY_MS - 1000 + OFFSET_MS,
      history: [{ status: STATUS.PREPOSTADO, atMs: nowMs }],
      ...(request.reverse ? { eticket: String(3_100_000_000 + n) } : {}),
      ...(request.pickup ? { nuColeta: String(700_000_000 + n) } : {}),
    };
    this.byId.set(record.id, record);
    this.idByCode.set(record.code, record.id);
    return record;
  }

  /** By pre-posting id or object code, only for its owner; applies a due expiry first. */
  find(ref: string, owner: Owner | undefined, nowMs = Date.now()): PrepostRecord | undefined {
    const record = this.byId.get(ref) ?? this.byId.get(this.idByCode.get(ref.toUpperCase()) ?? "");
    if (!record || (owner && (record.login !== owner.login || record.card !== owner.card))) return undefined;
    return this.refresh(record, nowMs);
  }

  /** The owner's records, newest first, after due expiries. */
  list(owner: Owner, nowMs = Date.now()): PrepostRecord[] {
    return [...this.byId.values()]
      .filter((r) => r.login === owner.login && r.card === owner.card)
      .map((r) => this.refresh(r, nowMs))
      .reverse();
  }

  all(nowMs = Date.now()): PrepostRecord[] {
    return [...this.byId.values()].map((r) => this.refresh(r, nowMs));
  }

  status(record: PrepostRecord): StatusCode {
    return record.history.at(-1)!.status;
  }

  post(record: PrepostRecord, posting: Omit<Posting, "atMs">, nowMs = Date.now()): void {
    record.posting = { ...posting, atMs: nowMs };
    record.history.push({ status: STATUS.POSTADO, atMs: nowMs });
  }

  expire(record: PrepostRecord, nowMs = Date.now()): void {
    record.history.push({ status: STATUS.EXPIRADO, atMs: Math.min(nowMs, record.deadlineMs) });
  }

  cancel(record: PrepostRecord, nowMs = Date.now()): string {
    record.cancelReceipt = randomUUID();
    record.history.push({ status: STATUS.CANCELADO, atMs: nowMs });
    return record.cancelReceipt;
  }

  addLabelJob(job: Omit<LabelJob, "idRecibo" | "polls">): LabelJob {
    const full: LabelJob = { ...job, idRecibo: randomUUID().replace(/-/g, ""), polls: 0 };
    this.labelJobs.set(full.idRecibo, full);
    return full;
  }

  labelJob(idRecibo: string, owner: Owner): LabelJob | undefined {
    const job = this.labelJobs.get(idRecibo);
    return job && job.owner.login === owner.login && job.owner.card === owner.card ? job : undefined;
  }

  private refresh(record: PrepostRecord, nowMs: number): PrepostRecord {
    if (this.status(record) === STATUS.PREPOSTADO && nowMs > record.deadlineMs) this.expire(record, nowMs);
    return record;
  }
}

function newId(): string {
  let id = "PR";
  for (let i = 0; i < 22; i++) id += ID_CHARS[randomInt(ID_CHARS.length)];
  return id;
}

function prefixFor(service: string): string {
  if (service === "04227") return "AN";
  if (service === "03301") return "QC";
  if (["03174", "03182", "03190", "03247"].includes(service)) return "OB";
  if (["03220", "03140", "03158", "03204", "03212", "04162", "04014"].includes(service)) return "AB";
  return "QB";
}
