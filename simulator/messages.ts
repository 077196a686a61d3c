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
  eventDateInvalid: "ERP-030: Data do evento inválida; use dd/MM/aaaa no lote (POST) e dd-MM-aaaa na consulta (GET).", // ours
  additionalServicesForm: "PRC-005: servicosAdicionais deve ser uma lista de objetos { \"coServAdicional\": \"...\" }.", // ours

  // Pre-posting (PPN). Only PPN-347 and the phone text are quoted (a PHP integration guide); the other codes and texts
  // are ours, numbered by the field they are about, so a client can tell which field Correios refused.
  ppnCardTokenRequired: "PPN-001: A pré-postagem exige um token de cartão de postagem.", // ours
  ppnCardMismatch: "PPN-002: Cartão de postagem não corresponde ao token informado.", // ours
  ppnIdCorreiosMismatch: "PPN-003: idCorreios não corresponde ao usuário do token informado.", // ours
  ppnPersonMissing: (role: string) => `PPN-300: obrigatório informar ${role}.`, // ours
  ppnNameInvalid: (role: string) => `PPN-301: Nome do ${role} obrigatório, até 50 caracteres.`, // ours
  ppnDocumentInvalid: (role: string) => `PPN-302: CPF/CNPJ do ${role} inválido.`, // ours
  ppnPhoneInvalid: (role: string) => `Telefone do ${role} inválido`,
  ppnMobileInvalid: (role: string) => `PPN-304: Celular do ${role} inválido.`, // ours
  ppnAreaCodeInvalid: (role: string) => `PPN-305: DDD do ${role} inválido.`, // ours
  ppnEmailInvalid: (role: string) => `PPN-306: E-mail do ${role} inválido.`, // ours
  ppnAddressMissing: (role: string) => `PPN-307: obrigatório informar endereço do ${role}.`, // ours
  ppnCepInvalid: (role: string) => `PPN-308: CEP do ${role} inválido.`, // ours
  ppnCepNotFound: (role: string) => `PPN-309: CEP do ${role} não encontrado.`, // ours
  ppnAddressFieldMissing: (field: string, role: string) => `PPN-310: obrigatório informar ${field} do ${role}.`, // ours
  ppnAddressFieldTooLong: (field: string, role: string, max: number) =>
    `PPN-311: ${field} do ${role} excede ${max} caracteres.`, // ours
  ppnUfInvalid: (role: string) => `PPN-312: UF do ${role} inválida.`, // ours
  ppnServiceMissing: "PPN-320: obrigatório informar código do serviço.", // ours
  ppnServiceNotOnCard: (code: string) => `PPN-321: Serviço ${code} não disponível para o cartão de postagem.`, // ours
  ppnServiceNotReverse: (code: string) => `PPN-322: Serviço ${code} não é de logística reversa.`, // ours
  ppnServiceOnlyReverse: (code: string) => `PPN-323: Serviço ${code} exige logisticaReversa igual a S.`, // ours
  ppnWeightInvalid: "PPN-330: obrigatório informar peso do objeto em gramas.", // ours
  ppnWeightOverLimit: (code: string, maxG: number) => `PPN-331: Peso excede o limite de ${maxG} g do serviço ${code}.`, // ours
  ppnFormatInvalid: "PPN-332: Formato do objeto inválido: use 1 (envelope), 2 (pacote/caixa) ou 3 (rolo/cilindro).", // ours
  ppnDimensionInvalid: (field: string, min: number, max: number) =>
    `PPN-333: ${field} inválido: informe de ${min} a ${max} cm.`, // ours
  ppnDimensionSum: "PPN-334: Soma das dimensões excede 200 cm.", // ours
  ppnNotProhibitedMissing: "PPN-340: obrigatório informar cienteObjetoNaoProibido igual a 1.", // ours
  ppnContentDeclarationMissing: "PPN-347: obrigatório informar Declaração de Conteúdo",
  ppnContentTooShort: (item: number) =>
    `PPN-348: Conteúdo do item ${item} da Declaração de Conteúdo deve ter de 5 a 60 caracteres.`, // ours
  ppnContentGeneric: (item: number) =>
    `PPN-349: Conteúdo do item ${item} da Declaração de Conteúdo é genérico; descreva o objeto.`, // ours
  ppnQuantityInvalid: (item: number) => `PPN-350: Quantidade do item ${item} da Declaração de Conteúdo inválida.`, // ours
  ppnValueInvalid: (item: number) => `PPN-351: Valor do item ${item} da Declaração de Conteúdo inválido.`, // ours
  ppnAdditionalServiceInvalid: (code: string) => `PPN-360: Serviço adicional ${code} inválido.`, // ours
  ppnDeclaredValueMissing: (code: string) => `PPN-361: obrigatório informar valorDeclarado do serviço adicional ${code}.`, // ours
  ppnAdditionalServiceNotForService: (extra: string, code: string) =>
    `PPN-362: Serviço adicional ${extra} não permitido para o serviço ${code}.`, // ours
  ppnPostingDateInvalid: "PPN-370: dataPrevistaPostagem inválida: use dd/MM/yyyy, a partir de hoje.", // ours
  ppnFlagInvalid: (field: string) => `PPN-371: ${field} inválido: use S ou N.`, // ours
  ppnTextTooLong: (field: string, max: number) => `PPN-372: ${field} excede ${max} caracteres.`, // ours
  ppnInvoiceKeyInvalid: "PPN-373: chaveNFe inválida: 44 dígitos.", // ours
  ppnPaymentInvalid: "PPN-374: modalidadePagamento inválida.", // ours
  ppnReverseValidityInvalid: "PPN-380: dataValidadeLogReversa inválida: use dd/MM/yyyy, de hoje a 30 dias.", // ours
  ppnOutboundCodeInvalid: "PPN-381: codigoObjetoIda inválido.", // ours
  ppnQueryParamsMissing:
    "É obrigatório informar combinação de parâmetros ou apenas um parâmetro relacionado a Id/Código/Eticket",
  ppnQueryParamInvalid: (name: string) => `PPN-400: Parâmetro ${name} inválido.`, // ours
  ppnNotFound: "PPN-404: Pré-postagem não encontrada.", // ours
  ppnObjectNotPosted: "PPN-405: Objeto não postado.", // ours
  ppnCancelRequesterMissing: "PPN-410: obrigatório informar idCorreiosSolicitanteCancelamento.", // ours
  ppnCancelRequesterMismatch: "PPN-411: idCorreiosSolicitanteCancelamento não corresponde ao usuário do token.", // ours
  ppnCancelNotAllowed: (status: string) =>
    `PPN-412: Pré-postagem com status ${status} não pode ser cancelada; apenas PREPOSTADO.`, // ours
  ppnCancelled: "Pré-postagem cancelada com sucesso.", // ours
  ppnStatusNotPrepostado: (id: string, status: string) =>
    `PPN-420: Pré-postagem ${id} com status ${status}; a declaração de conteúdo exige PREPOSTADO.`, // ours

  // Labels (rótulos)
  labelIdsMissing: "PPN-500: obrigatório informar idsPrePostagem ou codigosObjeto.", // ours
  labelTooMany: (limit: number) => `PPN-501: Quantidade de rótulos excede o limite de ${limit}.`, // ours
  labelOptionInvalid: (field: string, allowed: string) => `PPN-502: ${field} inválido: use ${allowed}.`, // ours
  labelNotFound: (ref: string) => `PPN-503: Pré-postagem ${ref} não encontrada para o cartão de postagem.`, // ours
  labelNotPrintable: (ref: string, status: string) => `PPN-504: Pré-postagem ${ref} com status ${status} não pode ter rótulo.`, // ours
  labelReceiptNotFound: "PPN-505: Recibo de rótulo não encontrado.", // ours
  labelPending: "Rótulo em processamento. Tente novamente em alguns segundos.", // ours

  // CEP and agencies
  cepInvalid: (cep: string) => `CEP-001: CEP ${cep} inválido; informe 8 dígitos, sem hífen.`, // ours
  cepNotFound: (cep: string) => `CEP-002: CEP ${cep} não encontrado.`, // ours
  cepNone: "CEP-003: Informe ao menos um CEP.", // ours
  cepTooMany: (limit: number) => `CEP-004: Quantidade de CEPs excede o limite de ${limit}.`, // ours
  agencyParamInvalid: (name: string) => `AGE-001: Parâmetro ${name} inválido.`, // ours

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
