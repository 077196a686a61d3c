// A validated posting in our own words: what the posting service hands to the pre-posting client, what the store keeps,
// and what the schema shows. One set of names for every layer; correios/client/prepost.ts maps it to PPN's fields.
import type { Phone, TaxDocument } from "./documents.js";
import type { PackageInput } from "./package-limits.js";
import type { BrazilianState } from "./posting-rules.js";

export interface Address {
  cep: string;
  street: string;
  number: string;
  complement?: string;
  district: string;
  city: string;
  state: BrazilianState;
}

export interface Party {
  name: string;
  document?: TaxDocument;
  phone?: Phone;
  mobile?: Phone;
  email?: string;
  address: Address;
}

export interface ContentItem {
  description: string;
  quantity: number;
  unitValueCents: number;
}

/** A validated posting, in a fixed key order so that JSON.stringify of it identifies the request (idempotency). */
export interface PostingRequest {
  service: string;
  sender: Party;
  recipient: Party;
  package: PackageInput;
  declaredContent: ContentItem[];
  /** Additional-service codes, distinct and sorted, declared value's own code included when a value is given. */
  additionalServices: string[];
  declaredValueCents: number;
  invoice?: { number?: string; accessKey?: string };
}
