// Every scenario, in the order `--scenario all` runs them. The profile is run on demand only (it slows the subgraph).
import type { BenchContext } from "../lib/context.js";
import type { ScenarioResult } from "../lib/report.js";
import * as baseline from "./baseline.js";
import * as ceiling from "./ceiling.js";
import * as cep from "./cep.js";
import * as labels from "./labels.js";
import * as coldStart from "./cold-start.js";
import * as gateway from "./gateway.js";
import * as growth from "./growth.js";
import * as jit from "./jit.js";
import * as latency from "./latency.js";
import * as observability from "./observability.js";
import * as profile from "./profile.js";
import * as quotes from "./quotes.js";
import * as shipments from "./shipments.js";
import * as watch from "./watch.js";

export interface Scenario {
  name: string;
  inAll: boolean;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: "baseline", inAll: true, run: (ctx) => baseline.run(ctx) },
  { name: "shipments", inAll: true, run: (ctx) => shipments.run(ctx) },
  { name: "ceiling", inAll: true, run: (ctx) => ceiling.run(ctx) },
  { name: "latency", inAll: true, run: (ctx) => latency.run(ctx) },
  { name: "cold-start", inAll: true, run: (ctx) => coldStart.run(ctx) },
  { name: "growth", inAll: true, run: (ctx) => growth.run(ctx) },
  { name: "quotes", inAll: true, run: (ctx) => quotes.run(ctx) },
  { name: "gateway", inAll: true, run: (ctx) => gateway.run(ctx) },
  { name: "labels", inAll: true, run: (ctx) => labels.run(ctx) },
  { name: "cep", inAll: true, run: (ctx) => cep.run(ctx) },
  { name: "watch", inAll: true, run: (ctx) => watch.run(ctx) },
  { name: "profile", inAll: false, run: (ctx) => profile.run(ctx) },
  { name: "observability", inAll: false, run: (ctx) => observability.run(ctx) },
  { name: "jit", inAll: false, run: (ctx) => jit.run(ctx) },
];
