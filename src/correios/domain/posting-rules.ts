// What Correios accepts in a pre-posting, as data: field lengths, states, content rules, expiry. Each rule names its
// confidence from ../shared/correios-postings.md and correios-api-details.md, so a correction is a one-line change.

/** Field lengths of a pre-posting [1: S-U-DESIGN]; exceeding them is a 400 from Correios. */
export const POSTING_FIELD_MAX = Object.freeze({
  /** Not in the facts files: assumed equal to the street length until staging says otherwise [unconfirmed]. */
  name: 50,
  street: 50,
  number: 6,
  complement: 30,
  district: 30,
  city: 30,
  email: 50,
  notes: 50,
  contentDescription: 60,
});

/** Since 2025-09-22 a content description has at least 5 characters and is not generic [1: Intelipost help]. */
export const CONTENT_DESCRIPTION_MIN = 5;

/** Descriptions Correios refuses as generic; compared after lower-casing, removing accents and trailing numbers. */
export const GENERIC_CONTENT = new Set(["produto", "produtos", "volume", "volumes", "item", "itens", "mercadoria", "mercadorias", "diversos", "caixa", "pacote", "objeto", "objetos"]);

export const MAX_CONTENT_ITEMS = 99;

/** The 27 federative units. */
export const BRAZILIAN_STATES = Object.freeze([
  "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB",
  "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
] as const);
export type BrazilianState = (typeof BRAZILIAN_STATES)[number];

/** An unposted pre-posting expires after 7 calendar days (status EXPIRADO) [CONFIRMED: manual glossary]. */
export const PRE_POSTING_VALID_DAYS = 7;

/** Correios' statuses and ours [CONFIRMED: T3W enum, PYCWS, a Laravel enum]. */
export const POSTING_STATUSES = {
  PREATENDIDO: "PRE_ATTENDED",
  PREPOSTADO: "PRE_POSTED",
  POSTADO: "POSTED",
  EXPIRADO: "EXPIRED",
  CANCELADO: "CANCELLED",
  ESTORNADO: "REVERSED",
} as const;
export type PostingStatus = (typeof POSTING_STATUSES)[keyof typeof POSTING_STATUSES];
/** The numeric form some answers use (1..6), in the same order. */
export const POSTING_STATUS_BY_NUMBER: readonly PostingStatus[] = Object.values(POSTING_STATUSES);

/** Label options [layouts: 1, ELISEI PrintLayout.php; types P/R: CONFIRMED]. */
export const LABEL_LAYOUTS = {
  STANDARD: "PADRAO",
  LINEAR_100_150: "LINEAR_100_150",
  LINEAR_100_80: "LINEAR_100_80",
  LINEAR_A4: "LINEAR_A4",
  LINEAR_A: "LINEAR_A",
} as const;
export type LabelLayout = keyof typeof LABEL_LAYOUTS;
export const LABEL_TYPES = { STANDARD: "P", REDUCED: "R" } as const;
export type LabelType = keyof typeof LABEL_TYPES;

/** Pre-posting ids are 24 characters starting with PR [CONFIRMED: manual §H]. */
export const POSTING_ID = /^PR[A-Za-z0-9]{22}$/;
