// The agency API: GET /agencia/v1/unidades with municipio / uf / bairro and page / size [CONFIRMED: manual §12].
// Answer fields mapped once to our English Agency.
import type { CorreiosHttpClient } from "../../upstream/http-client.js";
import { CWS_PATHS } from "./endpoints.js";
import { UpstreamError } from "../../upstream/errors.js";

export interface Agency {
  id: string;
  name: string;
  status?: string;
  unitType?: string;
  address: { cep?: string; street?: string; number?: string; district?: string; city?: string; state?: string };
  latitude?: number;
  longitude?: number;
  openingHours?: string;
  opensAt?: string;
  closesAt?: string;
  /** limitePostagemSemana: the weekday time after which a posting leaves the next working day. */
  weekdayPostingCutoff?: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.replace(",", ".")) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

export function mapAgency(item: unknown): Agency | undefined {
  if (!item || typeof item !== "object") return undefined;
  const b = item as Record<string, unknown>;
  const id = str(b.id) ?? str(b.codigoCadastroGeral);
  const name = str(b.nome);
  if (!id || !name) return undefined;
  const e = (b.endereco && typeof b.endereco === "object" ? b.endereco : {}) as Record<string, unknown>;
  const h = (b.horarios && typeof b.horarios === "object" ? b.horarios : {}) as Record<string, unknown>;
  const t = (b.tipoUnidade && typeof b.tipoUnidade === "object" ? b.tipoUnidade : {}) as Record<string, unknown>;
  return {
    id,
    name,
    status: str(b.descStatus) ?? str(b.status),
    unitType: str(t.descricao) ?? str(t.sigla),
    address: { cep: str(e.cep), street: str(e.logradouro), number: str(e.numero), district: str(e.bairro), city: str(e.municipio) ?? str(e.localidade), state: str(e.uf) },
    latitude: num(e.latitude),
    longitude: num(e.longitude),
    openingHours: str(h.funcionamento),
    opensAt: str(h.iniExpediente),
    closesAt: str(h.fimExpediente),
    weekdayPostingCutoff: str(h.limitePostagemSemana),
  };
}

export class AgencyClient {
  constructor(
    private readonly http: CorreiosHttpClient,
    private readonly baseUrl: string,
  ) {}

  async search(token: string, q: { city: string; state: string; district?: string; size: number }): Promise<Agency[]> {
    const params = new URLSearchParams({ municipio: q.city, uf: q.state, page: "0", size: String(q.size) });
    if (q.district) params.set("bairro", q.district);
    const res = await this.http.request<{ itens?: unknown[] }>({
      api: "agencies",
      method: "GET",
      url: `${this.baseUrl}${CWS_PATHS.agencies}?${params}`,
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.body !== undefined && !Array.isArray(res.body?.itens)) {
      throw new UpstreamError("BAD_RESPONSE", "agencies", "Correios agency API answered without a list of units");
    }
    return (res.body?.itens ?? []).map(mapAgency).filter((a): a is Agency => a !== undefined);
  }
}
