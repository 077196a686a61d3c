// What a scenario returns, how it is printed (Markdown tables, pasteable into BENCHMARKS.md) and saved
// (bench/results/<scenario>-<timestamp>.json, kept out of git).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { join } from "node:path";
import type { BenchSettings } from "./settings.js";

export interface Table {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}

/** A target from the issue, judged on this run. */
export interface Check {
  target: string;
  value: string;
  met: boolean;
}

export interface ScenarioResult<D = unknown> {
  scenario: string;
  title: string;
  settings: BenchSettings;
  /** The raw figures (what the smoke test asserts on). */
  data: D;
  tables: Table[];
  checks: Check[];
  notes: string[];
}

export const RESULTS_DIR = join(import.meta.dirname, "..", "results");

export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: `${process.platform} ${release()}`,
  };
}

export function renderTable(t: Table): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map(String))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [`**${t.title}**`, "", line(cells[0]!), rule, ...cells.slice(1).map(line)].join("\n");
}

export function renderChecks(checks: Check[]): string {
  return renderTable({
    title: "Targets",
    columns: ["target", "this run", "met"],
    rows: checks.map((c) => [c.target, c.value, c.met ? "met" : "NOT met"]),
  });
}

export function renderResult(r: ScenarioResult): string {
  const parts = [`### ${r.title}`, ...r.tables.map(renderTable)];
  if (r.checks.length) parts.push(renderChecks(r.checks));
  if (r.notes.length) parts.push(r.notes.map((n) => `- ${n}`).join("\n"));
  return parts.join("\n\n");
}

/** Writes the result with the machine and settings; returns the file path. */
export function writeResult(r: ScenarioResult, at = new Date()): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${r.scenario}-${at.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ ...r, machine: machine(), at: at.toISOString() }, null, 2)}\n`);
  return file;
}

/** "0.62×" of the baseline; "-" without one. */
export function ratio(value: number, baseline: number | undefined): string {
  if (!baseline) return "-";
  return `${(value / baseline).toFixed(2)}×`;
}

export const ms = (x: number) => x.toFixed(x >= 100 ? 0 : 1);
