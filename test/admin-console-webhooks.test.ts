// The console's webhooks screen in headless Chromium: an endpoint made through the form on a receiver this test
// starts, its secret shown once, a test event delivered and signed with that secret, a redelivery, a rotation, and
// axe-core on the screen. Behind a ROUTER_SECRET like the other console tests.
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumAvailable, openConsole, type ConsoleSession } from "./helpers/browser.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { startReceiver, type Receiver } from "./helpers/receiver.js";

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)("the console in Chromium: webhooks", () => {
  let h: Harness;
  let c: ConsoleSession;
  let page: Page;
  let rx: Receiver;
  let secret = "";

  beforeAll(async () => {
    h = await startHarness({
      env: { ROUTER_SECRET: "router-secret-for-the-console-test", WEBHOOK_ALLOW_PRIVATE_URLS: "true", WEBHOOK_RETRY_SCHEDULE: "20ms,20ms", WEBHOOK_TIMEOUT_MS: "2000" },
    });
    rx = await startReceiver();
    c = await openConsole(h.server.url);
    page = c.page;
  });
  afterAll(async () => {
    await c?.close();
    await rx?.close();
    await h?.close();
  });

  const endpointRow = () => page.locator("#endpoint-list tbody tr").first();
  const testDelivery = () => page.locator('#deliveries tr[data-type="webhook.test"]').first();

  it("creates an endpoint through the form and shows its secret once", async () => {
    await c.signIn(await h.clientToken("loja-centro"), "webhooks");
    await expect.poll(() => page.locator("main h1").textContent()).toBe("Webhooks");
    // The heading is drawn before the list's query answers: wait for the list itself.
    await expect.poll(() => page.locator("#endpoint-list").textContent()).toContain("Nenhum endpoint cadastrado ainda.");
    const form = page.locator("#webhook-form");
    await form.getByLabel("URL (https)").fill(rx.url);
    expect(await form.getByLabel("Qualquer novo evento (shipment.updated)").isChecked()).toBe(true);
    await form.getByLabel("Entregue (shipment.delivered)").check();
    await form.getByLabel("Descrição").fill("Loja centro");
    await form.getByRole("button", { name: "Criar endpoint" }).click();

    await page.locator("#webhook-secret").waitFor();
    secret = (await page.locator("#webhook-secret").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    expect(await page.locator("#webhook-secret-box").textContent()).toContain("não será mostrado de novo");
    expect(await page.getByRole("button", { name: "Copiar segredo" }).count()).toBe(1);
    await endpointRow().waitFor();
    expect(await endpointRow().getAttribute("data-status")).toBe("ACTIVE");
    expect(await endpointRow().textContent()).toContain(rx.url);
    expect(await endpointRow().textContent()).toContain("Entregue (shipment.delivered)");
  });

  it("sends a test event: delivered to the receiver, signed with the secret shown, its attempt listed", async () => {
    await endpointRow().getByRole("button", { name: "Enviar teste" }).click();
    await expect.poll(() => testDelivery().getAttribute("data-status"), { timeout: 20_000 }).toBe("DELIVERED");
    const [got] = await rx.waitForRequests(1);
    expect(() => new Webhook(secret).verify(got!.body, got!.headers)).not.toThrow();
    expect(JSON.parse(got!.body)).toMatchObject({ type: "webhook.test" });
    expect(await testDelivery().textContent()).toContain(got!.headers["webhook-id"]!);
    expect(await testDelivery().locator(".attempts li").allTextContents()).toEqual([expect.stringMatching(/HTTP 200/)]);
  });

  it("redelivers: a second attempt with the same webhook-id", async () => {
    await testDelivery().getByRole("button", { name: "Reenviar" }).click();
    await expect.poll(() => testDelivery().locator(".attempts li").count(), { timeout: 20_000 }).toBe(2);
    const requests = await rx.waitForRequests(2);
    expect(requests[1]!.headers["webhook-id"]).toBe(requests[0]!.headers["webhook-id"]);
    expect(await testDelivery().locator(".attempts li").nth(1).textContent()).toMatch(/HTTP 200.*reenvio/);
  });

  it("rotates the secret after confirmation and shows the new one once; the page never shows it again", async () => {
    await endpointRow().getByRole("button", { name: "Trocar segredo" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Trocar segredo" }).click();
    await expect.poll(() => page.locator("#webhook-secret").textContent()).not.toBe(secret);
    const rotated = (await page.locator("#webhook-secret").textContent())!;
    expect(rotated).toMatch(/^whsec_/);
    await expect.poll(() => endpointRow().textContent()).toContain("O segredo anterior ainda assina até");
    await c.screenshot("webhooks-secret");
    await page.reload();
    await endpointRow().waitFor();
    const html = await page.content();
    expect(html).not.toContain(rotated);
    expect(html).not.toContain(secret);
  });

  it("webhooks screen: no serious or critical accessibility violations", async () => {
    await endpointRow().getByRole("button", { name: "Entregas" }).click();
    await testDelivery().waitFor();
    const violations = await c.violations();
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
    expect(await page.locator("main").textContent()).not.toMatch(/\b(null|undefined)\b/);
    await c.screenshot("webhooks");
    expect(c.errors).toEqual([]);
  });
});
