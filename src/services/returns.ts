// Returns (logística reversa): on the CWS REST APIs a return is a pre-posting with logisticaReversa "S", a validity
// date and a reverse service; the customer is the sender and the shop the recipient. Built on the posting service
// (same API, same idempotency, same store), with its own validation of mode, validity and original code.
import { parseTrackingCode } from "../correios/domain/formats.js";
import { RETURN_VALIDITY_DAYS, REVERSE_SERVICES, reverseServiceOf, type ReturnMode } from "../correios/domain/reverse-services.js";
import type { StoredPosting } from "../store/postings.js";
import type { CredentialService } from "./credentials.js";
import type { PostingPayload, PostingService } from "./postings/postings.js";
import { validatePostingInput, type CreatePostingInput, type PartyInput, type ServiceRule } from "./postings/posting-input.js";
import type { UserError, Warning } from "./user-errors.js";

export interface CreateReturnInput extends Omit<CreatePostingInput, "sender" | "recipient"> {
  customer: PartyInput;
  /** The shop; by default the sender of the client's latest posting. */
  recipient?: PartyInput | null;
  validForDays?: number | null;
  mode: ReturnMode;
  originalTrackingCode?: string | null;
}

const REVERSE_RULE: ServiceRule = {
  baseProduct: (code) => reverseServiceOf(code)?.baseProduct,
  unknownMessage: (code) =>
    `${code} is not a reverse service known here. Reverse services: ${Object.entries(REVERSE_SERVICES)
      .map(([c, s]) => `${c} ${s.name}`)
      .join(", ")}.`,
};

export interface ReturnDeps {
  postings: PostingService;
  credentials: CredentialService;
  now?: () => Date;
}

export class ReturnService {
  constructor(private readonly d: ReturnDeps) {}

  async create(clientId: string, input: CreateReturnInput): Promise<PostingPayload> {
    const warnings: Warning[] = [];
    const userErrors: UserError[] = [];
    let recipient = input.recipient ?? undefined;
    if (!recipient) {
      const latest = (await this.d.postings.list(clientId, {}, "OUTBOUND"))[0];
      if (latest) {
        const s = latest.request.sender;
        recipient = {
          name: s.name,
          document: s.document?.digits,
          phone: s.phone ? `${s.phone.areaCode}${s.phone.number}` : undefined,
          mobile: s.mobile ? `${s.mobile.areaCode}${s.mobile.number}` : undefined,
          email: s.email,
          address: s.address,
        };
        warnings.push({ code: "RECIPIENT_FROM_LAST_POSTING", message: `The return goes to the sender of posting ${latest.id} (${s.name}, CEP ${s.address.cep}).` });
      } else {
        userErrors.push({ field: "input.recipient", code: "REQUIRED", message: "Give the shop's address as recipient: this client has no posting to take it from." });
      }
    }
    const { request, userErrors: inputErrors } = validatePostingInput({ ...input, sender: input.customer, recipient: recipient! }, REVERSE_RULE);
    // The customer is the sender: name the field as the caller knows it.
    userErrors.push(...inputErrors.filter((e) => !(e.field.startsWith("input.recipient") && !recipient)).map((e) => ({ ...e, field: e.field.replace(/^input\.sender/, "input.customer") })));

    const days = input.validForDays ?? RETURN_VALIDITY_DAYS.default;
    if (!Number.isInteger(days) || days < RETURN_VALIDITY_DAYS.min || days > RETURN_VALIDITY_DAYS.max) {
      userErrors.push({ field: "input.validForDays", code: "INVALID_VALIDITY", message: `An authorization is valid for ${RETURN_VALIDITY_DAYS.min} to ${RETURN_VALIDITY_DAYS.max} days.` });
    }
    const service = request ? reverseServiceOf(request.service) : undefined;
    if (service && !service.modes.includes(input.mode)) {
      userErrors.push({ field: "input.mode", code: "MODE_NOT_OFFERED", message: `${service.name} does not offer ${input.mode}.` });
    }
    let originalTrackingCode: string | undefined;
    if (input.originalTrackingCode != null && input.originalTrackingCode.trim() !== "") {
      const parsed = parseTrackingCode(input.originalTrackingCode);
      if (!parsed.ok) userErrors.push({ field: "input.originalTrackingCode", code: "INVALID_TRACKING_CODE", message: parsed.message });
      else originalTrackingCode = parsed.value;
    }
    if (userErrors.length || !request) return { posting: null, userErrors, warnings };

    const credential = await this.d.credentials.usable(clientId);
    // The shop's CEP is where the parcel goes back: it must exist, like any posting's recipient.
    const cepErrors = await this.d.postings.checkRecipientCep(clientId, request.recipient, "input.recipient.address", warnings);
    if (cepErrors.length) return { posting: null, userErrors: cepErrors, warnings };
    const now = this.d.now?.() ?? new Date();
    const validUntil = new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
    return this.d.postings.createOnce(clientId, credential, input.idempotencyKey, "return", request, warnings, {
      validUntil,
      pickup: input.mode === "PICKUP",
      mode: input.mode,
      ...(originalTrackingCode ? { originalTrackingCode } : {}),
    });
  }

  /** The newest return for an outbound parcel of this client, for Shipment.returnAuthorization. */
  async forOriginal(clientId: string, trackingCode: string): Promise<StoredPosting | undefined> {
    const all = await this.d.postings.list(clientId, {}, "RETURN");
    return all.find((r) => r.reverse?.originalTrackingCode === trackingCode);
  }
}
