// A few Correios units per city for GET /agencia/v1/unidades, in the manual's shape. Names and addresses are
// plausible, not the real unit register; ids, codes and the status/type numbers are ours (status 2 = active,
// tipoUnidade 09 = AC agência própria, 16 = AGF franqueada).

export interface Agency {
  id: string;
  codigoAntigo: string;
  codigoCadastroGeral: string;
  nome: string;
  ativa: boolean;
  status: number;
  descStatus: string;
  tipo: string;
  tipoUnidade: { codigo: string; descricao: string; sigla: string };
  emails: string[];
  endereco: {
    cep: string;
    uf: string;
    localidade: string;
    municipio: string;
    logradouro: string;
    bairro: string;
    numero: string;
    codigoIbge: string;
    regiao: string;
    latitude: number;
    longitude: number;
    fuso: string;
    fusoVerao: string;
  };
  horarios: { funcionamento: string; iniExpediente: string; fimExpediente: string; limitePostagemSemana: string };
  codigoSro: string[];
  dhAlteracao: string;
}

const OWN = { codigo: "09", descricao: "AGÊNCIA DE CORREIOS", sigla: "AC" };
const FRANCHISE = { codigo: "16", descricao: "AGÊNCIA DE CORREIOS FRANQUEADA", sigla: "AGF" };

type Row = [
  id: string, nome: string, franchise: boolean, cep: string, uf: string, municipio: string, ibge: string, regiao: string,
  logradouro: string, numero: string, bairro: string, lat: number, lon: number, hours: [string, string, string],
];

const ROWS: readonly Row[] = [
  ["00410127", "AC PAULISTA", false, "01310100", "SP", "São Paulo", "3550308", "SUDESTE", "Avenida Paulista", "1000", "Bela Vista", -23.5646, -46.6527, ["09:00", "17:00", "16:00"]],
  ["00410135", "AC SE", false, "01001000", "SP", "São Paulo", "3550308", "SUDESTE", "Praça da Sé", "108", "Sé", -23.5503, -46.6339, ["09:00", "17:00", "16:00"]],
  ["00410143", "AGF ITAIM BIBI", true, "04538133", "SP", "São Paulo", "3550308", "SUDESTE", "Avenida Brigadeiro Faria Lima", "3477", "Itaim Bibi", -23.5868, -46.6825, ["08:30", "18:00", "17:00"]],
  ["00410151", "AC VILA MARIANA", false, "04101000", "SP", "São Paulo", "3550308", "SUDESTE", "Rua Domingos de Morais", "1300", "Vila Mariana", -23.5893, -46.6347, ["09:00", "17:00", "16:00"]],
  ["00420125", "AC CENTRAL DO RIO", false, "20040002", "RJ", "Rio de Janeiro", "3304557", "SUDESTE", "Rua Primeiro de Março", "64", "Centro", -22.9035, -43.1753, ["09:00", "17:00", "16:00"]],
  ["00420133", "AGF COPACABANA", true, "22070011", "RJ", "Rio de Janeiro", "3304557", "SUDESTE", "Avenida Atlântica", "2200", "Copacabana", -22.9711, -43.1822, ["09:00", "18:00", "17:00"]],
  ["00430120", "AC AFONSO PENA", false, "30140071", "MG", "Belo Horizonte", "3106200", "SUDESTE", "Avenida Afonso Pena", "1270", "Funcionários", -19.9291, -43.9378, ["09:00", "17:00", "16:00"]],
  ["00440128", "AC CURITIBA CENTRO", false, "80020310", "PR", "Curitiba", "4106902", "SUL", "Rua XV de Novembro", "700", "Centro", -25.4296, -49.2713, ["09:00", "17:00", "16:00"]],
  ["00440136", "AGF BATEL", true, "80420000", "PR", "Curitiba", "4106902", "SUL", "Avenida do Batel", "1550", "Batel", -25.4420, -49.2887, ["10:00", "19:00", "18:00"]],
  ["00450121", "AC PORTO ALEGRE CENTRO", false, "90010150", "RS", "Porto Alegre", "4314902", "SUL", "Rua dos Andradas", "1100", "Centro Histórico", -30.0299, -51.2307, ["09:00", "17:00", "16:00"]],
  ["00460124", "AC RECIFE", false, "50030230", "PE", "Recife", "2611606", "NORDESTE", "Avenida Rio Branco", "210", "Recife", -8.0631, -34.8711, ["09:00", "17:00", "16:00"]],
  ["00470127", "AC CAMPINAS", false, "13010111", "SP", "Campinas", "3509502", "SUDESTE", "Rua Barão de Jaguara", "1150", "Centro", -22.9056, -47.0608, ["09:00", "17:00", "16:00"]],
];

export const AGENCIES: readonly Agency[] = ROWS.map(
  ([id, nome, franchise, cep, uf, municipio, ibge, regiao, logradouro, numero, bairro, latitude, longitude, [ini, fim, limite]]) => ({
    id,
    codigoAntigo: id.slice(2),
    codigoCadastroGeral: `${id}01`,
    nome,
    ativa: true,
    status: 2,
    descStatus: "ATIVA",
    tipo: franchise ? FRANCHISE.sigla : OWN.sigla,
    tipoUnidade: franchise ? FRANCHISE : OWN,
    emails: [`${nome.toLowerCase().replace(/[^a-z]+/g, ".")}@correios.com.br`],
    endereco: {
      cep,
      uf,
      localidade: municipio,
      municipio,
      logradouro,
      bairro,
      numero,
      codigoIbge: ibge,
      regiao,
      latitude,
      longitude,
      fuso: "-03:00",
      fusoVerao: "-03:00",
    },
    horarios: { funcionamento: `Segunda a sexta, das ${ini} às ${fim}`, iniExpediente: ini, fimExpediente: fim, limitePostagemSemana: limite },
    codigoSro: [`${cep.slice(0, 5)}970`],
    dhAlteracao: "2025-01-15T08:00:00",
  }),
);
