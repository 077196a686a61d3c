// The CEP API: GET /cep/v2/enderecos/{cep} (8 digits, no hyphen) [CONFIRMED], several at once with ?cep=A&cep=B
// answering {itens: [...]} [1: RCB tests]. Fields mapped once to our English Address.
import type { CorreiosHttpClient } from "../../upstream/http-client.js";
import { CWS_PATHS } from "./endpoints.js";
import { UpstreamError } from "../../upstream/errors.js";

export interface CepAddress {
  cep: string;
  street?: string;
  streetType?: string;
  district?: string;
  city: string;
  state: string;
  complement?: string;
  /** Correios' tipoCEP: street, unit, large user, … as Correios names it. */
  cepType?: string;
  numberFrom?: string;
  numberTo?: string;
  side?: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : undefined);

export function mapCep(item: unknown): CepAddress | undefined {
  if (!item || typeof item !== "object") return undefined;
  const b = item as Record<string, unknown>;
  const cep = str(b.cep)?.replace(/\D/g, "");
  const city = str(b.localidade);
  const state = str(b.uf);
  if (!cep || cep.length !== 8 || !city || !state) return undefined;
  return {
    cep,
    street: str(b.logradouro),
    streetType: str(b.tipoLogradouro),
    district: str(b.bairro),
    city,
    state: state.toUpperCase(),
    complement: str(b.complemento),
    cepType: str(b.tipoCEP),
    numberFrom: str(b.numeroInicial),
    numberTo: str(b.numeroFinal),
    side: str(b.lado),
  };
}

export class CepClient {
  constructor(
    private readonly http: CorreiosHttpClient,
    private readonly baseUrl: string,
  ) {}

  /** One CEP; undefined when Correios does not know it (404, or a 400 that says so). */
  async lookup(token: string, cep: string): Promise<CepAddress | undefined> {
    try {
      const res = await this.http.request<unknown>({
        api: "cep",
        method: "GET",
        url: `${this.baseUrl}${CWS_PATHS.cep}/${encodeURIComponent(cep)}`,
        headers: { authorization: `Bearer ${token}` },
      });
      const address = mapCep(res.body);
      if (!address) throw new UpstreamError("BAD_RESPONSE", "cep", "Correios CEP API answered without an address");
      return address;
    } catch (e) {
      if (e instanceof UpstreamError && (e.details.status === 404 || (e.details.status === 400 && isNotFoundMessage(e.details.upstreamMessages)))) return undefined;
      throw e;
    }
  }
}

/** A 400 whose message says the CEP does not exist is an answer (not found), not a refused request [?: wording]. */
function isNotFoundMessage(msgs: string[] | undefined): boolean {
  return (msgs ?? []).some((m) => /n[ãa]o (encontrad|localizad|exist)|inexistente|not found/i.test(m));
}
