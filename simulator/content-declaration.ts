// The content declaration (declaração de conteúdo) as HTML, one section per pre-posting, the way the PPN API answers
// GET /prepostagem/v1/prepostagens/declaracaoconteudo/{ids}. The layout is ours; the fields are the request's.

import type { Person } from "./prepost-checks.js";
import type { PrepostRecord } from "./prepost-store.js";

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function party(title: string, p: Person): string {
  const a = p.endereco;
  const rows = [
    ["Nome", p.nome],
    ["Endereço", `${a.logradouro}, ${a.numero}${a.complemento ? ` - ${a.complemento}` : ""}`],
    ["Bairro", a.bairro],
    ["Cidade/UF", `${a.cidade}/${a.uf}`],
    ["CEP", `${a.cep.slice(0, 5)}-${a.cep.slice(5)}`],
    ["CPF/CNPJ", p.cpfCnpj ?? ""],
  ];
  return `<table class="parte"><caption>${title}</caption>${rows
    .map(([k, v]) => `<tr><th>${k}</th><td>${escape(v!)}</td></tr>`)
    .join("")}</table>`;
}

function section(r: PrepostRecord): string {
  const req = r.request;
  const items = req.itens
    .map((item, i) => `<tr><td>${i + 1}</td><td>${escape(item.conteudo)}</td><td>${escape(item.quantidade)}</td><td>${escape(item.valor)}</td></tr>`)
    .join("");
  return `<section class="declaracao" data-id="${escape(r.id)}">
<h1>DECLARAÇÃO DE CONTEÚDO</h1>
<p>Objeto: <strong>${escape(r.code)}</strong> · Pré-postagem ${escape(r.id)}</p>
${party("REMETENTE", req.remetente)}
${party("DESTINATÁRIO", req.destinatario)}
<table class="itens"><caption>IDENTIFICAÇÃO DOS BENS</caption>
<tr><th>Item</th><th>Conteúdo</th><th>Quantidade</th><th>Valor (R$)</th></tr>${items}</table>
<p>Peso total: ${req.weightG} g</p>
<p>Declaro que não me enquadro no conceito de contribuinte previsto no art. 4º da Lei Complementar nº 87/1996 e que o
conteúdo declarado não está sujeito à tributação nem é objeto proibido no fluxo postal.</p>
</section>`;
}

export function contentDeclarationHtml(records: readonly PrepostRecord[]): string {
  return `<!DOCTYPE html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>Declaração de conteúdo</title></head>
<body>
${records.map(section).join('\n<div style="page-break-after: always"></div>\n')}
</body></html>
`;
}
