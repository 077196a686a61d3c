// The example shop's orders: deterministic fixtures whose tracking codes cycle through every parcel history the
// Correios simulator knows, so a page of orders shows every shipment status.
import { codeForScenario, type Scenario } from "../../simulator/index.js";

export interface Order {
  id: string;
  number: string;
  customer: string;
  total: string;
  trackingCode: string;
  /** The parcel, as the Correios subgraph's Order.shippingQuotes needs it (@requires). */
  originCep: string;
  destinationCep: string;
  totalWeightGrams: number;
  packageLengthCm: number;
  packageWidthCm: number;
  packageHeightCm: number;
}

/** The shop ships from its São Paulo warehouse. */
export const SHOP_CEP = "01310-100";

/** Customers in Campinas, Rio de Janeiro, Manaus and Porto Alegre: regional, national and farther routes. */
const DESTINATIONS = ["13010-111", "20040-020", "69005-010", "90010-150"];

const SCENARIOS: readonly Scenario[] = [
  "DELIVERED",
  "IN_TRANSIT",
  "POSTED",
  "OUT_FOR_DELIVERY",
  "AWAITING_PICKUP",
  "DELIVERY_FAILED",
  "RETURNED",
  "NOT_FOUND",
];

const CUSTOMERS = ["Ana Souza", "Bruno Lima", "Carla Dias", "Diego Alves", "Elisa Rocha", "Fábio Nunes", "Gabriela Reis"];

/** Order i gets the (i / 8)-th code of the (i mod 8)-th scenario, so every code is distinct. */
export function buildOrders(count: number): Order[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `ord-${String(i + 1).padStart(4, "0")}`,
    number: `#${1001 + i}`,
    customer: CUSTOMERS[i % CUSTOMERS.length]!,
    total: ((4990 + ((i * 3571) % 45_000)) / 100).toFixed(2),
    trackingCode: codeForScenario(SCENARIOS[i % SCENARIOS.length]!, Math.floor(i / SCENARIOS.length) + 1),
    originCep: SHOP_CEP,
    destinationCep: DESTINATIONS[i % DESTINATIONS.length]!,
    totalWeightGrams: 300 + ((i * 137) % 2700),
    packageLengthCm: 20 + (i % 3) * 5,
    packageWidthCm: 15,
    packageHeightCm: 10,
  }));
}
