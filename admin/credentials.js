// The credentials screen: Correios (Brazil) credentials listed with their status and enabled APIs, the register or
// replace form in the order of the Correios guides (Usuário, Senha / código de acesso, Cartão de postagem), verify and
// remove with confirmation; Correos (Spain) accounts in their own section (correos-es.js).
import { gql } from "./api.js";
import { announce, busy, clearErrors, confirmAction, el, explainError, field, notice, showUserErrors, statusBadge, table, valueOf } from "./dom.js";
import { apiName, formatDate, t } from "./i18n.js";
import { CLIENT_CREDENTIALS, CREDENTIALS, REGISTER_CREDENTIAL, REMOVE_CREDENTIAL, VERIFY_CREDENTIAL } from "./operations.js";
import { correosEsSection, correosEsTable } from "./correos-es.js";

export async function render(main, ctx) {
  const operator = ctx.claims.role === "operator";
  const br = el("div", { id: "br-list" });
  const es = el("div", { id: "es-list" });
  /** Reads the lists again and redraws only the tables: forms keep what was typed, notices stay. */
  const refresh = async () => {
    const { data } = operator ? await gql(CREDENTIALS) : await gql(CLIENT_CREDENTIALS, { clientId: ctx.claims.clientId });
    br.replaceChildren(credentialTable(operator ? data.credentials : [data.credential].filter(Boolean), screen));
    es.replaceChildren(correosEsTable(operator ? data.correosEsCredentials : [data.correosEsCredential].filter(Boolean), screen));
  };
  const screen = { ...ctx, refresh, results: el("div", { id: "br-results" }) };
  screen.form = registerForm(screen);
  await refresh();
  main.replaceChildren(
    el("h1", {}, t("cred.title")),
    el("p", { class: "intro" }, t("cred.intro")),
    el("section", { "aria-labelledby": "br-title", id: "correios-br" },
      el("h2", { id: "br-title" }, t("cred.br.title")),
      screen.results,
      br,
      el("h3", { id: "br-form-title" }, t("cred.form.title")),
      el("p", { class: "help" }, t("cred.form.intro")),
      screen.form,
    ),
    correosEsSection(es, screen),
  );
}

function credentialTable(list, screen) {
  const { form } = screen;
  if (!list.length) return el("p", { class: "empty" }, t("cred.none"));
  const rows = list.map((c) =>
    el("tr", { "data-client-id": c.clientId },
      el("th", { scope: "row" }, c.clientId),
      el("td", {}, c.apiLogin, el("br"), el("span", { class: "code-hint" }, t("cred.codeHint", { hint: c.accessCodeHint }))),
      el("td", {}, el("code", {}, c.postingCard), el("br"), el("span", { class: "code-hint" }, t("cred.cardShort", { card: c.postingCardShort }))),
      el("td", {}, statusBadge(c.status), c.statusReason ? el("p", { class: "help" }, c.statusReason) : null),
      el("td", {}, formatDate(c.verifiedAt)),
      el("td", {}, formatDate(c.tokenExpiresAt)),
      el("td", {}, apiList(c.enabledApis)),
      el("td", {}, el("div", { class: "actions" },
        el("button", { type: "button", class: "small", onclick: (ev) => verify(c.clientId, ev.currentTarget, screen) }, t("cred.verify")),
        el("button", { type: "button", class: "small secondary", onclick: () => prefill(form, c) }, t("cred.replace")),
        el("button", { type: "button", class: "small danger", onclick: () => remove(c.clientId, screen) }, t("cred.remove")),
      )),
    ));
  return table(t("cred.br.caption"), [t("cred.col.client"), t("cred.col.login"), t("cred.col.card"), t("cred.col.status"), t("cred.col.verified"), t("cred.col.expires"), t("cred.col.apis"), t("cred.col.actions")], rows);
}

function apiList(apis) {
  if (!apis.length) return el("span", { class: "code-hint" }, t("cred.noApis"));
  return el("ul", { class: "apis", "aria-label": t("cred.col.apis") }, apis.map((a) => el("li", { title: `id ${a.id}` }, apiName(a))));
}

function registerForm(screen) {
  const { claims, results } = screen;
  const operator = claims.role === "operator";
  const form = el("form", { class: "grid stack", novalidate: true, "aria-labelledby": "br-form-title", id: "br-form" },
    field({ path: "input.clientId", label: t("cred.f.client"), help: t("cred.f.clientHelp"), value: operator ? "" : claims.clientId, required: true, autocomplete: "off", attrs: { readonly: !operator } }),
    field({ path: "input.apiLogin", label: t("cred.f.login"), help: t("cred.f.loginHelp"), required: true, autocomplete: "username" }),
    field({ path: "input.accessCode", label: t("cred.f.accessCode"), help: t("cred.f.accessCodeHelp"), type: "password", required: true, autocomplete: "new-password" }),
    field({ path: "input.postingCard", label: t("cred.f.card"), help: t("cred.f.cardHelp"), required: true, inputmode: "numeric", autocomplete: "off" }),
    field({ path: "input.contract", label: t("cred.f.contract"), help: t("cred.f.contractHelp"), optional: true, inputmode: "numeric", autocomplete: "off" }),
    field({ path: "input.dr", label: t("cred.f.dr"), help: t("cred.f.drHelp"), optional: true, inputmode: "numeric", autocomplete: "off" }),
    field({ path: "input.verify", label: t("cred.f.verify"), type: "checkbox", value: true, className: "wide" }),
    el("div", { class: "form-errors", role: "alert" }),
    el("div", { class: "actions" }, el("button", { type: "submit" }, t("cred.save"))),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const dr = valueOf(form, "input.dr");
    const input = {
      clientId: valueOf(form, "input.clientId") ?? "",
      apiLogin: valueOf(form, "input.apiLogin") ?? "",
      accessCode: valueOf(form, "input.accessCode") ?? "",
      postingCard: valueOf(form, "input.postingCard") ?? "",
      contract: valueOf(form, "input.contract"),
      dr: dr === undefined ? undefined : Number(dr),
      verify: valueOf(form, "input.verify"),
    };
    clearErrors(form);
    results.replaceChildren();
    busy(button, true);
    try {
      const { data } = await gql(REGISTER_CREDENTIAL, { input });
      const p = data.registerCredential;
      if (p.userErrors.length) return showUserErrors(form, p.userErrors, explainError);
      const c = p.credential;
      results.append(savedNotice(c, p.warnings));
      announce(t("cred.saved", { client: c.clientId, status: t(`status.${c.status}`) }));
      form.querySelector('[data-field="input.accessCode"]').value = "";
      await screen.refresh();
    } catch (e) {
      showUserErrors(form, [{ field: "input", message: e.message, code: e.code ?? "ERROR" }]);
    } finally {
      busy(button, false);
    }
  });
  return form;
}

/** What was stored, said back: the status, the card in both forms (with and without 00) and Correios' warnings. */
function savedNotice(c, warnings) {
  const items = [
    t("cred.savedCard", { card: c.postingCard, short: c.postingCardShort }),
    c.enabledApis.length ? t("cred.savedApis", { apis: c.enabledApis.map(apiName).join(", ") }) : t("cred.noApis"),
    ...warnings.map((w) => w.message),
  ];
  const box = notice(c.status === "ACTIVE" ? "ok" : "warn", t("cred.saved", { client: c.clientId, status: t(`status.${c.status}`) }), items);
  box.id = "br-saved";
  box.setAttribute("data-status", c.status);
  return box;
}

function prefill(form, c) {
  form.querySelector('[data-field="input.clientId"]').value = c.clientId;
  form.querySelector('[data-field="input.apiLogin"]').value = c.apiLogin;
  form.querySelector('[data-field="input.postingCard"]').value = c.postingCard;
  form.querySelector('[data-field="input.contract"]').value = c.contract ?? "";
  form.querySelector('[data-field="input.dr"]').value = c.dr ?? "";
  const code = form.querySelector('[data-field="input.accessCode"]');
  code.value = "";
  code.focus();
  announce(t("cred.prefilled", { client: c.clientId }));
}

async function verify(clientId, button, { results, refresh }) {
  busy(button, true);
  results.replaceChildren();
  try {
    const { data } = await gql(VERIFY_CREDENTIAL, { clientId });
    const p = data.verifyCredential;
    const box = p.userErrors.length
      ? notice("error", t("cred.verifyFailed", { client: clientId }), p.userErrors.map(explainError))
      : notice(p.credential.status === "ACTIVE" ? "ok" : "warn", t("cred.verified", { client: clientId, status: t(`status.${p.credential.status}`) }), p.warnings.map((w) => w.message));
    results.append(box);
    announce(box.querySelector("strong").textContent, p.userErrors.length ? "alert" : "status");
    await refresh();
  } catch (e) {
    results.append(notice("error", e.message));
  } finally {
    busy(button, false);
  }
}

async function remove(clientId, { refresh }) {
  if (!(await confirmAction(t("cred.confirmRemove", { client: clientId }), t("cred.remove")))) return;
  const { data } = await gql(REMOVE_CREDENTIAL, { clientId });
  const p = data.removeCredential;
  announce(p.removed ? t("cred.removed", { client: clientId }) : p.userErrors.map((e) => e.message).join(" "), p.removed ? "status" : "alert");
  await refresh();
}
