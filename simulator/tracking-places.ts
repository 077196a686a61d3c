// Fixed tables the deterministic histories draw from: cities (indexed by a serial digit), sorting hubs, and
// postal types by code prefix. Names are plausible, not real unit registers.

export interface Place {
  cidade: string;
  uf: string;
  /** First 5 CEP digits; also the start of the units' SRO codes. */
  cep5: string;
}

export const CITIES: readonly Place[] = [
  { cidade: "SAO PAULO", uf: "SP", cep5: "01310" },
  { cidade: "RIO DE JANEIRO", uf: "RJ", cep5: "20040" },
  { cidade: "BELO HORIZONTE", uf: "MG", cep5: "30130" },
  { cidade: "CURITIBA", uf: "PR", cep5: "80010" },
  { cidade: "PORTO ALEGRE", uf: "RS", cep5: "90010" },
  { cidade: "SALVADOR", uf: "BA", cep5: "40010" },
  { cidade: "RECIFE", uf: "PE", cep5: "50010" },
  { cidade: "BRASILIA", uf: "DF", cep5: "70040" },
  { cidade: "CAMPINAS", uf: "SP", cep5: "13010" },
  { cidade: "MANAUS", uf: "AM", cep5: "69005" },
];

export const HUBS: readonly (Place & { nome: string })[] = [
  { nome: "CTE VILA MARIA", cidade: "SAO PAULO", uf: "SP", cep5: "02170" },
  { nome: "CTE BENFICA", cidade: "RIO DE JANEIRO", uf: "RJ", cep5: "20911" },
  { nome: "CTE CONTAGEM", cidade: "CONTAGEM", uf: "MG", cep5: "32280" },
  { nome: "CTE CAJAMAR", cidade: "CAJAMAR", uf: "SP", cep5: "07790" },
];

export const UNIT_TYPES = {
  agency: "Agência dos Correios",
  sorting: "Unidade de Tratamento",
  delivery: "Unidade de Distribuição",
  country: "País",
} as const;

export interface PostalType {
  sigla: string;
  descricao: string;
  categoria: string;
}

const POSTAL_TYPES: Record<string, Omit<PostalType, "sigla">> = {
  AA: { descricao: "ETIQUETA LOGICA SEDEX", categoria: "SEDEX" },
  AB: { descricao: "ETIQUETA LOGICA SEDEX", categoria: "SEDEX" },
  OB: { descricao: "ETIQUETA LOGICA SEDEX", categoria: "SEDEX" },
  QB: { descricao: "ETIQUETA LOGICA PAC", categoria: "PAC" },
  QC: { descricao: "ETIQUETA LOGICA PAC", categoria: "PAC" },
  AN: { descricao: "ETIQUETA LOGICA MINI ENVIOS", categoria: "MINI ENVIOS" },
  LX: { descricao: "OBJETO INTERNACIONAL PRIME", categoria: "INTERNACIONAL" },
  NL: { descricao: "OBJETO INTERNACIONAL", categoria: "INTERNACIONAL" },
};

export function postalTypeOf(prefix: string): PostalType {
  return { sigla: prefix, ...(POSTAL_TYPES[prefix] ?? { descricao: "OBJETO REGISTRADO", categoria: "ENCOMENDA" }) };
}
