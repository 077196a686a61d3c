// The admin console at /admin, as its users meet it: served by the subgraph, opened in headless Chromium, every
// action going through the page's own forms to this server's /graphql and on to the simulator. The subgraph here has a
// ROUTER_SECRET, so these tests also show the console working where the subgraph otherwise answers only its router.
// Screenshots of each screen go to docs/screenshots/ (shown in the README) with UPDATE_SCREENSHOTS=1.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumAvailable, openConsole, type ConsoleSession } from "./helpers/browser.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { CORREOS_ES_DEMO, DEMO } from "./helpers/fixtures.js";

// Browser globals used inside page.evaluate callbacks, which run in Chromium (module-scoped: no DOM lib for Node code).
declare const document: { activeElement: unknown; documentElement: { scrollWidth: number; clientWidth: number } };
declare function getComputedStyle(e: unknown): { outlineStyle: string };
interface FocusedElement {
  id: string;
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}

const ROUTER_SECRET = "router-secret-for-the-console-test";
const TOKEN_PATH = "/Api/Authorize/Token";

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)("the console in Chromium: credentials and postings", () => {
  let h: Harness;
  let c: ConsoleSession;
  let page: Page;
  const signIn = (token = h.operatorToken, hash = "credentials") => c.signIn(token, hash);
  const screenshot = (name: string) => c.screenshot(name);
  async function expectAccessible(name: string) {
    const violations = await c.violations();
    expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  beforeAll(async () => {
    h = await startHarness({
      env: (simUrl) => ({
        ROUTER_SECRET,
        LABEL_FIRST_POLL_MS: "20",
        LABEL_POLL_MAX_INTERVAL_MS: "50",
        CORREOS_ES_TOKEN_URL: `${simUrl}${TOKEN_PATH}`,
        CORREOS_ES_PRE_TOKEN_URL: `${simUrl}${TOKEN_PATH}`,
      }),
    });
    c = await openConsole(h.server.url);
    page = c.page;
  });
  afterAll(async () => {
    await c?.close();
    await h?.close();
  });

  it("registers a credential through the form: ACTIVE, its enabled APIs, the card typed with 00 shown in both forms", async () => {
    await signIn();
    await expect.poll(() => page.locator("main h1").textContent()).toBe("Credenciais");
    const form = page.locator("#br-form");
    await form.getByLabel("Loja (identificador do cliente)").fill("loja-centro");
    await form.getByLabel("Usuário").fill(DEMO.login);
    await form.getByLabel("Senha (código de acesso)").fill(DEMO.accessCode);
    await form.getByLabel("Cartão de postagem (cartão vinculado)").fill(DEMO.card);
    await form.getByRole("button", { name: "Salvar credencial" }).click();

    const saved = page.locator("#br-saved");
    await saved.waitFor();
    expect(await saved.getAttribute("data-status")).toBe("ACTIVE");
    expect(await saved.textContent()).toContain(`Cartão de postagem guardado como ${DEMO.card} (sem o 00: ${DEMO.card.slice(2)})`);
    const row = page.locator('#br-list tr[data-client-id="loja-centro"]');
    await row.waitFor();
    expect(await row.locator(".badge").textContent()).toBe("Ativa · ACTIVE");
    const apis = await row.locator(".apis li").allTextContents();
    expect(apis).toEqual(expect.arrayContaining(["Rastreamento (SRO) (87)", "Preço (34)", "Prazo (35)", "Pré-postagem (36)"]));
    expect(await row.textContent()).toContain(`sem o 00: ${DEMO.card.slice(2)}`);
    // The access code is never shown back, only its hint, and the field is emptied once saved.
    expect(await page.content()).not.toContain(DEMO.accessCode);
    expect(await form.getByLabel("Senha (código de acesso)").inputValue()).toBe("");
  });

  it("shows a card typed without 00 in the stored form (with 00)", async () => {
    const form = page.locator("#br-form");
    await form.getByLabel("Loja (identificador do cliente)").fill("loja-sem-zeros");
    await form.getByLabel("Usuário").fill(DEMO.login);
    await form.getByLabel("Senha (código de acesso)").fill(DEMO.accessCode);
    await form.getByLabel("Cartão de postagem (cartão vinculado)").fill(DEMO.card.slice(2));
    await form.getByRole("button", { name: "Salvar credencial" }).click();
    await expect.poll(() => page.locator("#br-saved").textContent()).toContain(`guardado como ${DEMO.card} (sem o 00: ${DEMO.card.slice(2)})`);
    await page.locator('#br-list tr[data-client-id="loja-sem-zeros"]').waitFor();
    expect(await page.locator('#br-list tr[data-client-id="loja-sem-zeros"] code').textContent()).toBe(DEMO.card);
  });

  it("shows the 401 guidance in full next to the access code when Correios refuses it", async () => {
    const form = page.locator("#br-form");
    await form.getByLabel("Loja (identificador do cliente)").fill("loja-401");
    await form.getByLabel("Usuário").fill(DEMO.login);
    const code = form.getByLabel("Senha (código de acesso)");
    await code.fill("WrongAccessCode0123456789abcdefghijKLMNO");
    await form.getByLabel("Cartão de postagem (cartão vinculado)").fill(DEMO.card);
    await form.getByRole("button", { name: "Salvar credencial" }).click();

    await expect.poll(() => code.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await code.getAttribute("aria-describedby"))!.split(" ");
    const error = page.locator(`[id="${describedBy.find((id) => id.endsWith("-error"))}"]`);
    const text = (await error.textContent())!;
    expect(text).toContain("Acesso negado (HTTP 401)");
    expect(text).toContain("o anterior deixou de funcionar em todos os sistemas");
    expect(text).toContain("Gestão de acesso a API's");
    // The server's own text follows, with Correios' message in it.
    expect(text).toMatch(/Acesso negado\. Verifique o usuário e senha/);
    expect(text).toMatch(/stopped working everywhere/);
    expect(await error.isVisible()).toBe(true);
    // Focus moves to the field in error, and the error count is announced.
    expect(await code.evaluate((n) => n === document.activeElement)).toBe(true);
    await expect.poll(() => page.locator("#alert").textContent()).toMatch(/1 campo\(s\) com erro/);
    // The other fields carry no error.
    expect(await form.getByLabel("Usuário").getAttribute("aria-invalid")).toBeNull();
    expect(await page.locator('#br-list tr[data-client-id="loja-401"]').count()).toBe(0);
    await screenshot("credentials-401");
  });

  it("registers a Correos (Spain) account in its own section", async () => {
    const form = page.locator("#es-form");
    await form.getByLabel("Loja (identificador do cliente)").fill("loja-madrid");
    await form.getByLabel("Client ID (CorreosID)").fill(CORREOS_ES_DEMO.clientId);
    await form.getByLabel("Client secret (CorreosID)").fill(CORREOS_ES_DEMO.clientSecret);
    await form.getByLabel("Escopos").fill("AP3 LBS RCG TPB");
    await form.getByRole("button", { name: "Salvar credencial" }).click();
    const row = page.locator('#es-list tr[data-client-id="loja-madrid"]');
    await row.waitFor();
    expect(await row.locator(".badge").textContent()).toBe("Ativa · ACTIVE");
    expect(await page.locator('#br-list tr[data-client-id="loja-madrid"]').count()).toBe(0);
  });

  it("verifies, and removes only after confirmation", async () => {
    const row = page.locator('#br-list tr[data-client-id="loja-sem-zeros"]');
    await row.getByRole("button", { name: "Verificar" }).click();
    await expect.poll(() => page.locator("#br-results").textContent()).toContain("Verificação de loja-sem-zeros: Ativa.");

    await row.getByRole("button", { name: "Remover" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("Remover a credencial dos Correios da loja loja-sem-zeros?");
    await dialog.getByRole("button", { name: "Cancelar" }).click();
    expect(await page.locator('#br-list tr[data-client-id="loja-sem-zeros"]').count()).toBe(1);

    await row.getByRole("button", { name: "Remover" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remover" }).click();
    await expect.poll(() => page.locator('#br-list tr[data-client-id="loja-sem-zeros"]').count()).toBe(0);
    expect(await page.locator('#br-list tr[data-client-id="loja-centro"]').count()).toBe(1);
  });

  it("credentials screen: no serious or critical accessibility violations; English on the toggle; readable at phone width", async () => {
    await expectAccessible("credentials");
    expect(await page.locator("main").textContent()).not.toMatch(/\b(null|undefined)\b/);
    await screenshot("credentials");
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.locator("main h1").textContent()).toBe("Credentials");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator("#br-form").getByLabel("Posting card (cartão de postagem)").count()).toBe(1);
    await expectAccessible("credentials (English)");
    await page.getByRole("button", { name: "Português" }).click();
    await expect.poll(() => page.locator("main h1").textContent()).toBe("Credenciais");

    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot("credentials-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("reaches every control by keyboard, with a visible focus ring", async () => {
    await page.reload();
    await page.locator("main h1").waitFor();
    const seen = new Set<string>();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press("Tab");
      const f = await page.evaluate(() => {
        const a = document.activeElement as FocusedElement;
        const style = getComputedStyle(a);
        const key = a.tagName === "BODY" ? "BODY" : a.getAttribute("data-field") || a.id || a.textContent?.trim().slice(0, 40) || a.tagName;
        return { key, outline: style.outlineStyle };
      });
      // Past the last control, focus leaves the page for the browser's own UI.
      if (f.key === "BODY") break;
      seen.add(f.key);
      expect(f.outline, f.key).not.toBe("none");
    }
    for (const key of ["nav", "lang-toggle", "sign-out", "input.apiLogin", "input.accessCode", "input.postingCard", "input.oauthClientSecret", "input.scopes"]) {
      expect([...seen].some((k) => k === key || (key === "nav" && k === "Postagens")), key).toBe(true);
    }
    // A hidden form is out of the tab order: once signed in, the token field is not reachable.
    expect(seen.has("token-input")).toBe(false);
  });

  async function fillParty(prefix: "sender" | "recipient", v: { name: string; document: string; cep: string; number: string; phone?: string; mobile?: string }) {
    const party = page.locator(`#posting-form fieldset[data-field="input.${prefix}"]`);
    await party.getByLabel("Nome", { exact: true }).fill(v.name);
    await party.getByLabel("CPF ou CNPJ").fill(v.document);
    if (v.phone) await party.getByLabel("Telefone fixo").fill(v.phone);
    if (v.mobile) await party.getByLabel("Celular").fill(v.mobile);
    await party.getByLabel("CEP", { exact: true }).fill(v.cep);
    await party.getByLabel("Número").fill(v.number);
    return party;
  }

  it("creates a posting with the address filled from the CEP (the shop's own token)", async () => {
    await signIn(await h.clientToken("loja-centro"), "postings");
    await expect.poll(() => page.locator("main h1").textContent()).toBe("Postagens");
    await expect.poll(() => page.locator("#session-who").textContent()).toMatch(/^Conectado como a loja loja-centro\./);
    await expect.poll(() => page.locator("#posting-count").textContent()).toBe("0 pré-postagem(ns).");

    const sender = await fillParty("sender", { name: "Loja Centro Ltda", document: "11.222.333/0001-81", phone: "(11) 3333-4444", cep: "01310-100", number: "1000" });
    // Filled by address(cep) through the subgraph from the simulator's CEP API.
    await expect.poll(() => sender.getByLabel("Logradouro").inputValue()).toBe("Avenida Paulista");
    expect(await sender.getByLabel("Bairro").inputValue()).toBe("Bela Vista");
    expect(await sender.getByLabel("Cidade").inputValue()).toBe("São Paulo");
    expect(await sender.getByLabel("UF").inputValue()).toBe("SP");
    const recipient = await fillParty("recipient", { name: "Maria da Silva", document: "529.982.247-25", mobile: "(21) 98765-4321", cep: "20040-020", number: "45" });
    await expect.poll(() => recipient.getByLabel("Logradouro").inputValue()).toBe("Avenida Rio Branco");
    expect(await recipient.getByLabel("Cidade").inputValue()).toBe("Rio de Janeiro");

    const form = page.locator("#posting-form");
    await form.getByLabel("Peso (g)").fill("800");
    await form.getByLabel("Comprimento (cm)").fill("20");
    await form.getByLabel("Largura (cm)").fill("15");
    await form.getByLabel("Altura (cm)").fill("10");
    await form.getByLabel("Conteúdo", { exact: true }).fill("Camiseta de algodão");
    await form.getByLabel("Quantidade").fill("2");
    await form.getByLabel("Valor unitário (R$)").fill("49,90");
    await form.getByRole("button", { name: "Criar pré-postagem" }).click();

    await expect.poll(() => page.locator("#posting-created").textContent()).toMatch(/^Pré-postagem criada: [A-Z]{2}\d{9}BR\./);
    const code = /([A-Z]{2}\d{9}BR)/.exec((await page.locator("#posting-created").textContent())!)![1]!;
    const row = page.locator("#posting-list tbody tr").filter({ hasText: code });
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("PRE_POSTED");
    expect(await row.textContent()).toContain("Maria da Silva");
    expect(await page.locator("#posting-count").textContent()).toBe("1 pré-postagem(ns).");
  });

  it("says next to the CEP when Correios does not know it, and shows userErrors next to their fields", async () => {
    const recipient = page.locator('#posting-form fieldset[data-field="input.recipient"]');
    const cep = recipient.getByLabel("CEP", { exact: true });
    await cep.fill("00000-500");
    await expect.poll(() => cep.getAttribute("aria-invalid")).toBe("true");
    const errorId = (await cep.getAttribute("aria-describedby"))!.split(" ").find((id) => id.endsWith("-error"))!;
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toContain("CEP 00000500 não encontrado nos Correios");

    const form = page.locator("#posting-form");
    await form.getByLabel("Conteúdo", { exact: true }).fill("produto");
    await recipient.getByLabel("CPF ou CNPJ").fill("111.111.111-11");
    await form.getByRole("button", { name: "Criar pré-postagem" }).click();
    const description = form.getByLabel("Conteúdo", { exact: true });
    await expect.poll(() => description.getAttribute("aria-invalid")).toBe("true");
    expect(await recipient.getByLabel("CPF ou CNPJ").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#posting-list tbody tr").count()).toBe(1);
    await screenshot("postings-errors");
  });

  it("requests a label and downloads its PDF", async () => {
    const row = page.locator("#posting-list tbody tr").first();
    await row.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Gerar etiquetas das selecionadas" }).click();
    const job = page.locator("#label-job");
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 20_000 }).toBe("READY");
    const open = page.locator("#label-open");
    expect(await open.getAttribute("target")).toBe("_blank");
    expect(await open.getAttribute("href")).toMatch(/^blob:/);
    // The link opens the PDF itself in the browser's viewer (a new tab under the console's CSP).
    const [viewer] = await Promise.all([c.context.waitForEvent("page"), open.click()]);
    await viewer.waitForLoadState();
    expect(viewer.url()).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//);
    expect(await viewer.evaluate("document.contentType")).toBe("application/pdf");
    await viewer.close();
    const [file] = await Promise.all([page.waitForEvent("download"), page.locator("#label-download").click()]);
    expect(file.suggestedFilename()).toMatch(/^LJ[0-9a-f]{32}\.pdf$/);
    const bytes = readFileSync((await file.path())!);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(500);
    // The label path is reached with the pasted token, past the router guard, as GraphQL is.
    expect(h.sim.requests().some((r) => r.endpoint === "labels")).toBe(true);
  });

  it("filters the list by status and cancels a posting after confirmation", async () => {
    const row = page.locator("#posting-list tbody tr").first();
    await row.getByRole("button", { name: "Cancelar pré-postagem" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancelar pré-postagem" }).click();
    await expect.poll(() => page.locator("#posting-list tbody tr").first().getAttribute("data-status")).toBe("CANCELLED");
    expect(await page.locator("#posting-list tbody tr").first().getByRole("button", { name: "Cancelar pré-postagem" }).count()).toBe(0);

    const filter = page.locator("#posting-filter");
    await filter.getByLabel("Situação").selectOption("PRE_POSTED");
    await filter.getByRole("button", { name: "Filtrar" }).click();
    await expect.poll(() => page.locator("#posting-count").textContent()).toBe("0 pré-postagem(ns).");
    await filter.getByLabel("Situação").selectOption("CANCELLED");
    await filter.getByRole("button", { name: "Filtrar" }).click();
    await expect.poll(() => page.locator("#posting-count").textContent()).toBe("1 pré-postagem(ns).");
  });

  it("postings screen: no serious or critical accessibility violations", async () => {
    await expectAccessible("postings");
    expect(await page.locator("main").textContent()).not.toMatch(/\b(null|undefined)\b/);
    await screenshot("postings");
  });

  it("lets an operator pick the shop, and says why the CEP cannot fill in for a token without one", async () => {
    await signIn(h.operatorToken, "postings");
    const picker = page.locator("#client-form");
    await picker.getByLabel("Loja (cliente)").fill("loja-centro");
    await picker.getByRole("button", { name: "Usar esta loja" }).click();
    await expect.poll(() => page.locator("#posting-count").textContent()).toBe("1 pré-postagem(ns).");
    const cep = page.locator('#posting-form fieldset[data-field="input.sender"]').getByLabel("CEP", { exact: true });
    await cep.fill("01310-100");
    const errorId = (await cep.getAttribute("aria-describedby"))!.split(" ").find((id) => id.endsWith("-error"))!;
    await expect.poll(() => page.locator(`[id="${errorId}"]`).textContent()).toMatch(/não nomeia uma loja/);
    await expectAccessible("postings (operator)");
  });

  it("ran without a script error or a CSP refusal", () => {
    expect(c.errors).toEqual([]);
  });
});
