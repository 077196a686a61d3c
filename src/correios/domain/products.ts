// Correios product (service) codes, additional services and tracking-code prefixes.
// Pure tables: no imports, so formats.ts and package-limits.ts can both read them without a cycle.
//
// Confidence marks follow /work/shared/correios-api.md: [2+] two or more sources, [1] one source, [?] a guess.

export type ProductFamily = "SEDEX" | "PAC" | "MINI" | "OTHER";

export interface ProductInfo {
  /** Our English label. */
  readonly name: string;
  /** The label Correios uses, kept for logs and support tickets. */
  readonly correiosName: string;
  readonly family: ProductFamily;
  /** True for codes that only work with a contract (and its posting card). */
  readonly contract: boolean;
  readonly confidence: "2+" | "1" | "?";
}

function product(
  name: string,
  correiosName: string,
  family: ProductFamily,
  contract: boolean,
  confidence: ProductInfo["confidence"],
): ProductInfo {
  return Object.freeze({ name, correiosName, family, contract, confidence });
}

// CWS-era codes (details file §7). Legacy SIGEP codes (40010, 41106, ...) are left out on purpose: they belong to
// the old SOAP calculator; parseServiceCode still accepts them as "unknown" rather than guessing what CWS does.
export const PRODUCTS: Readonly<Record<string, ProductInfo>> = Object.freeze({
  "03220": product("SEDEX (contract)", "SEDEX CONTRATO AG", "SEDEX", true, "2+"),
  "03298": product("PAC (contract)", "PAC CONTRATO AG", "PAC", true, "2+"),
  "04227": product("Mini Envios (contract)", "CORREIOS MINI ENVIOS CTR AG", "MINI", true, "2+"),
  "03140": product("SEDEX 12 (contract)", "SEDEX 12 CONTRATO AG", "SEDEX", true, "2+"),
  "03158": product("SEDEX 10 (contract)", "SEDEX 10 CONTRATO AG", "SEDEX", true, "2+"),
  "03204": product("SEDEX Hoje (contract)", "SEDEX HOJE CONTRATO AG", "SEDEX", true, "1"),
  "03212": product("SEDEX large format (contract)", "SEDEX CONTR GRAND FORMATO", "SEDEX", true, "1"),
  "03328": product("PAC large format (contract)", "PAC CONTR GRAND FORMATO", "PAC", true, "1"),
  "03247": product("SEDEX reverse (contract)", "SEDEX REVERSO", "SEDEX", true, "1"),
  "03301": product("PAC reverse (contract)", "PAC REVERSO", "PAC", true, "1"),
  "03174": product("SEDEX 12 reverse (contract)", "SEDEX 12 REVERSO", "SEDEX", true, "2+"),
  "03182": product("SEDEX 10 reverse (contract)", "SEDEX 10 REVERSO", "SEDEX", true, "2+"),
  "03190": product("SEDEX Hoje reverse (contract)", "SEDEX HOJE REVERSO", "SEDEX", true, "2+"),
  "03271": product("SEDEX pay on delivery (contract)", "SEDEX CONTRATO PGTO ENTREGA", "SEDEX", true, "1"),
  "03310": product("PAC pay on delivery (contract)", "PAC CONTRATO PGTO ENTREGA", "PAC", true, "1"),
  "04000": product("PAC PC (contract)", "PAC PC CONTRATO AG", "PAC", true, "1"),
  "04090": product("SEDEX PC (contract)", "SEDEX PC CONTRATO AG", "SEDEX", true, "1"),
  // Older contract codes some contracts still carry.
  "04162": product("SEDEX (older contract code)", "SEDEX CONTRATO AGENCIA", "SEDEX", true, "2+"),
  "04669": product("PAC (older contract code)", "PAC CONTRATO AGENCIA", "PAC", true, "2+"),
  // Retail ("à vista") codes: no contract needed. Codes [2+]; the Correios labels here are approximate.
  "04014": product("SEDEX (retail)", "SEDEX", "SEDEX", false, "2+"),
  "04510": product("PAC (retail)", "PAC", "PAC", false, "2+"),
  "04065": product("SEDEX pay on delivery (retail)", "SEDEX PAGAMENTO NA ENTREGA", "SEDEX", false, "2+"),
  "04707": product("PAC pay on delivery (retail)", "PAC PAGAMENTO NA ENTREGA", "PAC", false, "2+"),
});

/** What a quote asks for when the caller names no service. */
export const DEFAULT_SERVICE_CODES: readonly string[] = Object.freeze(["03220", "03298"]);

export function productOf(code: string): ProductInfo | undefined {
  return Object.hasOwn(PRODUCTS, code) ? PRODUCTS[code] : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Additional services (servicosAdicionais). Codes [2+] for 001/002/011/019/025, [1] for the rest (t3wv enums).

export type AdditionalServiceKey =
  | "ACKNOWLEDGEMENT_OF_RECEIPT"
  | "OWN_HANDS"
  | "DELIVERY_TO_NEIGHBOUR"
  | "DECLARED_VALUE"
  | "ELECTRONIC_ACKNOWLEDGEMENT_OF_RECEIPT"
  | "NATIONAL_REGISTRATION"
  | "LARGE_FORMAT";

export interface AdditionalServiceInfo {
  readonly key: AdditionalServiceKey;
  readonly name: string;
  /** Declared value has one code per product family; undefined means it applies to any family. */
  readonly family?: ProductFamily;
  readonly confidence: "2+" | "1" | "?";
}

export const ADDITIONAL_SERVICES: Readonly<Record<string, AdditionalServiceInfo>> = Object.freeze({
  "001": { key: "ACKNOWLEDGEMENT_OF_RECEIPT", name: "Acknowledgement of receipt (AR)", confidence: "2+" },
  "002": { key: "OWN_HANDS", name: "Own hands (MP): delivered only to the addressee", confidence: "2+" },
  "011": { key: "DELIVERY_TO_NEIGHBOUR", name: "Delivery to a neighbour", confidence: "2+" },
  "019": { key: "DECLARED_VALUE", name: "Declared value (SEDEX)", family: "SEDEX", confidence: "2+" },
  "021": {
    key: "ELECTRONIC_ACKNOWLEDGEMENT_OF_RECEIPT",
    name: "Electronic acknowledgement of receipt (EAR)",
    confidence: "1",
  },
  "025": { key: "NATIONAL_REGISTRATION", name: "National registration", confidence: "2+" },
  "057": { key: "LARGE_FORMAT", name: "Large format", confidence: "1" },
  "064": { key: "DECLARED_VALUE", name: "Declared value (PAC)", family: "PAC", confidence: "1" },
  "065": { key: "DECLARED_VALUE", name: "Declared value (Mini Envios)", family: "MINI", confidence: "1" },
} satisfies Record<string, AdditionalServiceInfo>);

/**
 * The declared-value code to send with a product: 019 for the SEDEX family, 064 for PAC, 065 for Mini Envios.
 * Undefined when the product is unknown or its family has no declared-value code we can source.
 */
export function declaredValueServiceCode(productCode: string): string | undefined {
  const family = productOf(productCode)?.family;
  if (family === undefined) return undefined;
  for (const [code, info] of Object.entries(ADDITIONAL_SERVICES)) {
    if (info.key === "DECLARED_VALUE" && info.family === family) return code;
  }
  return undefined;
}

/** The code of an additional service that does not depend on the product (AR, MP, ...). */
export function additionalServiceCode(key: Exclude<AdditionalServiceKey, "DECLARED_VALUE">): string | undefined {
  for (const [code, info] of Object.entries(ADDITIONAL_SERVICES)) {
    if (info.key === key) return code;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Tracking-code prefixes of domestic parcels. Source: HBeserra/MyPackage README.md (prefix table) [1]; the first
// rows (AA, AB ETIQUETA LÓGICA SEDEX, AS ENCOMENDA PAC) also appear on sejageek.com's prefix list [2+ for those].
// Only SEDEX / PAC / Mini families are tabled: letters, telegrams and international prefixes are left out, and
// prefixes we cannot source (many newer ones exist) give undefined rather than a guess.

const SEDEX_PREFIXES = [
  "AA", "AB", // ETIQUETA LÓGICA SEDEX
  "DA", // ENCOMENDA SEDEX C/ AR DIGITAL
  "DF", "DG", "DW", "DZ", // ENCOMENDA SEDEX (ETIQ LOGICA)
  "DJ", "DM", "DN", "DU", // ENCOMENDA SEDEX
  "DY", "OD", // ENCOMENDA SEDEX (ETIQ FÍSICA)
  "DK", // SEDEX EXTRA GRANDE
  "DL", // SEDEX LÓGICO
  "DP", // SEDEX PAGAMENTO ENTREGA
  "DV", // SEDEX COM AR DIGITAL
  "DX", // SEDEX 10 LÓGICO
  "OA", "OB", "OC", // ENCOMENDA SEDEX (ETIQ LOGICA)
  "OF", "OG", "OH", "OI", // ETIQUETA LÓGICA SEDEX
  "LA", "LB", // LOGÍSTICA REVERSA SIMULTÂNEA SEDEX
  "LS", // LOGISTICA REVERSA SEDEX
] as const;

const PAC_PREFIXES = [
  "AS", // ENCOMENDA PAC - ACAO SOCIAL
  "EC", "PD", "PI", "PJ", "PL", // ENCOMENDA PAC
  "PB", // ENCOMENDA PAC - NÃO URGENTE
  "PC", // ENCOMENDA PAC A COBRAR
  "PE", "PG", "PM", // ENCOMENDA PAC (ETIQUETA FISICA)
  "PH", "PN", "PO", // ENCOMENDA PAC (ETIQUETA LOGICA)
  "PK", // PAC EXTRA GRANDE
  "PP", "PS", "PT", "PU", "PW", "PX", // ETIQUETA LÓGICA PAC
  "PV", // ETIQUETA LÓGICA PAC ADMINISTRATIVO
  "LP", // LOGÍSTICA REVERSA SIMULTÂNEA PAC
] as const;

const MINI_PREFIXES = [
  "PQ", // ETIQUETA LOGICA PAC MINI
] as const;

export const TRACKING_PREFIX_FAMILIES: ReadonlyMap<string, ProductFamily> = new Map<string, ProductFamily>([
  ...SEDEX_PREFIXES.map((p) => [p, "SEDEX"] as const),
  ...PAC_PREFIXES.map((p) => [p, "PAC"] as const),
  ...MINI_PREFIXES.map((p) => [p, "MINI"] as const),
]);

/**
 * The product family a tracking code's prefix stands for, or undefined when the prefix is not tabled.
 * Only domestic codes (country letters BR) are read: a foreign object keeps its origin's prefix, which means
 * something else there (LP…CN is an international Prime parcel, not a reverse PAC).
 * Does not check the check digit; validate with parseTrackingCode first when that matters.
 */
export function serviceForTrackingCode(code: string): { prefix: string; family: ProductFamily } | undefined {
  if (typeof code !== "string" || code.length > 64) return undefined;
  const m = /^([A-Z]{2})\d{9}([A-Z]{2})$/.exec(code.replace(/[\s-]+/g, "").toUpperCase());
  if (!m || m[2] !== "BR") return undefined;
  const prefix = m[1]!;
  const family = TRACKING_PREFIX_FAMILIES.get(prefix);
  return family === undefined ? undefined : { prefix, family };
}
