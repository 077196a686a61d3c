// Headless Chromium for the console's end-to-end tests: Debian's chromium package driven by playwright-core, with the
// flags that work offline and a fresh profile per run. Without Chromium the tests skip (saying how to install it);
// with CI=true they fail instead.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const truthy = (v: string | undefined) => !!v && !["0", "false", "no"].includes(v.toLowerCase());

/** Whether the browser tests can run here; throws under CI=true when they cannot. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const how = `Chromium is not at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (Debian/Ubuntu) or set CHROMIUM_PATH.`;
  if (truthy(process.env.CI)) throw new Error(`The admin console's browser tests must run in CI. ${how}`);
  console.warn(`Skipping the admin console's browser tests. ${how}`);
  return false;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(viewport = { width: 1280, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "console-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    // The flags are given as they are; playwright's own headless switch would add a second --headless.
    headless: false,
    args: CHROMIUM_FLAGS,
    viewport,
    locale: "pt-BR",
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations on the page as it is now (the script is injected, not fetched). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated as a script through CDP, so the page's Content-Security-Policy does not apply to it.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/**
 * Where screenshots go: docs/screenshots/ (committed, shown in the README) with UPDATE_SCREENSHOTS=1; otherwise a
 * temporary folder, so a test run does not rewrite the committed images (their dates differ on every run).
 */
export const SCREENSHOTS_DIR = truthy(process.env.UPDATE_SCREENSHOTS)
  ? join(import.meta.dirname, "..", "..", "docs", "screenshots")
  : join(tmpdir(), "correios-console-screenshots");

/** The console open in a fresh browser: sign in through its token form, screenshots, axe, and what went wrong. */
export interface ConsoleSession extends Browser {
  /** Uncaught script errors and Content-Security-Policy refusals seen so far. */
  errors: string[];
  url(hash?: string): string;
  /** Opens the screen and signs in through the token form (signing out first when a token is held). */
  signIn(token: string, hash?: string): Promise<void>;
  screenshot(name: string): Promise<void>;
  violations(): Promise<AxeViolation[]>;
}

export async function openConsole(graphqlUrl: string): Promise<ConsoleSession> {
  const browser = await openBrowser();
  const { page } = browser;
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (/Content.Security.Policy/i.test(m.text())) errors.push(m.text());
  });
  const url = (hash = "credentials") => `${new URL(graphqlUrl).origin}/admin/#${hash}`;
  return {
    ...browser,
    errors,
    url,
    async signIn(token, hash = "credentials") {
      await page.goto(url(hash));
      const signOut = page.getByRole("button", { name: "Sair" });
      if (await signOut.isVisible()) await signOut.click();
      await page.getByLabel("Token de acesso (JWT)").fill(token);
      await page.getByRole("button", { name: "Entrar" }).click();
      await page.locator("main h1").waitFor();
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
    },
    violations: () => seriousViolations(page),
  };
}
