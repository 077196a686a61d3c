// What a posting asks for, checked before any upstream call: every problem is collected, each naming its input field.
// The result is carrier-neutral English; correios/client/prepost.ts turns it into Correios' Portuguese fields.
import { normalizeSpaces, parseCep, parseServiceCode } from "../../correios/domain/formats.js";
import { parseDecimalInput } from "../../correios/domain/money.js";
import { validateDeclaredValue, validatePackage } from "../../correios/domain/package-limits.js";
import { additionalServiceCode, declaredValueServiceCode, productOf } from "../../correios/domain/products.js";
import { parseEmail, parseLandline, parseMobile, parseTaxDocument } from "../../correios/domain/documents.js";
import type { Address, ContentItem, Party, PostingRequest } from "../../correios/domain/posting.js";
import {
  BRAZILIAN_STATES,
  CONTENT_DESCRIPTION_MIN,
  GENERIC_CONTENT,
  MAX_CONTENT_ITEMS,
  POSTING_FIELD_MAX,
  type BrazilianState,
} from "../../correios/domain/posting-rules.js";
import type { QuoteAdditionalService } from "../quotes/quote-input.js";
import { normalizePackage, type QuoteInput } from "../quotes/quote-input.js";
import type { UserError } from "../user-errors.js";

export interface AddressInput {
  cep: string;
  street: string;
  number: string;
  complement?: string | null;
  district: string;
  city: string;
  state: string;
}

export interface PartyInput {
  name: string;
  document?: string | null;
  phone?: string | null;
  mobile?: string | null;
  email?: string | null;
  address: AddressInput;
}

export interface ContentItemInput {
  description: string;
  quantity: number;
  unitValue: string;
}

export interface InvoiceInput {
  number?: string | null;
  accessKey?: string | null;
}

export interface CreatePostingInput {
  clientId?: string | null;
  idempotencyKey: string;
  service: string;
  sender: PartyInput;
  recipient: PartyInput;
  package: QuoteInput["package"];
  declaredContent: ContentItemInput[];
  additionalServices?: QuoteAdditionalService[] | null;
  declaredValue?: string | null;
  invoice?: InvoiceInput | null;
}

export type { Address, ContentItem, Party, PostingRequest };

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

/** Which service codes a kind of posting takes, and the product whose limits (weight, declared value) apply to each. */
export interface ServiceRule {
  /** The product code whose limits apply, or undefined when the code is not one this kind of posting takes. */
  baseProduct(code: string): string | undefined;
  unknownMessage(code: string): string;
}

export const OUTBOUND_SERVICES: ServiceRule = {
  baseProduct: (code) => (productOf(code) ? code : undefined),
  unknownMessage: (code) => `${code} is not a Correios service code known here.`,
};

export function validatePostingInput(
  input: Omit<CreatePostingInput, "service"> & { service: string },
  rule: ServiceRule = OUTBOUND_SERVICES,
): { request?: PostingRequest; userErrors: UserError[] } {
  const userErrors: UserError[] = [];
  const field = <T>(name: string, r: Result<T>, code = "INVALID_FIELD"): T | undefined => {
    if (r.ok) return r.value;
    userErrors.push({ field: `input.${name}`, message: r.message, code });
    return undefined;
  };
  if (typeof input.idempotencyKey !== "string" || !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
    userErrors.push({
      field: "input.idempotencyKey",
      code: "INVALID_IDEMPOTENCY_KEY",
      message: "An idempotency key has 8–128 letters, digits, dots, colons, dashes or underscores (a UUID works).",
    });
  }
  const parsedService = field("service", parseServiceCode(input.service), "INVALID_SERVICE");
  const base = parsedService ? rule.baseProduct(parsedService.code) : undefined;
  if (parsedService && !base) userErrors.push({ field: "input.service", code: "UNKNOWN_SERVICE", message: rule.unknownMessage(parsedService.code) });
  // Limits are the base product's: a PAC REVERSO parcel has PAC's weight and declared-value limits.
  const service = parsedService && base ? { code: parsedService.code, base } : undefined;
  const sender = readParty("sender", input.sender, userErrors);
  const recipient = readParty("recipient", input.recipient, userErrors);

  const pkg = input.package ? normalizePackage(input.package) : undefined;
  const packageErrors = pkg ? validatePackage(pkg, service?.base) : [{ field: "package", message: "Package is missing." }];
  for (const e of packageErrors) userErrors.push({ field: `input.${e.field}`, message: e.message, code: "PACKAGE_LIMIT" });

  const declaredContent = readContent(input.declaredContent, userErrors);

  let declaredValueCents = 0;
  if (input.declaredValue != null && input.declaredValue.trim() !== "") {
    const cents = field("declaredValue", parseDecimalInput(input.declaredValue), "INVALID_DECLARED_VALUE");
    if (cents !== undefined) {
      for (const e of validateDeclaredValue(cents, service?.base)) userErrors.push({ field: "input.declaredValue", message: e.message, code: "DECLARED_VALUE_OUT_OF_RANGE" });
      declaredValueCents = cents;
    }
  }
  const additionalServices: string[] = [];
  (input.additionalServices ?? []).forEach((key, i) => {
    const code = additionalServiceCode(key);
    if (code === undefined) userErrors.push({ field: `input.additionalServices[${i}]`, code: "UNKNOWN_ADDITIONAL_SERVICE", message: `Unknown additional service ${String(key).slice(0, 40)}.` });
    else if (!additionalServices.includes(code)) additionalServices.push(code);
  });
  if (declaredValueCents > 0 && service) {
    const code = declaredValueServiceCode(service.base);
    if (code) additionalServices.push(code);
    else userErrors.push({ field: "input.declaredValue", code: "DECLARED_VALUE_NOT_OFFERED", message: `Service ${service.code} has no declared-value option known here.` });
  }
  additionalServices.sort();

  const invoice = readInvoice(input.invoice, userErrors);
  if (userErrors.length || !service || !sender || !recipient || !pkg || !declaredContent) return { userErrors };
  return {
    userErrors,
    request: {
      service: service.code,
      sender,
      recipient,
      package: pkg,
      declaredContent,
      additionalServices,
      declaredValueCents,
      ...(invoice ? { invoice } : {}),
    },
  };
}

function text(value: unknown, name: string, max: number, userErrors: UserError[], required = true): string | undefined {
  const s = typeof value === "string" ? normalizeSpaces(value.replace(/[\p{Cc}\p{Cf}]/gu, "")) : "";
  if (s === "") {
    if (required) userErrors.push({ field: `input.${name}`, code: "REQUIRED", message: `${label(name)} is required.` });
    return undefined;
  }
  if (s.length > max) {
    userErrors.push({ field: `input.${name}`, code: "TOO_LONG", message: `${label(name)} has at most ${max} characters (Correios' limit); ${s.length} were given.` });
    return undefined;
  }
  return s;
}

function label(path: string): string {
  const last = path.split(".").pop() ?? path;
  return last.charAt(0).toUpperCase() + last.slice(1);
}

export function readAddress(prefix: string, a: AddressInput | undefined, userErrors: UserError[]): Address | undefined {
  if (!a) {
    userErrors.push({ field: `input.${prefix}`, code: "REQUIRED", message: "Address is required." });
    return undefined;
  }
  const before = userErrors.length;
  const cep = parseCep(a.cep);
  if (!cep.ok) userErrors.push({ field: `input.${prefix}.cep`, code: "INVALID_CEP", message: cep.message });
  const street = text(a.street, `${prefix}.street`, POSTING_FIELD_MAX.street, userErrors);
  const number = text(a.number, `${prefix}.number`, POSTING_FIELD_MAX.number, userErrors);
  const complement = text(a.complement, `${prefix}.complement`, POSTING_FIELD_MAX.complement, userErrors, false);
  const district = text(a.district, `${prefix}.district`, POSTING_FIELD_MAX.district, userErrors);
  const city = text(a.city, `${prefix}.city`, POSTING_FIELD_MAX.city, userErrors);
  const uf = typeof a.state === "string" ? a.state.trim().toUpperCase() : "";
  const state = (BRAZILIAN_STATES as readonly string[]).includes(uf) ? (uf as BrazilianState) : undefined;
  if (!state) userErrors.push({ field: `input.${prefix}.state`, code: "INVALID_STATE", message: "State is the two-letter code of one of the 27 units (SP, RJ, MG, …)." });
  if (userErrors.length > before || !cep.ok || !street || !number || !district || !city || !state) return undefined;
  return { cep: cep.value, street, number, ...(complement ? { complement } : {}), district, city, state };
}

function readParty(prefix: string, p: PartyInput | undefined, userErrors: UserError[]): Party | undefined {
  if (!p) {
    userErrors.push({ field: `input.${prefix}`, code: "REQUIRED", message: `${label(prefix)} is required.` });
    return undefined;
  }
  const before = userErrors.length;
  const name = text(p.name, `${prefix}.name`, POSTING_FIELD_MAX.name, userErrors);
  const optional = <T>(value: unknown, name: string, parse: (v: unknown) => Result<T>, code: string): T | undefined => {
    if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) return undefined;
    const r = parse(value);
    if (r.ok) return r.value;
    userErrors.push({ field: `input.${prefix}.${name}`, code, message: r.message });
    return undefined;
  };
  const document = optional(p.document, "document", parseTaxDocument, "INVALID_DOCUMENT");
  const phone = optional(p.phone, "phone", parseLandline, "INVALID_PHONE");
  const mobile = optional(p.mobile, "mobile", parseMobile, "INVALID_MOBILE");
  const email = optional(p.email, "email", (v) => parseEmail(v, POSTING_FIELD_MAX.email), "INVALID_EMAIL");
  const address = readAddress(`${prefix}.address`, p.address, userErrors);
  if (userErrors.length > before || !name || !address) return undefined;
  return { name, ...(document ? { document } : {}), ...(phone ? { phone } : {}), ...(mobile ? { mobile } : {}), ...(email ? { email } : {}), address };
}

/** "Volume 1", "produtos", "Produto 2" are generic: accents and case ignored, trailing numbers dropped. */
export function isGenericDescription(description: string): boolean {
  const core = description
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\d\s#.,:;/-]+$/u, "")
    .trim();
  return GENERIC_CONTENT.has(core);
}

function readContent(items: ContentItemInput[] | undefined, userErrors: UserError[]): ContentItem[] | undefined {
  if (!Array.isArray(items) || items.length === 0) {
    userErrors.push({
      field: "input.declaredContent",
      code: "CONTENT_REQUIRED",
      message: "Give at least one content item: Correios requires a content declaration (PPN-347).",
    });
    return undefined;
  }
  if (items.length > MAX_CONTENT_ITEMS) {
    userErrors.push({ field: "input.declaredContent", code: "TOO_MANY_ITEMS", message: `At most ${MAX_CONTENT_ITEMS} content items.` });
    return undefined;
  }
  const before = userErrors.length;
  const out: ContentItem[] = [];
  items.forEach((item, i) => {
    const at = `declaredContent[${i}]`;
    const description = text(item?.description, `${at}.description`, POSTING_FIELD_MAX.contentDescription, userErrors);
    if (description !== undefined && description.length < CONTENT_DESCRIPTION_MIN) {
      userErrors.push({
        field: `input.${at}.description`,
        code: "CONTENT_TOO_SHORT",
        message: `Describe the content in at least ${CONTENT_DESCRIPTION_MIN} characters (Correios' rule since 2025-09-22).`,
      });
    } else if (description !== undefined && isGenericDescription(description)) {
      userErrors.push({
        field: `input.${at}.description`,
        code: "CONTENT_GENERIC",
        message: `"${description}" is too generic: Correios refuses descriptions such as "produto" or "volume 1" since 2025-09-22; say what it is ("camiseta de algodão").`,
      });
    }
    const quantity = item?.quantity;
    if (!Number.isInteger(quantity) || quantity <= 0 || quantity > 9999) {
      userErrors.push({ field: `input.${at}.quantity`, code: "INVALID_QUANTITY", message: "Quantity is a whole number from 1 to 9999." });
    }
    const value = parseDecimalInput(typeof item?.unitValue === "string" ? item.unitValue : "");
    if (!value.ok || value.value <= 0) {
      userErrors.push({ field: `input.${at}.unitValue`, code: "INVALID_VALUE", message: value.ok ? "The unit value must be above zero." : value.message });
    }
    if (description && value.ok) out.push({ description, quantity, unitValueCents: value.value });
  });
  return userErrors.length > before ? undefined : out;
}

function readInvoice(invoice: InvoiceInput | null | undefined, userErrors: UserError[]): PostingRequest["invoice"] {
  if (!invoice) return undefined;
  const out: { number?: string; accessKey?: string } = {};
  if (invoice.number != null && invoice.number.trim() !== "") {
    if (!/^\d{1,9}$/.test(invoice.number.trim())) userErrors.push({ field: "input.invoice.number", code: "INVALID_INVOICE", message: "An invoice (NF) number has 1–9 digits." });
    else out.number = invoice.number.trim();
  }
  if (invoice.accessKey != null && invoice.accessKey.trim() !== "") {
    const key = invoice.accessKey.replace(/\s+/g, "");
    if (!/^\d{44}$/.test(key) || !nfeKeyValid(key)) {
      userErrors.push({ field: "input.invoice.accessKey", code: "INVALID_NFE_KEY", message: "An NF-e access key has 44 digits with a valid check digit." });
    } else out.accessKey = key;
  }
  return out.number || out.accessKey ? out : undefined;
}

/** NF-e access key: the 44th digit is a mod-11 check over the first 43 with weights 2..9 from the right. */
function nfeKeyValid(key: string): boolean {
  let sum = 0;
  let w = 2;
  for (let i = 42; i >= 0; i--) {
    sum += Number(key[i]) * w;
    w = w === 9 ? 2 : w + 1;
  }
  const r = sum % 11;
  const dv = r < 2 ? 0 : 11 - r;
  return dv === Number(key[43]);
}

