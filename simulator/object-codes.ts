// The simulator's own reading of UPU S10 object codes (AA123456785BR). Written apart from the subgraph's validators on
// purpose: if both shared one function, a bug in it would be mirrored here and no test could see it.

const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

/** S10 check digit: weighted sum mod 11, with the two special remainders (0 → 5, 1 → 0). */
export function checkDigitOf(serial: string): number {
  const sum = [...serial].reduce((acc, ch, i) => acc + (ch.charCodeAt(0) - 48) * WEIGHTS[i]!, 0);
  const rest = sum % 11;
  return rest === 0 ? 5 : rest === 1 ? 0 : 11 - rest;
}

/** The code in canonical form when it is one Correios would accept (shape and check digit), else undefined. */
export function readObjectCode(input: unknown): string | undefined {
  if (typeof input !== "string") return undefined;
  const code = input.trim().toUpperCase();
  const m = /^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$/.exec(code);
  if (!m || checkDigitOf(m[1]!) !== Number(m[2])) return undefined;
  return code;
}

/** A valid code from a prefix and a serial number (0 to 99 999 999). */
export function objectCode(prefix: string, serial: number, country = "BR"): string {
  const digits = String(serial).padStart(8, "0");
  return `${prefix.toUpperCase()}${digits}${checkDigitOf(digits)}${country.toUpperCase()}`;
}
