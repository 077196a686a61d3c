// Every literal message the simulator sends, in one place so wording can be corrected against the real APIs.
// Texts marked "ours" were not found in any source; the rest are quoted from public material (see /work/shared).

export const MSG = {
  // Token API
  accessDenied: "Acesso negado. Verifique o usuário e senha informados.",
  cardNotFound: "Cartão de Postagem inexistente.",
  cardNotOwned: "Cartão de postagem não pertence ao usuário informado.",
  contractNotFound: "Contrato inexistente.", // ours
  contractNotOwned: "Contrato não pertence ao usuário informado.", // ours
  contractNotOfCard: "Contrato não corresponde ao cartão de postagem informado.", // ours
  drNotOfCard: "DR não corresponde ao cartão de postagem informado.", // ours
  rateLimited: "Limite de requisições excedido.", // ours

  // Gateway (every business API)
  invalidToken: "GTW-008: Token inválido ou expirado.",
  apiNotAuthorized: "GTW-012: API não autorizada para o cartão de postagem informado.", // ours
  priceRestricted: "PRC-001: API restrita: o contrato não possui o serviço 38202 (API PRECOS).", // ours
  deadlineRestricted: "PRZ-001: API restrita: o contrato não possui o serviço 38210 (API PRAZOS).", // ours

  // Tracking
  trackingTooMany: (limit: number) => `SRO-017: Quantidade de objetos excede o limite de ${limit}.`, // ours
  trackingNone: "SRO-016: Informe ao menos um objeto.", // ours
  trackingBadResult: "SRO-018: Tipo de resultado inválido. Use T, U ou P.", // ours
  objectInvalid: "SRO-019: Objeto inválido",
  objectNotFound: "SRO-020: Objeto não encontrado na base de dados dos Correios.",

  // Delivery proof
  proofTooMany: (limit: number) => `SRO-017: Quantidade de objetos excede o limite de ${limit}.`, // ours
  proofNone: "SRO-016: Informe ao menos um objeto.", // ours

  // Price and deadline (batch level)
  priceTooMany: (limit: number) => `PRC-002: Quantidade de produtos excede o limite de ${limit}.`, // ours
  deadlineTooMany: (limit: number) => `PRZ-002: Quantidade de produtos excede o limite de ${limit}.`, // ours
  lotIdMissing: "PRC-003: O campo idLote é obrigatório.", // ours
  priceItemsMissing: "PRC-004: O campo parametrosProduto é obrigatório e não pode ser vazio.", // ours
  deadlineItemsMissing: "PRZ-004: O campo parametrosPrazo é obrigatório e não pode ser vazio.", // ours

  // Price and deadline (per item, in txErro)
  productNotContracted: "ERP-010: Produto não contratado.",
  cepOriginInvalid: "ERP-002: CEP de origem inválido.",
  cepDestinationInvalid: "ERP-002: CEP de destino inválido.",
  weightMissing: "ERP-014: Peso do objeto não informado.", // ours
  weightOverLimit: "ERP-015: Peso excede o limite do produto.",
  additionalServiceInvalid: (code: string) => `ERP-020: Serviço adicional inválido: ${code}.`, // ours
  declaredValueMissing: "ERP-021: Valor declarado não informado para o serviço de valor declarado.", // ours
  eventDateInvalid: "ERP-030: Data do evento inválida; use DD-MM-AAAA.", // ours

  // Generic
  badBody: "Corpo da requisição inválido.", // ours
  bodyTooLarge: "Corpo da requisição excede o tamanho máximo.", // ours
  notFound: "Recurso não encontrado.", // ours
  methodNotAllowed: "Método não permitido.", // ours
  internal: "Erro interno do simulador.", // ours
  simulatedFailure: (status: number) => `Falha simulada: HTTP ${status}.`, // ours

  // CorreosID (Spain), OAuth error descriptions
  oauthBadClient: "Client authentication failed",
  oauthClientInactive: "Client not activated",
  oauthScopeNotGranted: (scope: string) => `Scope not granted: ${scope}`,
  oauthMissingCredentials: "Missing client credentials",
} as const;
