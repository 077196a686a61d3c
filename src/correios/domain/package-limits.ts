// Size, weight and declared-value limits for national parcels: one table, checked before asking Correios for a
// price. The price API remains the authority (its txErro answers); these checks only catch what is certainly wrong.
//
// Sources found with the search tool:
// - Box, envelope and roll dimensions: the Mandaê article "Proibições dos Correios"
//   (mandae.com.br/o-que-posso-e-o-que-nao-posso-enviar-pelos-correios) lists exactly the facts-file numbers: box
//   length 15–100, width 10–100, height 1–100, L+W+H 26–200; envelope 16–60 × 11–60; roll length 18–100,
//   diameter 5–91 [2+ with the facts file; older pre-CWS pages say 16–105/11–105/2–105, so the limits did change].
// - Weight: SEDEX and PAC up to 30 kg; SEDEX 10, SEDEX 12 and SEDEX Hoje up to 10 kg [1: Mandaê; SEDEX Hoje 10 kg
//   also on caixadepapelaodeise.com.br → 2+ for Hoje]. PAC up to 50 kg within a state by contract is not modelled.
// - Not confirmed: envelope up to 1 kg and roll length + 2 × diameter ≤ 200 cm [?: facts file only]; roll weight
//   is taken as the box weight [?].
// - Declared value: the minimum is 10 × the first weight step of a national letter [1: correios.com.br "Valor
//   Declarado"]; that step was R$ 2,55 from April 2024 [1: O Liberal, 2024-03], so R$ 25,50 [?: tariffs change
//   every year]. Maximum R$ 10.000 SEDEX, R$ 3.000 PAC, R$ 100 Mini Envios [1: Melhor Envio help article].

import { formatCents } from "./money.js";
import { productOf, type ProductFamily } from "./products.js";

export const PACKAGE_FORMATS = ["ENVELOPE", "BOX", "ROLL"] as const;
export type PackageFormat = (typeof PACKAGE_FORMATS)[number];

export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface FormatLimits {
  readonly maxWeightGrams: number;
  readonly lengthCm: Range;
  readonly widthCm?: Range;
  readonly heightCm?: Range;
  readonly diameterCm?: Range;
  /** Length + width + height. */
  readonly maxSumCm?: number;
  /** Length + 2 × diameter. */
  readonly maxLengthPlusTwoDiametersCm?: number;
}

export const PACKAGE_LIMITS: Readonly<Record<PackageFormat, FormatLimits>> = Object.freeze({
  BOX: {
    maxWeightGrams: 30_000,
    lengthCm: { min: 15, max: 100 },
    widthCm: { min: 10, max: 100 },
    heightCm: { min: 1, max: 100 },
    // The published minimum sum (26 cm) equals the sum of the minimums, so it needs no check of its own.
    maxSumCm: 200,
  },
  ENVELOPE: {
    maxWeightGrams: 1_000,
    lengthCm: { min: 16, max: 60 },
    widthCm: { min: 11, max: 60 },
  },
  ROLL: {
    maxWeightGrams: 30_000,
    lengthCm: { min: 18, max: 100 },
    diameterCm: { min: 5, max: 91 },
    maxLengthPlusTwoDiametersCm: 200,
  },
});

/** Services with a lower weight ceiling than their format allows: SEDEX 12, 10 and Hoje, and their reverses. */
export const SERVICE_MAX_WEIGHT_GRAMS: Readonly<Record<string, number>> = Object.freeze({
  "03140": 10_000,
  "03158": 10_000,
  "03204": 10_000,
  "03174": 10_000,
  "03182": 10_000,
  "03190": 10_000,
});

/** tpObjeto / codigoFormatoObjetoInformado: 1 envelope, 2 box or package, 3 roll or cylinder [2+]. */
const CORREIOS_FORMAT: Readonly<Record<PackageFormat, "1" | "2" | "3">> = Object.freeze({
  ENVELOPE: "1",
  BOX: "2",
  ROLL: "3",
});

export function formatToCorreios(format: PackageFormat): "1" | "2" | "3" {
  if (!isPackageFormat(format)) throw new RangeError(`unknown package format: ${String(format).slice(0, 20)}`);
  return CORREIOS_FORMAT[format];
}

export function isPackageFormat(value: unknown): value is PackageFormat {
  return typeof value === "string" && (PACKAGE_FORMATS as readonly string[]).includes(value);
}

export interface PackageInput {
  format: PackageFormat;
  weightGrams: number;
  lengthCm?: number;
  widthCm?: number;
  heightCm?: number;
  diameterCm?: number;
}

export interface LimitError {
  field: string;
  message: string;
}

type Dimension = "lengthCm" | "widthCm" | "heightCm" | "diameterCm";

const DIMENSION_LABEL: Readonly<Record<Dimension, string>> = {
  lengthCm: "Length",
  widthCm: "Width",
  heightCm: "Height",
  diameterCm: "Diameter",
};

/**
 * Every problem with a package, one entry per field (empty when valid). Dimensions that do not apply to the format
 * (height of an envelope, width of a roll) are ignored. Pass the service code to apply its own weight ceiling.
 */
export function validatePackage(p: PackageInput, serviceCode?: string): LimitError[] {
  if (typeof p !== "object" || p === null) return [{ field: "package", message: "Package is missing." }];
  const format: unknown = p.format;
  if (!isPackageFormat(format)) {
    return [{ field: "package.format", message: "Package format must be ENVELOPE, BOX or ROLL." }];
  }
  const limits = PACKAGE_LIMITS[format];
  const errors: LimitError[] = [];

  const serviceMax = typeof serviceCode === "string" ? SERVICE_MAX_WEIGHT_GRAMS[serviceCode] : undefined;
  const weightError = checkWeight(p.weightGrams, limits.maxWeightGrams, format, serviceCode, serviceMax);
  if (weightError) errors.push({ field: "package.weightGrams", message: weightError });

  const dims: Partial<Record<Dimension, number>> = {};
  let allDimensionsValid = true;
  for (const dim of ["lengthCm", "widthCm", "heightCm", "diameterCm"] as const) {
    const range = limits[dim];
    if (!range) continue;
    const message = checkDimension(p[dim], range, DIMENSION_LABEL[dim], format);
    if (message) {
      errors.push({ field: `package.${dim}`, message });
      allDimensionsValid = false;
    } else {
      dims[dim] = p[dim];
    }
  }

  // Combined limits only make sense once each side is a valid number.
  if (allDimensionsValid) {
    const { lengthCm = 0, widthCm = 0, heightCm = 0, diameterCm = 0 } = dims;
    if (limits.maxSumCm !== undefined && lengthCm + widthCm + heightCm > limits.maxSumCm) {
      errors.push({
        field: "package",
        message: `Length + width + height must be at most ${limits.maxSumCm} cm (got ${fmt(lengthCm + widthCm + heightCm)} cm).`,
      });
    }
    const maxRoll = limits.maxLengthPlusTwoDiametersCm;
    if (maxRoll !== undefined && lengthCm + 2 * diameterCm > maxRoll) {
      errors.push({
        field: "package",
        message: `Length + 2 × diameter must be at most ${maxRoll} cm (got ${fmt(lengthCm + 2 * diameterCm)} cm).`,
      });
    }
  }
  return errors;
}

function checkWeight(
  value: unknown,
  formatMax: number,
  format: PackageFormat,
  serviceCode: string | undefined,
  serviceMax: number | undefined,
): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) return "Weight must be a number of grams.";
  if (!Number.isInteger(value)) return "Weight must be a whole number of grams.";
  if (value <= 0) return "Weight must be more than 0 grams.";
  if (value > formatMax) {
    return `A ${format.toLowerCase()} may weigh at most ${formatMax} g (got ${value} g).`;
  }
  if (serviceMax !== undefined && value > serviceMax) {
    const name = productOf(serviceCode ?? "")?.name ?? `Service ${serviceCode}`;
    return `${name} takes at most ${serviceMax} g (got ${value} g).`;
  }
  return undefined;
}

function checkDimension(value: unknown, range: Range, label: string, format: PackageFormat): string | undefined {
  const what = `${label} of a ${format.toLowerCase()}`;
  if (value === undefined || value === null) return `${label} is required for a ${format.toLowerCase()}.`;
  if (typeof value !== "number" || !Number.isFinite(value)) return `${label} must be a number of centimetres.`;
  if (value <= 0) return `${label} must be more than 0 cm.`;
  if (value < range.min || value > range.max) {
    return `${what} must be between ${range.min} and ${range.max} cm (got ${fmt(value)} cm).`;
  }
  return undefined;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

// ---------------------------------------------------------------------------------------------------------------
// Declared value, in cents. 0 means "no declared value" and is always accepted.

export const DECLARED_VALUE_LIMITS: Readonly<Record<ProductFamily, Range>> = Object.freeze({
  SEDEX: { min: 2_550, max: 1_000_000 },
  PAC: { min: 2_550, max: 300_000 },
  MINI: { min: 2_550, max: 10_000 },
  // Unknown products: the widest range, so we never refuse what Correios might accept.
  OTHER: { min: 2_550, max: 1_000_000 },
});

export function declaredValueLimits(serviceCode?: string): Range {
  const family = typeof serviceCode === "string" ? productOf(serviceCode)?.family : undefined;
  return DECLARED_VALUE_LIMITS[family ?? "OTHER"];
}

export function validateDeclaredValue(cents: number, serviceCode?: string): LimitError[] {
  const field = "declaredValue";
  if (typeof cents !== "number" || !Number.isSafeInteger(cents)) {
    return [{ field, message: "Declared value must be a whole number of cents." }];
  }
  if (cents < 0) return [{ field, message: "Declared value must not be negative." }];
  if (cents === 0) return [];
  const { min, max } = declaredValueLimits(serviceCode);
  const product = typeof serviceCode === "string" ? productOf(serviceCode) : undefined;
  const forWhom = product ? ` for ${product.name}` : "";
  if (cents < min || cents > max) {
    return [
      {
        field,
        message: `Declared value${forWhom} must be between R$ ${formatCents(min)} and R$ ${formatCents(max)} (got R$ ${formatCents(cents)}); use 0 for none.`,
      },
    ];
  }
  return [];
}
