// The postings screen: a pre-posting form (address filled from the CEP through address(cep)), the list with status
// and filters, labels requested and downloaded (the PDF opens), and cancel with confirmation.
import { gql } from "./api.js";
import { announce, busy, clearErrors, confirmAction, el, explainError, field, fieldset, notice, showUserErrors, statusBadge, table, valueOf } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { CANCEL_POSTING, CREATE_POSTING, POSTINGS } from "./operations.js";
import { autofillFromCep } from "./cep.js";
import { labelPanel } from "./labels.js";
import { chosenShop, shopPicker } from "./shop-picker.js";

const SERVICES = [
  ["03298", "PAC CONTRATO AG"],
  ["03220", "SEDEX CONTRATO AG"],
  ["04227", "CORREIOS MINI ENVIOS CTR AG"],
  ["03140", "SEDEX 12 CONTRATO AG"],
  ["03158", "SEDEX 10 CONTRATO AG"],
];
const STATUSES = ["PRE_POSTED", "POSTED", "CANCELLED", "EXPIRED", "PRE_ATTENDED", "REVERSED"];

export async function render(main, ctx) {
  const operator = ctx.claims.role === "operator";
  const screen = {
    ...ctx,
    operator,
    clientId: () => chosenShop(ctx.claims),
    list: el("div", { id: "posting-list" }),
    results: el("div", { id: "posting-results" }),
    labels: el("div", { id: "label-panel" }),
    filter: {},
    after: undefined,
  };
  screen.refresh = () => loadList(screen);
  main.replaceChildren(
    el("h1", {}, t("post.title")),
    el("p", { class: "intro" }, t("post.intro")),
    ...(operator ? [shopPicker(ctx.claims, () => ((screen.after = undefined), screen.refresh()))] : []),
    el("section", { "aria-labelledby": "post-list-title" },
      el("h2", { id: "post-list-title" }, t("post.list.title")),
      filterForm(screen),
      screen.labels,
      screen.list,
    ),
    el("section", { "aria-labelledby": "post-form-title" },
      el("h2", { id: "post-form-title" }, t("post.form.title")),
      screen.results,
      postingForm(screen),
    ),
  );
  await screen.refresh();
}

function filterForm(screen) {
  const form = el("form", { class: "grid", novalidate: true, id: "posting-filter", "aria-label": t("post.filter.label") },
    field({ path: "filter.status", label: t("post.filter.status"), options: [{ value: "", label: t("post.filter.any") }, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))] }),
    field({ path: "filter.trackingCode", label: t("post.filter.code"), autocomplete: "off", placeholder: "AA123456789BR" }),
    el("div", { class: "actions" }, el("button", { type: "submit", class: "secondary" }, t("post.filter.apply"))),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    screen.filter = { status: valueOf(form, "filter.status"), trackingCode: valueOf(form, "filter.trackingCode") };
    screen.after = undefined;
    await screen.refresh();
  });
  return form;
}

async function loadList(screen) {
  const { data } = await gql(POSTINGS, { clientId: screen.operator ? screen.clientId() : undefined, filter: screen.filter, after: screen.after });
  const conn = data.postings;
  const selected = new Set();
  const labelButton = el("button", { type: "button", disabled: true, onclick: (ev) => labelPanel(screen, [...selected], ev.currentTarget) }, t("post.labels.request"));
  const rows = conn.edges.map(({ node: p }) => {
    const check = el("input", { type: "checkbox", id: `sel-${p.id}`, "aria-label": t("post.select", { code: p.trackingCode ?? p.id }) });
    check.addEventListener("change", () => {
      if (check.checked) selected.add(p.id);
      else selected.delete(p.id);
      labelButton.disabled = selected.size === 0;
    });
    const open = p.status === "PRE_POSTED" || p.status === "PRE_ATTENDED";
    return el("tr", { "data-posting-id": p.id, "data-status": p.status },
      el("td", {}, check),
      el("th", { scope: "row" }, el("code", {}, p.trackingCode ?? "—"), el("br"), el("span", { class: "code-hint" }, p.id)),
      el("td", {}, statusBadge(p.status)),
      el("td", {}, p.service.name ?? p.service.code, el("br"), el("span", { class: "code-hint" }, p.service.code)),
      el("td", {}, p.recipient.name, el("br"), el("span", { class: "code-hint" }, `${p.recipient.address.city}/${p.recipient.address.state}`)),
      el("td", {}, screen.operator ? p.clientId : null, screen.operator ? el("br") : null, formatDate(p.createdAt)),
      el("td", {}, el("div", { class: "actions" },
        el("button", { type: "button", class: "small", onclick: (ev) => labelPanel(screen, [p.id], ev.currentTarget) }, t("post.labels.one")),
        open ? el("button", { type: "button", class: "small danger", onclick: () => cancel(p, screen) }, t("post.cancel")) : null,
      )),
    );
  });
  const more = conn.pageInfo.hasNextPage
    ? el("button", { type: "button", class: "secondary", onclick: async () => ((screen.after = conn.pageInfo.endCursor), await screen.refresh()) }, t("post.more"))
    : null;
  screen.list.replaceChildren(
    el("p", { class: "help", id: "posting-count" }, t("post.count", { n: conn.totalCount })),
    rows.length
      ? table(t("post.caption"), [t("post.col.select"), t("post.col.code"), t("post.col.status"), t("post.col.service"), t("post.col.recipient"), t("post.col.created"), t("cred.col.actions")], rows)
      : el("p", { class: "empty" }, t("post.none")),
    el("div", { class: "actions" }, rows.length ? labelButton : null, more),
  );
}

function partyFields(prefix, kind) {
  const p = `input.${prefix}`;
  const a = `${p}.address`;
  const cep = field({ path: `${a}.cep`, label: t("post.f.cep"), help: t("post.f.cepHelp"), required: true, inputmode: "numeric", autocomplete: `${kind} postal-code` });
  return fieldset(p, t(`post.${prefix}`),
    field({ path: `${p}.name`, label: t("post.f.name"), required: true, autocomplete: `${kind} name` }),
    field({ path: `${p}.document`, label: t("post.f.document"), help: t("post.f.documentHelp"), optional: true, autocomplete: "off" }),
    field({ path: `${p}.phone`, label: t("post.f.phone"), optional: true, inputmode: "tel", autocomplete: `${kind} tel` }),
    field({ path: `${p}.mobile`, label: t("post.f.mobile"), optional: true, inputmode: "tel", autocomplete: `${kind} tel` }),
    field({ path: `${p}.email`, label: t("post.f.email"), type: "email", optional: true, autocomplete: `${kind} email` }),
    fieldset(a, t("post.f.address"),
      cep,
      field({ path: `${a}.street`, label: t("post.f.street"), required: true, autocomplete: `${kind} address-line1` }),
      field({ path: `${a}.number`, label: t("post.f.number"), required: true, autocomplete: "off" }),
      field({ path: `${a}.complement`, label: t("post.f.complement"), optional: true, autocomplete: `${kind} address-line2` }),
      field({ path: `${a}.district`, label: t("post.f.district"), required: true, autocomplete: "off" }),
      field({ path: `${a}.city`, label: t("post.f.city"), required: true, autocomplete: `${kind} address-level2` }),
      field({ path: `${a}.state`, label: t("post.f.state"), required: true, autocomplete: `${kind} address-level1`, attrs: { maxlength: "2" } }),
    ),
  );
}

function postingForm(screen) {
  const form = el("form", { class: "grid", novalidate: true, id: "posting-form", "aria-labelledby": "post-form-title" },
    field({ path: "input.service", label: t("post.f.service"), options: SERVICES.map(([code, name]) => ({ value: code, label: `${name} (${code})` })) }),
    partyFields("sender", "section-sender"),
    partyFields("recipient", "section-recipient"),
    fieldset("input.package", t("post.package"),
      field({ path: "input.package.format", label: t("post.f.format"), value: "BOX", options: ["BOX", "ENVELOPE", "ROLL"].map((f) => ({ value: f, label: t(`post.format.${f}`) })) }),
      field({ path: "input.package.weightGrams", label: t("post.f.weight"), type: "number", required: true, attrs: { min: "1", step: "1" } }),
      field({ path: "input.package.lengthCm", label: t("post.f.length"), type: "number", optional: true, attrs: { min: "0", step: "0.1" } }),
      field({ path: "input.package.widthCm", label: t("post.f.width"), type: "number", optional: true, attrs: { min: "0", step: "0.1" } }),
      field({ path: "input.package.heightCm", label: t("post.f.height"), type: "number", optional: true, attrs: { min: "0", step: "0.1" } }),
      field({ path: "input.package.diameterCm", label: t("post.f.diameter"), type: "number", optional: true, attrs: { min: "0", step: "0.1" } }),
    ),
    fieldset("input.declaredContent", t("post.content"),
      el("p", { class: "help wide" }, t("post.contentHelp")),
      field({ path: "input.declaredContent[0].description", label: t("post.f.description"), required: true, autocomplete: "off" }),
      field({ path: "input.declaredContent[0].quantity", label: t("post.f.quantity"), type: "number", value: 1, required: true, attrs: { min: "1", step: "1" } }),
      field({ path: "input.declaredContent[0].unitValue", label: t("post.f.unitValue"), help: t("post.f.moneyHelp"), required: true, inputmode: "decimal", autocomplete: "off" }),
    ),
    field({ path: "input.declaredValue", label: t("post.f.declaredValue"), help: t("post.f.declaredValueHelp"), optional: true, inputmode: "decimal", autocomplete: "off" }),
    el("div", { class: "form-errors", role: "alert" }),
    el("div", { class: "actions" }, el("button", { type: "submit" }, t("post.create"))),
  );
  for (const prefix of ["sender", "recipient"]) autofillFromCep(form, `input.${prefix}.address`);
  // One key per form fill: a retry after a lost answer returns the first result instead of a second pre-posting.
  let idempotencyKey = crypto.randomUUID();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button[type=submit]");
    clearErrors(form);
    screen.results.replaceChildren();
    busy(button, true);
    try {
      const { data } = await gql(CREATE_POSTING, { input: { ...readPosting(form, screen), idempotencyKey } });
      const p = data.createPosting;
      if (p.userErrors.length) return showUserErrors(form, p.userErrors, explainError);
      idempotencyKey = crypto.randomUUID();
      const title = t("post.created", { code: p.posting.trackingCode ?? p.posting.id });
      const box = notice("ok", title, p.warnings.map((w) => w.message));
      box.id = "posting-created";
      screen.results.append(box);
      announce(title);
      await screen.refresh();
    } catch (e) {
      showUserErrors(form, [{ field: "input", message: e.message, code: e.code ?? "ERROR" }]);
    } finally {
      busy(button, false);
    }
  });
  return form;
}

function readParty(form, prefix) {
  const v = (name) => valueOf(form, `input.${prefix}.${name}`);
  const a = (name) => valueOf(form, `input.${prefix}.address.${name}`);
  return {
    name: v("name") ?? "",
    document: v("document"),
    phone: v("phone"),
    mobile: v("mobile"),
    email: v("email"),
    address: { cep: a("cep") ?? "", street: a("street") ?? "", number: a("number") ?? "", complement: a("complement"), district: a("district") ?? "", city: a("city") ?? "", state: (a("state") ?? "").toUpperCase() },
  };
}

function readPosting(form, screen) {
  const num = (path) => {
    const v = valueOf(form, path);
    return v === undefined ? undefined : Number(v);
  };
  return {
    clientId: screen.operator ? screen.clientId() : undefined,
    service: valueOf(form, "input.service"),
    sender: readParty(form, "sender"),
    recipient: readParty(form, "recipient"),
    package: {
      format: valueOf(form, "input.package.format"),
      weightGrams: num("input.package.weightGrams") ?? 0,
      lengthCm: num("input.package.lengthCm"),
      widthCm: num("input.package.widthCm"),
      heightCm: num("input.package.heightCm"),
      diameterCm: num("input.package.diameterCm"),
    },
    declaredContent: [{
      description: valueOf(form, "input.declaredContent[0].description") ?? "",
      quantity: num("input.declaredContent[0].quantity") ?? 0,
      unitValue: valueOf(form, "input.declaredContent[0].unitValue") ?? "",
    }],
    declaredValue: valueOf(form, "input.declaredValue"),
  };
}

async function cancel(p, screen) {
  if (!(await confirmAction(t("post.confirmCancel", { code: p.trackingCode ?? p.id }), t("post.cancel")))) return;
  const { data } = await gql(CANCEL_POSTING, { id: p.id });
  const r = data.cancelPosting;
  screen.results.replaceChildren();
  if (r.userErrors.length) {
    const box = notice("error", t("post.cancelFailed", { code: p.trackingCode ?? p.id }), r.userErrors.map(explainError));
    screen.labels.replaceChildren(box);
    announce(box.textContent, "alert");
  } else {
    announce(t("post.cancelled", { code: p.trackingCode ?? p.id }));
  }
  await screen.refresh();
}
