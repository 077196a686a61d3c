// The webhooks screen: a shop's endpoints with their status, create (the signing secret shown once, with copy),
// rotate the secret, re-enable, remove; an endpoint's deliveries with every attempt, redeliver, and send a test event.
import { gql } from "./api.js";
import { announce, busy, clearErrors, confirmAction, el, explainError, field, notice, showUserErrors, statusBadge, table, valueOf } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { CREATE_WEBHOOK, ENABLE_WEBHOOK, REDELIVER_WEBHOOK, REMOVE_WEBHOOK, ROTATE_WEBHOOK_SECRET, SEND_TEST_WEBHOOK, WEBHOOK_DELIVERIES, WEBHOOK_ENDPOINTS } from "./operations.js";
import { chosenShop, shopPicker } from "./shop-picker.js";

const EVENTS = ["SHIPMENT_UPDATED", "SHIPMENT_STATUS_CHANGED", "SHIPMENT_DELIVERED", "SHIPMENT_DELIVERY_FAILED", "SHIPMENT_AWAITING_PICKUP", "SHIPMENT_RETURNED"];
const POLL_MS = 500;
const POLL_FOR_MS = 30_000;

export async function render(main, ctx) {
  const operator = ctx.claims.role === "operator";
  const screen = {
    ...ctx,
    operator,
    shop: () => chosenShop(ctx.claims),
    list: el("div", { id: "endpoint-list" }),
    results: el("div", { id: "webhook-results" }),
    deliveries: el("section", { id: "deliveries", "aria-labelledby": "deliveries-title", hidden: true }),
  };
  screen.refresh = () => loadEndpoints(screen);
  main.replaceChildren(
    el("h1", {}, t("wh.title")),
    el("p", { class: "intro" }, t("wh.intro")),
    ...(operator ? [shopPicker(ctx.claims, () => screen.refresh())] : []),
    el("section", { "aria-labelledby": "endpoints-title" },
      el("h2", { id: "endpoints-title" }, t("wh.list.title")),
      screen.results,
      screen.list,
    ),
    screen.deliveries,
    el("section", { "aria-labelledby": "wh-form-title" },
      el("h2", { id: "wh-form-title" }, t("wh.form.title")),
      createForm(screen),
    ),
  );
  await screen.refresh();
}

async function loadEndpoints(screen) {
  const { data } = await gql(WEBHOOK_ENDPOINTS, { clientId: screen.operator ? screen.shop() : undefined });
  const list = data.webhookEndpoints;
  if (!list.length) return screen.list.replaceChildren(el("p", { class: "empty" }, t("wh.none")));
  const rows = list.map((e) =>
    el("tr", { "data-endpoint-id": e.id, "data-status": e.status },
      el("th", { scope: "row" }, el("code", {}, e.url), e.description ? el("p", { class: "help" }, e.description) : null, screen.operator ? el("p", { class: "help" }, e.clientId) : null),
      el("td", {}, el("ul", { class: "apis" }, e.events.map((ev) => el("li", {}, t(`wh.ev.${ev}`))))),
      el("td", {}, statusBadge(e.status, "wh.status"),
        e.disabledReason ? el("p", { class: "help" }, t(`wh.reason.${e.disabledReason}`, {}, e.disabledReason), " ", formatDate(e.disabledAt)) : null,
        e.failingSince ? el("p", { class: "help" }, t("wh.failingSince", { when: formatDate(e.failingSince) })) : null),
      el("td", {}, formatDate(e.secretCreatedAt), e.previousSecretExpiresAt ? el("p", { class: "help" }, t("wh.previousUntil", { when: formatDate(e.previousSecretExpiresAt) })) : null),
      el("td", {}, el("div", { class: "actions" },
        el("button", { type: "button", class: "small", onclick: (ev) => sendTest(e, ev.currentTarget, screen) }, t("wh.test")),
        el("button", { type: "button", class: "small secondary", onclick: () => showDeliveries(e, screen) }, t("wh.deliveries")),
        el("button", { type: "button", class: "small secondary", onclick: () => rotate(e, screen) }, t("wh.rotate")),
        e.status === "DISABLED" ? el("button", { type: "button", class: "small secondary", onclick: () => enable(e, screen) }, t("wh.enable")) : null,
        el("button", { type: "button", class: "small danger", onclick: () => remove(e, screen) }, t("cred.remove")),
      )),
    ));
  screen.list.replaceChildren(table(t("wh.caption"), [t("wh.col.url"), t("wh.col.events"), t("wh.col.status"), t("wh.col.secret"), t("cred.col.actions")], rows));
}

function createForm(screen) {
  const events = el("fieldset", { "data-field": "input.events", class: "wide" },
    el("legend", {}, t("wh.f.events")),
    el("p", { class: "fieldset-error", hidden: true }),
    EVENTS.map((ev) => field({ path: `input.events.${ev}`, label: t(`wh.ev.${ev}`), type: "checkbox", value: ev === "SHIPMENT_UPDATED" })),
  );
  const form = el("form", { class: "grid stack", novalidate: true, id: "webhook-form", "aria-labelledby": "wh-form-title" },
    field({ path: "input.url", label: t("wh.f.url"), help: t("wh.f.urlHelp"), type: "url", required: true, autocomplete: "url", placeholder: "https://loja.example/webhooks/correios" }),
    events,
    field({ path: "input.description", label: t("wh.f.description"), optional: true, autocomplete: "off" }),
    el("div", { class: "form-errors", role: "alert" }),
    el("div", { class: "actions" }, el("button", { type: "submit" }, t("wh.create"))),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button[type=submit]");
    clearErrors(form);
    screen.results.replaceChildren();
    busy(button, true);
    try {
      const input = {
        clientId: screen.operator ? screen.shop() : undefined,
        url: valueOf(form, "input.url") ?? "",
        events: EVENTS.filter((e) => valueOf(form, `input.events.${e}`)),
        description: valueOf(form, "input.description"),
      };
      const { data } = await gql(CREATE_WEBHOOK, { input });
      const p = data.createWebhookEndpoint;
      if (p.userErrors.length) return showUserErrors(form, p.userErrors, explainError);
      form.reset();
      screen.results.append(secretOnce(t("wh.created", { url: p.endpoint.url }), p.secret));
      await screen.refresh();
    } catch (e) {
      showUserErrors(form, [{ field: "input", message: e.message, code: e.code ?? "ERROR" }]);
    } finally {
      busy(button, false);
    }
  });
  return form;
}

/** The signing secret, shown this once, with a copy button; the server never shows it again. */
function secretOnce(title, secret) {
  const value = el("p", { class: "secret", id: "webhook-secret" }, secret);
  const copy = el("button", {
    type: "button", class: "small secondary",
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(secret);
        announce(t("wh.copied"));
      } catch {
        // No clipboard (an insecure origin or a refused permission): select the text for the user to copy.
        window.getSelection()?.selectAllChildren(value);
        announce(t("wh.copySelected"));
      }
    },
  }, t("wh.copy"));
  const box = el("div", { class: "notice warn", id: "webhook-secret-box" }, el("strong", {}, title), el("p", {}, t("wh.secretOnce")), value, el("div", { class: "actions" }, copy));
  announce(`${title} ${t("wh.secretOnce")}`);
  setTimeout(() => copy.focus(), 0);
  return box;
}

async function sendTest(e, button, screen) {
  busy(button, true);
  try {
    const { data } = await gql(SEND_TEST_WEBHOOK, { endpointId: e.id });
    const p = data.sendTestWebhook;
    if (p.userErrors.length) {
      screen.results.replaceChildren(notice("error", t("wh.testFailed"), p.userErrors.map(explainError)));
      return announce(t("wh.testFailed"), "alert");
    }
    announce(t("wh.testQueued"));
    await showDeliveries(e, screen, p.delivery.id);
  } finally {
    busy(button, false);
  }
}

/** Lists an endpoint's deliveries; with `watch`, reads again until that delivery is no longer PENDING. */
async function showDeliveries(e, screen, watch) {
  const panel = screen.deliveries;
  panel.hidden = false;
  const started = Date.now();
  for (;;) {
    const { data } = await gql(WEBHOOK_DELIVERIES, { endpointId: e.id });
    const conn = data.webhookDeliveries;
    panel.replaceChildren(
      el("h2", { id: "deliveries-title", tabindex: "-1" }, t("wh.deliveriesOf", { url: e.url })),
      el("div", { class: "actions" }, el("button", { type: "button", class: "small secondary", onclick: () => showDeliveries(e, screen) }, t("wh.refresh"))),
      conn.edges.length ? deliveryTable(conn.edges.map((x) => x.node), e, screen) : el("p", { class: "empty" }, t("wh.noDeliveries")),
    );
    const watched = conn.edges.find((x) => x.node.id === watch)?.node;
    if (!watch || (watched && watched.status !== "PENDING") || Date.now() - started > POLL_FOR_MS) {
      if (watched) announce(t("wh.deliveryNow", { status: t(`delivery.${watched.status}`) }));
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (!watch) panel.querySelector("h2").focus();
}

function deliveryTable(deliveries, endpoint, screen) {
  const rows = deliveries.map((d) =>
    el("tr", { "data-delivery-id": d.id, "data-status": d.status, "data-type": d.type },
      el("th", { scope: "row" }, el("code", {}, d.type), d.code ? el("p", { class: "help" }, d.code) : null, el("p", { class: "code-hint" }, d.messageId)),
      el("td", {}, statusBadge(d.status, "delivery"), d.reason ? el("p", { class: "help" }, d.reason) : null,
        d.nextAttemptAt && d.status === "PENDING" ? el("p", { class: "help" }, t("wh.nextAttempt", { when: formatDate(d.nextAttemptAt) })) : null),
      el("td", {}, d.attempts.length
        ? el("ol", { class: "attempts" }, d.attempts.map((a) => el("li", { "data-success": String(a.success) },
          `${formatDate(a.at)} · ${a.statusCode ? `HTTP ${a.statusCode}` : (a.error ?? t("wh.noAnswer"))} · ${a.durationMs} ms${a.trigger === "REDELIVERY" ? ` · ${t("wh.redelivery")}` : ""}`)))
        : el("span", { class: "code-hint" }, t("wh.noAttempts"))),
      el("td", {}, formatDate(d.createdAt)),
      el("td", {}, el("button", { type: "button", class: "small secondary", onclick: (ev) => redeliver(d, endpoint, ev.currentTarget, screen) }, t("wh.redeliver"))),
    ));
  return table(t("wh.deliveries.caption"), [t("wh.col.type"), t("wh.col.status"), t("wh.col.attempts"), t("post.col.created"), t("cred.col.actions")], rows);
}

async function redeliver(d, endpoint, button, screen) {
  busy(button, true);
  try {
    const { data } = await gql(REDELIVER_WEBHOOK, { deliveryId: d.id });
    const p = data.redeliverWebhook;
    if (p.userErrors.length) {
      screen.results.replaceChildren(notice("error", t("wh.redeliverFailed"), p.userErrors.map(explainError)));
      return announce(t("wh.redeliverFailed"), "alert");
    }
    announce(t("wh.redelivered"));
    await showDeliveries(endpoint, screen, d.id);
  } finally {
    busy(button, false);
  }
}

const ref = (e) => ({ clientId: e.clientId, endpointId: e.id });

async function rotate(e, screen) {
  if (!(await confirmAction(t("wh.confirmRotate", { url: e.url }), t("wh.rotate")))) return;
  const { data } = await gql(ROTATE_WEBHOOK_SECRET, { input: ref(e) });
  const p = data.rotateWebhookSecret;
  if (p.userErrors.length) return screen.results.replaceChildren(notice("error", t("wh.rotateFailed"), p.userErrors.map(explainError)));
  screen.results.replaceChildren(secretOnce(t("wh.rotated", { url: e.url }), p.secret));
  await screen.refresh();
}

async function enable(e, screen) {
  const { data } = await gql(ENABLE_WEBHOOK, { input: ref(e) });
  const p = data.enableWebhookEndpoint;
  announce(p.userErrors.length ? p.userErrors.map((x) => x.message).join(" ") : t("wh.enabled", { url: e.url }), p.userErrors.length ? "alert" : "status");
  await screen.refresh();
}

async function remove(e, screen) {
  if (!(await confirmAction(t("wh.confirmRemove", { url: e.url }), t("cred.remove")))) return;
  const { data } = await gql(REMOVE_WEBHOOK, { input: ref(e) });
  const p = data.removeWebhookEndpoint;
  announce(p.removed ? t("wh.removed", { url: e.url }) : p.userErrors.map((x) => x.message).join(" "), p.removed ? "status" : "alert");
  screen.deliveries.hidden = true;
  await screen.refresh();
}
