// The simulator's address base, deterministic so tests and benchmarks can rely on it:
// - KNOWN_CEPS: a small table of real-looking addresses (checked first);
// - GENERATED_RANGES: every CEP inside these ranges exists, with a street derived from its digits
//   (01400000–01499999 and 04000000–04999999 São Paulo, 22000000–22999999 Rio de Janeiro, 30100000–30199999 Belo
//   Horizonte, 80000000–80099999 Curitiba, 90000000–90099999 Porto Alegre, 50000000–50099999 Recife);
// - every other CEP is unknown; 00000001–00999999 is kept unknown for good (no real CEP starts with 00), and the
//   pre-posting API refuses it too ("CEP … não encontrado").
// Field meanings (tipoCEP 2 = street CEP, lado P/I/A = even/odd/both sides, numeroLocalidade) are ours.

export interface CepAddress {
  cep: string;
  uf: string;
  numeroLocalidade: number;
  localidade: string;
  logradouro: string;
  tipoLogradouro: string;
  nomeLogradouro: string;
  complemento: string;
  abreviatura: string;
  bairro: string;
  tipoCEP: number;
  cepUnidadeOperacional: string;
  lado: string;
  numeroInicial: number;
  numeroFinal: number;
}

interface City {
  localidade: string;
  uf: string;
  numeroLocalidade: number;
  bairros: readonly string[];
}

const CITIES: Record<string, City> = {
  SP: { localidade: "São Paulo", uf: "SP", numeroLocalidade: 9668, bairros: ["Bela Vista", "Consolação", "Vila Mariana", "Moema", "Saúde", "Jabaquara", "Ipiranga", "Vila Clementino"] },
  RJ: { localidade: "Rio de Janeiro", uf: "RJ", numeroLocalidade: 6928, bairros: ["Copacabana", "Ipanema", "Leblon", "Botafogo", "Flamengo", "Laranjeiras", "Lagoa", "Gávea"] },
  BH: { localidade: "Belo Horizonte", uf: "MG", numeroLocalidade: 4123, bairros: ["Centro", "Funcionários", "Savassi", "Lourdes", "Santo Agostinho", "Barro Preto"] },
  CWB: { localidade: "Curitiba", uf: "PR", numeroLocalidade: 7535, bairros: ["Centro", "Batel", "Água Verde", "Rebouças", "Alto da XV", "Cristo Rei"] },
  POA: { localidade: "Porto Alegre", uf: "RS", numeroLocalidade: 8646, bairros: ["Centro Histórico", "Cidade Baixa", "Bom Fim", "Farroupilha", "Floresta"] },
  REC: { localidade: "Recife", uf: "PE", numeroLocalidade: 5658, bairros: ["Recife", "Santo Antônio", "São José", "Boa Vista", "Soledade"] },
  SSA: { localidade: "Salvador", uf: "BA", numeroLocalidade: 3934, bairros: ["Centro"] },
  BSB: { localidade: "Brasília", uf: "DF", numeroLocalidade: 1778, bairros: ["Asa Norte", "Asa Sul"] },
  CPQ: { localidade: "Campinas", uf: "SP", numeroLocalidade: 9051, bairros: ["Centro"] },
  MAO: { localidade: "Manaus", uf: "AM", numeroLocalidade: 2065, bairros: ["Centro"] },
  FLN: { localidade: "Florianópolis", uf: "SC", numeroLocalidade: 8452, bairros: ["Centro"] },
};

type Row = [cep: string, city: keyof typeof CITIES, tipo: string, nome: string, bairro: string, complemento: string, lado: string, ini: number, fim: number];

const ROWS: readonly Row[] = [
  ["01001000", "SP", "Praça", "da Sé", "Sé", "lado ímpar", "I", 1, 999],
  ["01001001", "SP", "Praça", "da Sé", "Sé", "lado par", "P", 2, 998],
  ["01310100", "SP", "Avenida", "Paulista", "Bela Vista", "de 612 a 1510 - lado par", "P", 612, 1510],
  ["01310200", "SP", "Avenida", "Paulista", "Bela Vista", "de 1512 a 2132 - lado par", "P", 1512, 2132],
  ["01311000", "SP", "Avenida", "Paulista", "Bela Vista", "de 1 a 609 - lado ímpar", "I", 1, 609],
  ["04538133", "SP", "Avenida", "Brigadeiro Faria Lima", "Itaim Bibi", "de 3253 ao fim - lado ímpar", "I", 3253, 99999],
  ["13010111", "CPQ", "Rua", "Barão de Jaguara", "Centro", "de 1001 a 1379 - lado ímpar", "I", 1001, 1379],
  ["20040002", "RJ", "Rua", "Primeiro de Março", "Centro", "até 79 - lado ímpar", "I", 1, 79],
  ["20040020", "RJ", "Avenida", "Rio Branco", "Centro", "de 1 a 79 - lado ímpar", "I", 1, 79],
  ["22070011", "RJ", "Avenida", "Atlântica", "Copacabana", "de 2132 a 2964 - lado par", "P", 2132, 2964],
  ["30130010", "BH", "Praça", "Sete de Setembro", "Centro", "", "A", 1, 999],
  ["30140071", "BH", "Avenida", "Afonso Pena", "Funcionários", "de 1501 a 2099 - lado ímpar", "I", 1501, 2099],
  ["40020000", "SSA", "Rua", "Chile", "Centro", "", "A", 1, 999],
  ["50030230", "REC", "Avenida", "Rio Branco", "Recife", "", "A", 1, 999],
  ["69005010", "MAO", "Rua", "Guilherme Moreira", "Centro", "", "A", 1, 999],
  ["70040010", "BSB", "Setor", "Bancário Norte Quadra 1", "Asa Norte", "", "A", 1, 999],
  ["80010000", "CWB", "Praça", "Tiradentes", "Centro", "", "A", 1, 999],
  ["80020310", "CWB", "Rua", "XV de Novembro", "Centro", "de 1 a 299 - lado ímpar", "I", 1, 299],
  ["88010400", "FLN", "Praça", "Quinze de Novembro", "Centro", "", "A", 1, 999],
  ["90010150", "POA", "Rua", "dos Andradas", "Centro Histórico", "de 1 a 599 - lado ímpar", "I", 1, 599],
  ["90020004", "POA", "Avenida", "Borges de Medeiros", "Centro Histórico", "de 1 a 399 - lado ímpar", "I", 1, 399],
];

const ABBREVIATIONS: Record<string, string> = { Rua: "R", Avenida: "Av", Praça: "Pç", Travessa: "Tv", Alameda: "Al", Setor: "St" };

function addressOf(cep: string, city: City, tipo: string, nome: string, bairro: string, complemento: string, lado: string, ini: number, fim: number): CepAddress {
  return {
    cep,
    uf: city.uf,
    numeroLocalidade: city.numeroLocalidade,
    localidade: city.localidade,
    logradouro: `${tipo} ${nome}`,
    tipoLogradouro: tipo,
    nomeLogradouro: nome,
    complemento,
    abreviatura: `${ABBREVIATIONS[tipo] ?? tipo} ${nome}`,
    bairro,
    tipoCEP: 2,
    cepUnidadeOperacional: `${cep.slice(0, 5)}970`,
    lado,
    numeroInicial: ini,
    numeroFinal: fim,
  };
}

export const KNOWN_CEPS: ReadonlyMap<string, CepAddress> = new Map(
  ROWS.map(([cep, city, tipo, nome, bairro, complemento, lado, ini, fim]) => [
    cep,
    addressOf(cep, CITIES[city]!, tipo, nome, bairro, complemento, lado, ini, fim),
  ]),
);

/** Inclusive ranges whose every CEP exists, with a generated street. */
export const GENERATED_RANGES: readonly { from: string; to: string; city: keyof typeof CITIES }[] = [
  { from: "01400000", to: "01499999", city: "SP" },
  { from: "04000000", to: "04999999", city: "SP" },
  { from: "22000000", to: "22999999", city: "RJ" },
  { from: "30100000", to: "30199999", city: "BH" },
  { from: "80000000", to: "80099999", city: "CWB" },
  { from: "90000000", to: "90099999", city: "POA" },
  { from: "50000000", to: "50099999", city: "REC" },
];

export const UNKNOWN_RANGE = { from: "00000001", to: "00999999" } as const;

const TYPES = ["Rua", "Avenida", "Travessa", "Alameda"];
const TITLES = ["Professor", "Doutor", "Coronel", "Padre", "General", "Dona", "Comendador", "Engenheiro", "Capitão", "Maestro"];
const SURNAMES = [
  "Almeida", "Barbosa", "Cardoso", "Duarte", "Esteves", "Ferraz", "Gusmão", "Honório", "Ipiranga", "Junqueira",
  "Lacerda", "Monteiro", "Nogueira", "Otoni", "Peixoto", "Queiroz", "Rebouças", "Siqueira", "Teixeira", "Vasconcelos",
];

function generated(cep: string, city: City): CepAddress {
  const n = Number(cep.slice(2));
  const tipo = TYPES[n % TYPES.length]!;
  const nome = `${TITLES[Math.floor(n / 4) % TITLES.length]} ${SURNAMES[Math.floor(n / 40) % SURNAMES.length]}`;
  const bairro = city.bairros[Math.floor(n / 1000) % city.bairros.length]!;
  return addressOf(cep, city, tipo, nome, bairro, "", "A", 1, 9999);
}

/** The address of a CEP (8 digits), or undefined when the simulator does not know it. */
export function addressOfCep(cep: string): CepAddress | undefined {
  const known = KNOWN_CEPS.get(cep);
  if (known) return known;
  const range = GENERATED_RANGES.find((r) => cep >= r.from && cep <= r.to);
  return range ? generated(cep, CITIES[range.city]!) : undefined;
}

/** True for the range no CEP will ever be added to. */
export function isGuaranteedUnknownCep(cep: string): boolean {
  return cep >= UNKNOWN_RANGE.from && cep <= UNKNOWN_RANGE.to;
}

/** The n-th generated CEP (0-based), walking the generated ranges in order: a supply of distinct known CEPs. */
export function generatedCep(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError("n must be a non-negative integer");
  let left = n;
  for (const r of GENERATED_RANGES) {
    const size = Number(r.to) - Number(r.from) + 1;
    if (left < size) return String(Number(r.from) + left).padStart(8, "0");
    left -= size;
  }
  throw new RangeError("n is past the generated ranges");
}

