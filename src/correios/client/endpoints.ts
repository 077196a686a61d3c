// Every upstream path in one place. Where the facts file marks a path or limit as unconfirmed, the note says so,
// so a correction is a one-line change here.
export const CWS_PATHS = {
  tokenByCard: "/token/v1/autentica/cartaopostagem",
  trackingBatch: "/srorastro/v1/objetos",
  priceBatch: "/preco/v1/nacional",
  deadlineBatch: "/prazo/v1/nacional",
  /** [1] one source (the srorastro spec summary); the async recibo route is the alternative. */
  proofImages: "/srorastro/v1/ar-digital",
  /** Pre-posting (PPN) [CONFIRMED unless noted]: create and cancel (v1), list and read (v2), posted data. */
  prepostings: "/prepostagem/v1/prepostagens",
  prepostingsList: "/prepostagem/v2/prepostagens",
  prepostingPosted: "/prepostagem/v1/prepostagens/postada",
  labelsAsync: "/prepostagem/v1/prepostagens/rotulo/assincrono/pdf",
  /** The /assincrono/ segment after /download/ is easy to miss (a 404 without it). */
  labelsDownload: "/prepostagem/v1/prepostagens/rotulo/download/assincrono",
  contentDeclaration: "/prepostagem/v1/prepostagens/declaracaoconteudo",
  /** [2+] v2; the manual shows the same shape under /cep/v1. */
  cep: "/cep/v2/enderecos",
  agencies: "/agencia/v1/unidades",
} as const;

/** Brasília offset used when a token answer omits `zoneOffset` [unconfirmed: the value format is a guess]. */
export const DEFAULT_ZONE_OFFSET = "-03:00";

/** API ids found in the token's enabled-API lists [2+ for 5, 34, 35, 87; 1 for the rest]. Unknown ids are kept. */
export const CWS_API_NAMES: Record<number, string> = {
  5: "TOKEN",
  27: "PRICE_ASYNC",
  34: "PRICE",
  35: "DEADLINE",
  36: "PRE_POSTING",
  41: "CEP",
  87: "TRACKING",
  534: "TRACKING_ASYNC",
};
export const API_ID = { price: 34, deadline: 35, tracking: 87 } as const;
