// The simulator's public surface.

export * from "./server.js";
export { historyOf, deliveredAt, type History, type TrackingEvent } from "./tracking-histories.js";
export { MSG } from "./messages.js";
export { BASE_CENTS, PRODUCT_RULES, bandOf, deadlineDays, formatCents, productPriceCents, productRule } from "./price-table.js";
export { GENERATED_RANGES, KNOWN_CEPS, UNKNOWN_RANGE, addressOfCep, generatedCep, type CepAddress } from "./cep-data.js";
export { AGENCIES, type Agency } from "./agencies-data.js";
export { CODE_BASE, STATUS as PREPOST_STATUS } from "./prepost-store.js";
