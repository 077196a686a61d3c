// The simulator's public surface.

export * from "./server.js";
export { historyOf, deliveredAt, type History, type TrackingEvent } from "./tracking-histories.js";
export { MSG } from "./messages.js";
export { BASE_CENTS, PRODUCT_RULES, bandOf, deadlineDays, formatCents, productPriceCents, productRule } from "./price-table.js";
