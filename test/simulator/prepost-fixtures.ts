// Pre-posting request bodies and calls shared by the PPN and label tests of the simulator.

import type { Simulator } from "../../simulator/index.js";

export const SENDER_CNPJ = "11222333000181";
export const RECIPIENT_CPF = "52998224725";

const DAY_MS = 86_400_000;

/** Today in Brasília (UTC−3) plus `days`, as dd/MM/yyyy. */
export function brasiliaDate(days = 0): string {
  const iso = new Date(Date.now() - 3 * 3_600_000 + days * DAY_MS).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** Today in Brasília plus `days`, as yyyy-MM-dd. */
export function brasiliaIsoDate(days = 0): string {
  return new Date(Date.now() - 3 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);
}

/** A valid PAC pre-posting, São Paulo → Campinas, 350 g box 20 × 15 × 10. */
export function order(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    remetente: {
      nome: "Loja Demo Ltda",
      cpfCnpj: SENDER_CNPJ,
      dddTelefone: "11",
      telefone: "33334444",
      email: "envios@lojademo.com.br",
      endereco: { cep: "01310100", logradouro: "Avenida Paulista", numero: "1000", complemento: "Sala 5", bairro: "Bela Vista", cidade: "São Paulo", uf: "SP" },
    },
    destinatario: {
      nome: "Maria da Silva",
      cpfCnpj: RECIPIENT_CPF,
      dddCelular: "19",
      celular: "991234567",
      endereco: { cep: "13010111", logradouro: "Rua Barão de Jaguara", numero: "1150", bairro: "Centro", cidade: "Campinas", uf: "SP" },
    },
    codigoServico: "03298",
    pesoInformado: "350",
    codigoFormatoObjetoInformado: "2",
    comprimentoInformado: "20",
    larguraInformada: "15",
    alturaInformada: "10",
    cienteObjetoNaoProibido: "1",
    itensDeclaracaoConteudo: [{ conteudo: "Caneca de cerâmica", quantidade: "2", valor: "35,00" }],
    ...overrides,
  };
}

/** A PAC REVERSO authorization: the customer (Campinas) sends back to the shop (São Paulo). */
export function reverseOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = order();
  return order({
    remetente: base["destinatario"],
    destinatario: base["remetente"],
    codigoServico: "03301",
    logisticaReversa: "S",
    dataValidadeLogReversa: brasiliaDate(10),
    solicitarColeta: "N",
    ...overrides,
  });
}

export function withPerson(role: "remetente" | "destinatario", patch: Record<string, unknown>, body = order()): Record<string, unknown> {
  return { ...body, [role]: { ...(body[role] as Record<string, unknown>), ...patch } };
}

export function withAddress(role: "remetente" | "destinatario", patch: Record<string, unknown>, body = order()): Record<string, unknown> {
  const person = body[role] as Record<string, unknown>;
  return withPerson(role, { endereco: { ...(person["endereco"] as Record<string, unknown>), ...patch } }, body);
}

export function send(sim: Simulator, method: string, path: string, token?: string, body?: unknown) {
  return fetch(`${sim.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export interface PrepostBody {
  id: string;
  codigoObjeto: string;
  statusAtual: number;
  [key: string]: unknown;
}

export async function create(sim: Simulator, token: string, body: unknown = order()): Promise<PrepostBody> {
  const res = await send(sim, "POST", "/prepostagem/v1/prepostagens", token, body);
  if (res.status !== 200) throw new Error(`pre-posting failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as PrepostBody;
}

export function control(sim: Simulator, method: string, path: string, body?: unknown) {
  return send(sim, method, `/__simulator/${path}`, undefined, body);
}
