// Webhook endpoints ("webhooks" namespace) and their deliveries ("deliveries" namespace). An endpoint's signing
// secrets are sealed with the SecretBox, bound to the endpoint and the secret's creation time, so a sealed secret
// copied into another record fails to open. A client's endpoints are also kept in a small index record, so fanning a
// change out reads one key per endpoint instead of listing the namespace.
import type { Keyv } from "keyv";
import type { Locker } from "./locker.js";
import type { SecretBox } from "./secret-box.js";
import { StoreUnavailableError } from "./store-guard.js";

export type EndpointStatus = "ACTIVE" | "DISABLED";
export type DisabledReason = "GONE" | "FAILING";

export interface SealedSecret {
  sealed: string;
  createdAt: string;
  /** Set on the older secrets when a new one is made: they stop signing then. */
  expiresAt?: string;
}

export interface StoredEndpoint {
  id: string;
  clientId: string;
  url: string;
  /** WebhookEventType values (services/notifications/change.ts). */
  events: string[];
  description: string | null;
  status: EndpointStatus;
  disabledReason?: DisabledReason;
  disabledAt?: string;
  /** The first failed attempt since the last success: the endpoint is disabled once this is old enough. */
  failingSince?: string;
  /** Newest first. */
  secrets: SealedSecret[];
  createdAt: string;
  updatedAt: string;
}

export type DeliveryStatus = "PENDING" | "DELIVERED" | "FAILED";

export interface DeliveryAttempt {
  /** 1, 2, … over every attempt of the delivery, scheduled or asked for. */
  number: number;
  at: string;
  durationMs: number;
  statusCode: number | null;
  /** Why it failed (timeout, refused address, status); null on success. Never holds a secret or a signature. */
  error: string | null;
  success: boolean;
  trigger: "SCHEDULED" | "REDELIVERY";
}

export interface StoredDelivery {
  id: string;
  clientId: string;
  endpointId: string;
  /** The webhook-id header: the same on every attempt, so receivers can drop repeats. */
  messageId: string;
  /** The dotted event type sent, e.g. shipment.delivered or webhook.test. */
  type: string;
  changeId: string | null;
  code: string | null;
  /** The exact body sent on every attempt. */
  payload: string;
  status: DeliveryStatus;
  /** Why it ended FAILED (schedule exhausted, endpoint disabled or removed). */
  reason?: string;
  attempts: DeliveryAttempt[];
  createdAt: string;
  updatedAt: string;
  nextAttemptAt?: string;
  deliveredAt?: string;
}

/** The most attempts a delivery record keeps (the newest): the schedule has 11, redeliveries add more. */
const MAX_ATTEMPTS_KEPT = 50;
/** Deliveries are kept this long after their last change, then the store drops them. */
const DELIVERY_RETENTION_MS = 30 * 86_400_000;
const LOCK_TTL_MS = 10_000;
const LOCK_WAIT_MS = 10_000;

/**
 * Serializes read-modify-write of one key: in this process by chaining promises (the embedded locker does nothing),
 * across replicas by the store's locker (Redis SET NX).
 */
class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly locker: Locker) {}

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(async () => {
      const r = await this.locker.tryWithLock(`webhooks.${key}`, LOCK_TTL_MS, LOCK_WAIT_MS, fn);
      if (!r.ran) throw new StoreUnavailableError("store", `the lock on ${key} stayed busy`);
      return r.value;
    });
    this.tails.set(key, mine);
    try {
      return await mine;
    } finally {
      if (this.tails.get(key) === mine) this.tails.delete(key);
    }
  }
}

export class WebhookEndpointRecords {
  private readonly mutex: KeyedMutex;

  constructor(
    private readonly kv: Keyv,
    private readonly box: SecretBox,
    locker: Locker,
  ) {
    this.mutex = new KeyedMutex(locker);
  }

  async get(id: string, clientId?: string): Promise<StoredEndpoint | undefined> {
    const e = (await this.kv.get(`endpoint/${id}`)) as StoredEndpoint | undefined;
    if (!e || (clientId !== undefined && e.clientId !== clientId)) return undefined;
    return e;
  }

  /** A client's endpoints, oldest first. */
  async ofClient(clientId: string): Promise<StoredEndpoint[]> {
    const ids = ((await this.kv.get(`client/${clientId}`)) as string[] | undefined) ?? [];
    const all = await Promise.all(ids.map((id) => this.get(id, clientId)));
    return all.filter((e): e is StoredEndpoint => !!e).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Every client's endpoints (operators). */
  async all(): Promise<StoredEndpoint[]> {
    if (!this.kv.iterator) throw new Error("The configured store cannot list keys");
    const out: StoredEndpoint[] = [];
    for await (const [, value] of this.kv.iterator(this.kv.namespace)) {
      // The namespace also holds each client's index (an array of ids).
      if (value && !Array.isArray(value)) out.push(value as StoredEndpoint);
    }
    return out.sort((a, b) => a.clientId.localeCompare(b.clientId) || a.createdAt.localeCompare(b.createdAt));
  }

  async create(e: StoredEndpoint): Promise<void> {
    await this.mutex.run(e.clientId, async () => {
      await this.put(e);
      const ids = ((await this.kv.get(`client/${e.clientId}`)) as string[] | undefined) ?? [];
      await this.set(`client/${e.clientId}`, [...ids.filter((id) => id !== e.id), e.id]);
    });
  }

  async remove(e: StoredEndpoint): Promise<void> {
    await this.mutex.run(e.clientId, async () => {
      const ids = ((await this.kv.get(`client/${e.clientId}`)) as string[] | undefined) ?? [];
      await this.set(`client/${e.clientId}`, ids.filter((id) => id !== e.id));
      await this.kv.delete(`endpoint/${e.id}`);
    });
  }

  /**
   * Changes one endpoint under its client's lock, on a fresh read: a delivery outcome and an admin change never
   * overwrite each other. `change` returns the new record, or undefined to leave it as it is.
   */
  async update(clientId: string, id: string, change: (e: StoredEndpoint) => StoredEndpoint | undefined): Promise<StoredEndpoint | undefined> {
    return this.mutex.run(clientId, async () => {
      const current = await this.get(id, clientId);
      if (!current) return undefined;
      const next = change(current);
      if (!next) return current;
      await this.put(next);
      return next;
    });
  }

  sealSecret(endpointId: string, createdAt: string, secret: string): string {
    return this.box.seal(secret, `webhook:${endpointId}:${createdAt}`);
  }

  openSecret(endpointId: string, s: SealedSecret): string {
    return this.box.open(s.sealed, `webhook:${endpointId}:${s.createdAt}`);
  }

  private async put(e: StoredEndpoint): Promise<void> {
    await this.set(`endpoint/${e.id}`, e);
  }

  private async set(key: string, value: unknown): Promise<void> {
    if (!(await this.kv.set(key, value))) throw new StoreUnavailableError("store", "it refused to save the webhook endpoint");
  }
}

export class DeliveryRecords {
  private readonly mutex: KeyedMutex;

  constructor(
    private readonly kv: Keyv,
    locker: Locker,
  ) {
    this.mutex = new KeyedMutex(locker);
  }

  async get(id: string, clientId?: string): Promise<StoredDelivery | undefined> {
    const d = (await this.kv.get(id)) as StoredDelivery | undefined;
    if (!d || (clientId !== undefined && d.clientId !== clientId)) return undefined;
    return d;
  }

  /** Saves a new delivery unless one with its id exists; resolves true when this call created it. */
  async createOnce(d: StoredDelivery): Promise<boolean> {
    return this.mutex.run(`delivery.${d.id}`, async () => {
      if (await this.kv.get(d.id)) return false;
      await this.put(d);
      return true;
    });
  }

  async update(id: string, change: (d: StoredDelivery) => StoredDelivery | undefined): Promise<StoredDelivery | undefined> {
    return this.mutex.run(`delivery.${id}`, async () => {
      const current = await this.get(id);
      if (!current) return undefined;
      const next = change(current);
      if (!next) return current;
      await this.put({ ...next, attempts: next.attempts.slice(-MAX_ATTEMPTS_KEPT) });
      return next;
    });
  }

  /** An endpoint's deliveries, newest first. Lists the namespace: deliveries are kept 30 days. */
  async ofEndpoint(endpointId: string, status?: DeliveryStatus): Promise<StoredDelivery[]> {
    if (!this.kv.iterator) throw new Error("The configured store cannot list keys");
    const out: StoredDelivery[] = [];
    for await (const [, value] of this.kv.iterator(this.kv.namespace)) {
      const d = value as StoredDelivery | undefined;
      if (d && d.endpointId === endpointId && (!status || d.status === status)) out.push(d);
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  private async put(d: StoredDelivery): Promise<void> {
    if (!(await this.kv.set(d.id, d, DELIVERY_RETENTION_MS))) throw new StoreUnavailableError("store", "it refused to save the delivery");
  }
}
