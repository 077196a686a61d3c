// Postings, return authorizations, label jobs and idempotency records, one keyv namespace each. Records are plain
// JSON owned by one client; every read checks the owner, so one tenant never reads another's record by id.
import type { Keyv } from "keyv";
import type { PostingStatus } from "../correios/domain/posting-rules.js";
import type { PostingRequest } from "../correios/domain/posting.js";

export interface StoredPosting {
  id: string;
  clientId: string;
  kind: "OUTBOUND" | "RETURN";
  trackingCode?: string;
  status: PostingStatus | "UNKNOWN";
  statusHistory: Array<{ status: PostingStatus | "UNKNOWN"; at?: string }>;
  request: PostingRequest;
  priceCents?: number;
  chargedCents?: number;
  postedAt?: string;
  createdAt: string;
  expiresAt: string;
  refreshedAt: string;
  cancelReason?: string;
  /** Returns only. */
  reverse?: { mode: "DROP_OFF" | "PICKUP"; validUntil: string; authorizationCode?: string; eticket?: string; collectionNumber?: string; originalTrackingCode?: string };
}

export interface StoredLabelJob {
  id: string;
  clientId: string;
  postingIds: string[];
  receipt: string;
  status: "PENDING" | "READY" | "FAILED";
  polls: number;
  createdAt: string;
  updatedAt: string;
  /** When the poller gives up (LABEL_POLL_MAX_MS after creation). */
  deadline: number;
  error?: string;
  fileName?: string;
  pdfBase64?: string;
}

export type IdempotencyRecord =
  | { state: "PENDING"; fingerprint: string; startedAt: string }
  | { state: "DONE"; fingerprint: string; resultId: string }
  | { state: "IN_DOUBT"; fingerprint: string; reason: string };

/** A keyv namespace of records with an owner, listed by iterating (the volumes here are a shop's postings). */
export class OwnedRecords<T extends { id: string; clientId: string }> {
  constructor(private readonly kv: Keyv) {}

  async get(id: string, clientId?: string): Promise<T | undefined> {
    const r = (await this.kv.get(id)) as T | undefined;
    if (!r || (clientId !== undefined && r.clientId !== clientId)) return undefined;
    return r;
  }

  async save(r: T): Promise<void> {
    const ok = await this.kv.set(r.id, r);
    if (!ok) throw new Error("The store refused to save the record");
  }

  async list(clientId?: string): Promise<T[]> {
    if (!this.kv.iterator) throw new Error("The configured store cannot list keys");
    const out: T[] = [];
    for await (const [, value] of this.kv.iterator(this.kv.namespace)) {
      const r = value as T | undefined;
      if (r && (clientId === undefined || r.clientId === clientId)) out.push(r);
    }
    return out;
  }
}

export class IdempotencyRecords {
  constructor(private readonly kv: Keyv) {}

  private key(scope: string, clientId: string, key: string): string {
    return `${scope}:${clientId}:${key}`;
  }

  async get(scope: string, clientId: string, key: string): Promise<IdempotencyRecord | undefined> {
    return (await this.kv.get(this.key(scope, clientId, key))) as IdempotencyRecord | undefined;
  }

  async set(scope: string, clientId: string, key: string, r: IdempotencyRecord): Promise<void> {
    const ok = await this.kv.set(this.key(scope, clientId, key), r);
    if (!ok) throw new Error("The store refused to save the idempotency record");
  }

  async delete(scope: string, clientId: string, key: string): Promise<void> {
    await this.kv.delete(this.key(scope, clientId, key));
  }
}
