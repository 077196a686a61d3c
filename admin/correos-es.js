// Correos (Spain) accounts on the credentials screen, in their own section: the CorreosID OAuth pair, its scopes and
// the API gateway pair; listed with status and granted scopes, registered, verified and removed like Correios ones.
import { gql } from "./api.js";
import { announce, busy, clearErrors, confirmAction, el, explainError, field, notice, showUserErrors, statusBadge, table, valueOf } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { REGISTER_CORREOS_ES, REMOVE_CORREOS_ES, VERIFY_CORREOS_ES } from "./operations.js";

export function correosEsSection(listSlot, screen) {
  const results = el("div", { id: "es-results" });
  const es = { ...screen, results };
  es.form = correosEsForm(es);
  // The table's buttons need this section's results and form, not the Brazilian ones.
  screen.es = es;
  return el("section", { "aria-labelledby": "es-title", id: "correos-es" },
    el("h2", { id: "es-title" }, t("es.title")),
    el("p", { class: "intro" }, t("es.intro")),
    results,
    listSlot,
    el("h3", { id: "es-form-title" }, t("es.form.title")),
    es.form,
  );
}

export function correosEsTable(list, screen) {
  if (!list.length) return el("p", { class: "empty" }, t("es.none"));
  const rows = list.map((c) =>
    el("tr", { "data-client-id": c.clientId },
      el("th", { scope: "row" }, c.clientId),
      el("td", {}, c.oauthClientId, el("br"), el("span", { class: "code-hint" }, t("cred.codeHint", { hint: c.oauthClientSecretHint }))),
      el("td", {}, t(`es.env.${c.environment}`)),
      el("td", {}, c.scopes.join(" "), c.grantedScopes ? el("p", { class: "help" }, t("es.granted", { scopes: c.grantedScopes.join(" ") || "—" })) : null),
      el("td", {}, statusBadge(c.status), c.statusReason ? el("p", { class: "help" }, c.statusReason) : null),
      el("td", {}, formatDate(c.verifiedAt)),
      el("td", {}, formatDate(c.tokenExpiresAt)),
      el("td", {}, el("div", { class: "actions" },
        el("button", { type: "button", class: "small", onclick: (ev) => verify(c.clientId, ev.currentTarget, screen.es) }, t("cred.verify")),
        el("button", { type: "button", class: "small danger", onclick: () => remove(c.clientId, screen.es) }, t("cred.remove")),
      )),
    ));
  return table(t("es.caption"), [t("cred.col.client"), t("es.col.oauth"), t("es.col.env"), t("es.col.scopes"), t("cred.col.status"), t("cred.col.verified"), t("cred.col.expires"), t("cred.col.actions")], rows);
}

function correosEsForm(es) {
  const operator = es.claims.role === "operator";
  const form = el("form", { class: "grid stack", novalidate: true, "aria-labelledby": "es-form-title", id: "es-form" },
    field({ path: "input.clientId", label: t("cred.f.client"), help: t("cred.f.clientHelp"), value: operator ? "" : es.claims.clientId, required: true, autocomplete: "off", attrs: { readonly: !operator } }),
    field({ path: "input.environment", label: t("es.f.env"), help: t("es.f.envHelp"), options: ["PRODUCTION", "PREPRODUCTION"].map((v) => ({ value: v, label: t(`es.env.${v}`) })) }),
    field({ path: "input.oauthClientId", label: t("es.f.oauthId"), help: t("es.f.oauthIdHelp"), required: true, autocomplete: "off" }),
    field({ path: "input.oauthClientSecret", label: t("es.f.oauthSecret"), type: "password", required: true, autocomplete: "new-password" }),
    field({ path: "input.scopes", label: t("es.f.scopes"), help: t("es.f.scopesHelp"), value: "AP3 LBS RCG", required: true, autocomplete: "off" }),
    field({ path: "input.apiClientId", label: t("es.f.apiId"), help: t("es.f.apiIdHelp"), optional: true, autocomplete: "off" }),
    field({ path: "input.apiClientSecret", label: t("es.f.apiSecret"), type: "password", optional: true, autocomplete: "new-password" }),
    field({ path: "input.verify", label: t("es.f.verify"), type: "checkbox", value: true, className: "wide" }),
    el("div", { class: "form-errors", role: "alert" }),
    el("div", { class: "actions" }, el("button", { type: "submit" }, t("cred.save"))),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const input = {
      clientId: valueOf(form, "input.clientId") ?? "",
      environment: valueOf(form, "input.environment"),
      oauthClientId: valueOf(form, "input.oauthClientId") ?? "",
      oauthClientSecret: valueOf(form, "input.oauthClientSecret") ?? "",
      scopes: (valueOf(form, "input.scopes") ?? "").split(/[\s,]+/).filter(Boolean),
      apiClientId: valueOf(form, "input.apiClientId"),
      apiClientSecret: valueOf(form, "input.apiClientSecret"),
      verify: valueOf(form, "input.verify"),
    };
    clearErrors(form);
    es.results.replaceChildren();
    busy(button, true);
    try {
      const { data } = await gql(REGISTER_CORREOS_ES, { input });
      const p = data.registerCorreosEsCredential;
      if (p.userErrors.length) return showUserErrors(form, p.userErrors, explainError);
      const c = p.credential;
      const title = t("cred.saved", { client: c.clientId, status: t(`status.${c.status}`) });
      es.results.append(notice(c.status === "ACTIVE" ? "ok" : "warn", title, p.warnings.map((w) => w.message)));
      announce(title);
      for (const path of ["input.oauthClientSecret", "input.apiClientSecret"]) form.querySelector(`[data-field="${path}"]`).value = "";
      await es.refresh();
    } catch (e) {
      showUserErrors(form, [{ field: "input", message: e.message, code: e.code ?? "ERROR" }]);
    } finally {
      busy(button, false);
    }
  });
  return form;
}

async function verify(clientId, button, { results, refresh }) {
  busy(button, true);
  results.replaceChildren();
  try {
    const { data } = await gql(VERIFY_CORREOS_ES, { clientId });
    const p = data.verifyCorreosEsCredential;
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
  if (!(await confirmAction(t("es.confirmRemove", { client: clientId }), t("cred.remove")))) return;
  const { data } = await gql(REMOVE_CORREOS_ES, { clientId });
  const p = data.removeCorreosEsCredential;
  announce(p.removed ? t("cred.removed", { client: clientId }) : p.userErrors.map((e) => e.message).join(" "), p.removed ? "status" : "alert");
  await refresh();
}
