// The simulator's own readers of Brazilian formats (CPF/CNPJ check digits, phones, UFs, dd/MM/yyyy dates). Written
// apart from the subgraph's validators on purpose, like object-codes.ts: a bug shared by both could not be seen.

export const UFS: readonly string[] = [
  "AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA", "PB",
  "PE", "PI", "PR", "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO",
];

function allSame(digits: string): boolean {
  return /^(\d)\1*$/.test(digits);
}

/** Mod-11 check digit over `digits` with the given weights (CNPJ rule; CPF uses the same with its own weights). */
function mod11(digits: string, weights: readonly number[]): number {
  const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

export function isValidCpf(cpf: string): boolean {
  if (!/^\d{11}$/.test(cpf) || allSame(cpf)) return false;
  const first = mod11(cpf, [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = mod11(cpf, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return first === Number(cpf[9]) && second === Number(cpf[10]);
}

export function isValidCnpj(cnpj: string): boolean {
  if (!/^\d{14}$/.test(cnpj) || allSame(cnpj)) return false;
  const first = mod11(cnpj, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = mod11(cnpj, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return first === Number(cnpj[12]) && second === Number(cnpj[13]);
}

/** Digits only, 11 (CPF) or 14 (CNPJ), check digits right. Punctuation is not accepted. */
export function isValidCpfCnpj(value: string): boolean {
  return value.length === 11 ? isValidCpf(value) : isValidCnpj(value);
}

/** Area code: two digits, 11 to 99 (no area code starts with 0 or 1x below 11). */
export function isValidDdd(value: string): boolean {
  return /^[1-9][1-9]$/.test(value);
}

/** Landline: 8 digits starting 2 to 5. A 9-digit mobile number here is the classic mistake Correios refuses. */
export function isValidLandline(value: string): boolean {
  return /^[2-5]\d{7}$/.test(value);
}

/** Mobile: 9 digits starting with 9. */
export function isValidMobile(value: string): boolean {
  return /^9\d{8}$/.test(value);
}

export function isValidEmail(value: string): boolean {
  return value.length <= 100 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** `dd/MM/yyyy` → naive midnight (UTC fields read as the calendar date), or undefined when not a real date. */
export function parseSlashDate(text: string): number | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (!m) return undefined;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return ms;
}

/** Naive ms → `dd/MM/yyyy`. */
export function formatSlashDate(naiveMs: number): string {
  const iso = new Date(naiveMs).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** Upper case without accents, single spaces: how the simulator compares place names. */
export function foldName(value: string): string {
  return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toUpperCase().replace(/\s+/g, " ").trim();
}
