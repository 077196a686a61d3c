// POST /prepostagem/v1/prepostagens body checks, in the order the simulator reports them. Correios answers validation
// errors one at a time, so the first failing rule throws a 400 with that single message.
//
// Required fields follow the OpenAPI list (cienteObjetoNaoProibido, codigoFormatoObjetoInformado, codigoServico,
// destinatario, itensDeclaracaoConteudo, pesoInformado, remetente). Field lengths: logradouro 50, bairro 30,
// cidade 30, complemento 30, numero 6, observacao 50, conteudo 5–60 (the 22/09/2025 rule: at least 5 characters and
// not generic). Dimension ranges (ours, after the classic package rules): box length 15–100, width 10–100,
// height 1–100, sum ≤ 200; roll length 18–100, diameter 5–91; envelopes need none.

import type { Account } from "./accounts.js";
import { isValidCpfCnpj, isValidDdd, isValidEmail, isValidLandline, isValidMobile, parseSlashDate, UFS } from "./br-formats.js";
import { isGuaranteedUnknownCep } from "./cep-data.js";
import { HttpError, asText, isRecord } from "./http-utils.js";
import { MSG } from "./messages.js";
import { readObjectCode } from "./object-codes.js";
import { parseMoneyCents, productRule } from "./price-table.js";

/** Reverse-logistics service codes (PAC REVERSO, SEDEX 12/10/HOJE REVERSO, SEDEX REVERSO). */
export const REVERSE_SERVICES: readonly string[] = ["03301", "03174", "03182", "03190", "03247"];
/** Additional services a pre-posting may carry: AR, mão própria, declared value (019 SEDEX family, 064 PAC family). */
export const ADDITIONAL_SERVICES: readonly string[] = ["001", "002", "019", "064"];
const DECLARED_VALUE_CODES = ["019", "064"];
const PAYMENT_MODES = ["1", "2", "3", "A_VISTA", "A_FATURAR", "A_VISTA_E_A_FATURAR"];
const REVERSE_VALIDITY_MAX_DAYS = 30;
const DAY_MS = 86_400_000;

/** Descriptions Correios refuses as generic, folded (lower case, no accents, digits or punctuation). */
const GENERIC_CONTENT = new Set([
  "produto", "produtos", "volume", "volumes", "item", "itens", "mercadoria", "mercadorias", "diversos", "outros",
  "objeto", "objetos", "encomenda", "encomendas", "caixa", "pacote", "conteudo", "material", "materiais", "teste",
]);

export interface Address {
  cep: string;
  logradouro: string;
  numero: string;
  complemento?: string;
  bairro: string;
  cidade: string;
  uf: string;
}

export interface Person {
  nome: string;
  cpfCnpj?: string;
  dddTelefone?: string;
  telefone?: string;
  dddCelular?: string;
  celular?: string;
  email?: string;
  endereco: Address;
}

export interface ContentItem {
  conteudo: string;
  quantidade: string;
  valor: string;
}

export interface AdditionalService {
  codigoServicoAdicional: string;
  valorDeclarado?: string;
}

/** A request that passed every check: the fields as sent (trimmed), plus what the simulator derives from them. */
export interface PrepostRequest {
  echo: Record<string, unknown>;
  remetente: Person;
  destinatario: Person;
  codigoServico: string;
  weightG: number;
  format: "1" | "2" | "3";
  itens: ContentItem[];
  services: AdditionalService[];
  declaredCents: number;
  reverse: boolean;
  /** Naive midnight of dataValidadeLogReversa (reverse only). */
  reverseValidUntil?: number;
  pickup: boolean;
  codigoObjetoIda?: string;
}

function refuse(msg: string): never {
  throw new HttpError(400, [msg]);
}

function text(record: Record<string, unknown>, name: string): string | undefined {
  const v = asText(record[name]);
  return v === undefined || v === "" ? undefined : v;
}

/** Checks the body for `account`; `todayNaive` is today's date in Brasília as naive midnight. */
export function checkPrepost(body: unknown, account: Account, todayNaive: number): PrepostRequest {
  if (!isRecord(body)) refuse(MSG.badBody);
  const remetente = checkPerson(body["remetente"], "remetente");
  const destinatario = checkPerson(body["destinatario"], "destinatário");

  const codigoServico = text(body, "codigoServico");
  if (!codigoServico) refuse(MSG.ppnServiceMissing);
  if (!account.products.includes(codigoServico)) refuse(MSG.ppnServiceNotOnCard(codigoServico));
  const card = text(body, "numeroCartaoPostagem");
  if (card !== undefined && card !== account.card) refuse(MSG.ppnCardMismatch);
  const idCorreios = text(body, "idCorreios");
  if (idCorreios !== undefined && idCorreios !== account.login) refuse(MSG.ppnIdCorreiosMismatch);

  const reverseFlag = text(body, "logisticaReversa") ?? "N";
  if (reverseFlag !== "S" && reverseFlag !== "N") refuse(MSG.ppnFlagInvalid("logisticaReversa"));
  const reverse = reverseFlag === "S";
  const reverseCode = REVERSE_SERVICES.includes(codigoServico);
  if (reverse && !reverseCode) refuse(MSG.ppnServiceNotReverse(codigoServico));
  if (!reverse && reverseCode) refuse(MSG.ppnServiceOnlyReverse(codigoServico));

  const weight = text(body, "pesoInformado");
  if (!weight || !/^\d{1,6}$/.test(weight) || Number(weight) <= 0) refuse(MSG.ppnWeightInvalid);
  const weightG = Number(weight);
  const rule = productRule(codigoServico);
  if (weightG > rule.maxWeightG) refuse(MSG.ppnWeightOverLimit(codigoServico, rule.maxWeightG));

  const format = text(body, "codigoFormatoObjetoInformado");
  if (format !== "1" && format !== "2" && format !== "3") refuse(MSG.ppnFormatInvalid);
  checkDimensions(body, format);

  if (text(body, "cienteObjetoNaoProibido") !== "1") refuse(MSG.ppnNotProhibitedMissing);
  const itens = checkContent(body["itensDeclaracaoConteudo"]);
  const services = checkAdditionalServices(body["listaServicoAdicional"], codigoServico, rule.family);
  const declared = services.find((s) => DECLARED_VALUE_CODES.includes(s.codigoServicoAdicional));
  const declaredCents = declared ? parseMoneyCents(declared.valorDeclarado)! : 0;

  const posting = text(body, "dataPrevistaPostagem");
  if (posting !== undefined) {
    const day = parseSlashDate(posting);
    if (day === undefined || day < todayNaive) refuse(MSG.ppnPostingDateInvalid);
  }
  const pickupFlag = text(body, "solicitarColeta") ?? "N";
  if (pickupFlag !== "S" && pickupFlag !== "N") refuse(MSG.ppnFlagInvalid("solicitarColeta"));
  const observacao = text(body, "observacao");
  if (observacao !== undefined && observacao.length > 50) refuse(MSG.ppnTextTooLong("observacao", 50));
  const chaveNFe = text(body, "chaveNFe");
  if (chaveNFe !== undefined && !/^\d{44}$/.test(chaveNFe)) refuse(MSG.ppnInvoiceKeyInvalid);
  const payment = text(body, "modalidadePagamento");
  if (payment !== undefined && !PAYMENT_MODES.includes(payment)) refuse(MSG.ppnPaymentInvalid);

  let reverseValidUntil: number | undefined;
  let codigoObjetoIda: string | undefined;
  if (reverse) {
    const validity = parseSlashDate(text(body, "dataValidadeLogReversa") ?? "");
    if (validity === undefined || validity < todayNaive || validity > todayNaive + REVERSE_VALIDITY_MAX_DAYS * DAY_MS) {
      refuse(MSG.ppnReverseValidityInvalid);
    }
    reverseValidUntil = validity;
    const outbound = text(body, "codigoObjetoIda");
    if (outbound !== undefined) codigoObjetoIda = readObjectCode(outbound) ?? refuse(MSG.ppnOutboundCodeInvalid);
  }

  return {
    echo: echoOf(body),
    remetente,
    destinatario,
    codigoServico,
    weightG,
    format,
    itens,
    services,
    declaredCents,
    reverse,
    reverseValidUntil,
    pickup: reverse && pickupFlag === "S",
    codigoObjetoIda,
  };
}

function checkPerson(input: unknown, role: string): Person {
  if (!isRecord(input)) refuse(MSG.ppnPersonMissing(role));
  const nome = text(input, "nome");
  if (!nome || nome.length > 50) refuse(MSG.ppnNameInvalid(role));
  const cpfCnpj = text(input, "cpfCnpj");
  if (cpfCnpj !== undefined && !isValidCpfCnpj(cpfCnpj)) refuse(MSG.ppnDocumentInvalid(role));

  const telefone = text(input, "telefone");
  const dddTelefone = text(input, "dddTelefone");
  if (telefone !== undefined) {
    if (!isValidLandline(telefone)) refuse(MSG.ppnPhoneInvalid(role));
    if (!dddTelefone || !isValidDdd(dddTelefone)) refuse(MSG.ppnAreaCodeInvalid(role));
  }
  const celular = text(input, "celular");
  const dddCelular = text(input, "dddCelular");
  if (celular !== undefined) {
    if (!isValidMobile(celular)) refuse(MSG.ppnMobileInvalid(role));
    if (!dddCelular || !isValidDdd(dddCelular)) refuse(MSG.ppnAreaCodeInvalid(role));
  }
  const email = text(input, "email");
  if (email !== undefined && !isValidEmail(email)) refuse(MSG.ppnEmailInvalid(role));

  const endereco = checkAddress(input["endereco"], role);
  return {
    nome,
    endereco,
    ...(cpfCnpj ? { cpfCnpj } : {}),
    ...(telefone ? { dddTelefone, telefone } : {}),
    ...(celular ? { dddCelular, celular } : {}),
    ...(email ? { email } : {}),
  };
}

function checkAddress(input: unknown, role: string): Address {
  if (!isRecord(input)) refuse(MSG.ppnAddressMissing(role));
  const cep = text(input, "cep");
  if (!cep || !/^\d{8}$/.test(cep) || cep === "00000000") refuse(MSG.ppnCepInvalid(role));
  if (isGuaranteedUnknownCep(cep)) refuse(MSG.ppnCepNotFound(role));
  const field = (name: string, max: number, required: boolean): string | undefined => {
    const v = text(input, name);
    if (v === undefined) return required ? refuse(MSG.ppnAddressFieldMissing(name, role)) : undefined;
    if (v.length > max) refuse(MSG.ppnAddressFieldTooLong(name, role, max));
    return v;
  };
  const logradouro = field("logradouro", 50, true)!;
  const numero = field("numero", 6, true)!;
  const complemento = field("complemento", 30, false);
  const bairro = field("bairro", 30, true)!;
  const cidade = field("cidade", 30, true)!;
  const uf = text(input, "uf")?.toUpperCase();
  if (!uf || !UFS.includes(uf)) refuse(MSG.ppnUfInvalid(role));
  return { cep, logradouro, numero, ...(complemento ? { complemento } : {}), bairro, cidade, uf };
}

function checkDimensions(body: Record<string, unknown>, format: "1" | "2" | "3"): void {
  const cm = (name: string, min: number, max: number, required: boolean): number => {
    const v = text(body, name);
    if (v === undefined && !required) return 0;
    const n = Number(v?.replace(",", "."));
    if (v === undefined || !/^\d+([.,]\d+)?$/.test(v) || n < min || n > max) refuse(MSG.ppnDimensionInvalid(name, min, max));
    return n;
  };
  if (format === "2") {
    const sum = cm("comprimentoInformado", 15, 100, true) + cm("larguraInformada", 10, 100, true) + cm("alturaInformada", 1, 100, true);
    if (sum > 200) refuse(MSG.ppnDimensionSum);
  } else if (format === "3") {
    const sum = cm("comprimentoInformado", 18, 100, true) + 2 * cm("diametroInformado", 5, 91, true);
    if (sum > 200) refuse(MSG.ppnDimensionSum);
  }
}

function foldContent(value: string): string {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\(([a-z]{1,2})\)/g, "$1") // produto(s) → produtos
    .replace(/[^a-z]+/g, " ")
    .trim()
    .replace(/\s+/g, " ");
}

function checkContent(input: unknown): ContentItem[] {
  if (!Array.isArray(input) || input.length === 0) refuse(MSG.ppnContentDeclarationMissing);
  return input.map((raw, i) => {
    const item = isRecord(raw) ? raw : {};
    const n = i + 1;
    const conteudo = text(item, "conteudo") ?? "";
    if (conteudo.length < 5 || conteudo.length > 60) refuse(MSG.ppnContentTooShort(n));
    const folded = foldContent(conteudo);
    if (folded === "" || GENERIC_CONTENT.has(folded) || folded.split(" ").every((w) => GENERIC_CONTENT.has(w))) {
      refuse(MSG.ppnContentGeneric(n));
    }
    const quantidade = text(item, "quantidade") ?? "";
    if (!/^\d{1,5}$/.test(quantidade) || Number(quantidade) <= 0) refuse(MSG.ppnQuantityInvalid(n));
    const valor = text(item, "valor") ?? "";
    const cents = parseMoneyCents(valor);
    if (cents === undefined || cents <= 0) refuse(MSG.ppnValueInvalid(n));
    return { conteudo, quantidade, valor };
  });
}

function checkAdditionalServices(input: unknown, codigoServico: string, family: "SEDEX" | "PAC"): AdditionalService[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) refuse(MSG.ppnAdditionalServiceInvalid(String(input)));
  return input.map((raw) => {
    const item = isRecord(raw) ? raw : {};
    const code = text(item, "codigoServicoAdicional") ?? "";
    if (!ADDITIONAL_SERVICES.includes(code)) refuse(MSG.ppnAdditionalServiceInvalid(code));
    // Declared value changed to 064 for the PAC family and stayed 019 for SEDEX.
    if ((code === "019" && family === "PAC") || (code === "064" && family === "SEDEX")) {
      refuse(MSG.ppnAdditionalServiceNotForService(code, codigoServico));
    }
    if (!DECLARED_VALUE_CODES.includes(code)) return { codigoServicoAdicional: code };
    const valorDeclarado = text(item, "valorDeclarado");
    const cents = parseMoneyCents(valorDeclarado);
    if (valorDeclarado === undefined || cents === undefined || cents <= 0) refuse(MSG.ppnDeclaredValueMissing(code));
    return { codigoServicoAdicional: code, valorDeclarado };
  });
}

/** Request fields echoed back in the record, as sent (unknown keys are dropped). */
const ECHO_FIELDS = [
  "idCorreios", "remetente", "destinatario", "codigoServico", "numeroNotaFiscal", "numeroCartaoPostagem", "chaveNFe",
  "listaServicoAdicional", "itensDeclaracaoConteudo", "pesoInformado", "codigoFormatoObjetoInformado", "alturaInformada",
  "larguraInformada", "comprimentoInformado", "diametroInformado", "ncmObjeto", "rfidObjeto", "cienteObjetoNaoProibido",
  "idAtendimento", "solicitarColeta", "dataPrevistaPostagem", "observacao", "modalidadePagamento", "logisticaReversa",
  "dataValidadeLogReversa", "codigoObjetoIda",
];

function echoOf(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ECHO_FIELDS) if (body[key] !== undefined && body[key] !== null) out[key] = structuredClone(body[key]);
  return out;
}
