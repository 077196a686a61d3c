// Small DOM helpers: elements, labelled fields with their help and error slots, userErrors placed next to the fields
// they name, announcements for screen readers and a confirmation dialog. No framework: the console is a few forms.
import { t } from "./i18n.js";

/** el("p", { class: "x", onclick: fn }, "text", child) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k in node && typeof v !== "string") node[k] = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c);
  return node;
}

let ids = 0;
const nextId = (p) => `${p}-${++ids}`;

/**
 * A labelled input, select or checkbox. `path` is the GraphQL input path (input.sender.address.cep) that userErrors
 * name; the error slot and the help are tied to the control with aria-describedby.
 */
export function field({ path, label, help, type = "text", value, options, required, optional, autocomplete, inputmode, placeholder, className, id, attrs = {} }) {
  const controlId = id ?? nextId("f");
  const helpId = help ? `${controlId}-help` : undefined;
  const errorId = `${controlId}-error`;
  const describedby = [helpId, errorId].filter(Boolean).join(" ");
  let control;
  if (options) {
    control = el("select", { id: controlId, name: path, "aria-describedby": describedby, "data-field": path, required, ...attrs },
      options.map((o) => el("option", { value: o.value, selected: o.value === value }, o.label)));
  } else {
    control = el("input", {
      id: controlId, name: path, type, "data-field": path, "aria-describedby": describedby, required, autocomplete, inputmode, placeholder, ...attrs,
    });
    if (type === "checkbox") control.checked = Boolean(value);
    else if (value !== undefined && value !== null) control.value = String(value);
  }
  const labelNode = el("label", { for: controlId }, label, optional ? el("span", { class: "optional" }, ` (${t("optional")})`) : null);
  const wrap = el("div", { class: `field${type === "checkbox" ? " checkbox" : ""}${className ? ` ${className}` : ""}` });
  if (type === "checkbox") wrap.append(control, labelNode);
  else wrap.append(labelNode, control);
  if (help) wrap.append(el("p", { id: helpId, class: "help" }, help));
  wrap.append(el("p", { id: errorId, class: "field-error", hidden: true }));
  return wrap;
}

export function fieldset(path, legend, ...children) {
  return el("fieldset", { "data-field": path }, el("legend", {}, legend), el("p", { class: "fieldset-error", hidden: true }), ...children);
}

/** The control for an input path inside a form. */
export function control(form, path) {
  return form.querySelector(`[data-field="${CSS.escape(path)}"]:is(input, select)`);
}

export function valueOf(form, path) {
  const c = control(form, path);
  if (!c) return undefined;
  if (c.type === "checkbox") return c.checked;
  const v = c.value.trim();
  return v === "" ? undefined : v;
}

export function clearErrors(form) {
  for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  for (const p of form.querySelectorAll(".field-error, .fieldset-error")) {
    p.textContent = "";
    p.hidden = true;
  }
  const summary = form.querySelector(".form-errors");
  if (summary) summary.textContent = "";
}

/** Where an error for this path is shown: its field, else the nearest fieldset above it, else the form's summary. */
function slotFor(form, path) {
  for (let p = path; p; p = p.includes(".") || p.includes("[") ? p.replace(/(\.[^.[\]]+|\[\d+\])$/, "") : "") {
    const c = control(form, p);
    if (c) return { control: c, slot: form.querySelector(`[id="${c.id}-error"]`) };
    const fs = form.querySelector(`fieldset[data-field="${CSS.escape(p)}"]`);
    if (fs) return { slot: fs.querySelector(".fieldset-error") };
    if (p === "input") break;
  }
  return { slot: form.querySelector(".form-errors") };
}

/** Shows each userError next to its field, announces how many there are and focuses the first field in error. */
export function showUserErrors(form, userErrors, explain = (e) => e.message) {
  clearErrors(form);
  let first;
  for (const e of userErrors) {
    const { control: c, slot } = slotFor(form, e.field);
    const text = explain(e);
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent}\n${text}` : text;
      slot.hidden = false;
    }
    if (c) {
      c.setAttribute("aria-invalid", "true");
      first ??= c;
    }
  }
  if (userErrors.length) announce(t("errors.count", { n: userErrors.length }), "alert");
  first?.focus();
}

/** Screen-reader announcement: polite for results, assertive for errors. */
export function announce(message, kind = "status") {
  const region = document.getElementById(kind === "alert" ? "alert" : "status");
  region.textContent = "";
  // A fresh text node after clearing makes the same message be read again.
  setTimeout(() => (region.textContent = message), 30);
}

/** A notice box (kind: ok, warn, error) with optional list items. */
export function notice(kind, title, items = []) {
  return el("div", { class: `notice ${kind}` }, el("strong", {}, title), items.length ? el("ul", {}, items.map((i) => el("li", {}, i))) : null);
}

/** Asks before a destructive action; Escape or Cancel answers false. Focus returns where it was. */
export function confirmAction(message, okLabel) {
  const dialog = document.getElementById("confirm");
  const back = document.activeElement;
  document.getElementById("confirm-text").textContent = message;
  const ok = document.getElementById("confirm-ok");
  const cancel = document.getElementById("confirm-cancel");
  ok.textContent = okLabel;
  cancel.textContent = t("confirm.cancel");
  return new Promise((resolve) => {
    const done = (answer) => {
      ok.removeEventListener("click", yes);
      cancel.removeEventListener("click", no);
      dialog.removeEventListener("cancel", no);
      if (dialog.open) dialog.close();
      back?.focus?.();
      resolve(answer);
    };
    const yes = () => done(true);
    const no = (ev) => {
      ev?.preventDefault?.();
      done(false);
    };
    ok.addEventListener("click", yes);
    cancel.addEventListener("click", no);
    dialog.addEventListener("cancel", no);
    dialog.showModal();
    cancel.focus();
  });
}

/** A table in a scrollable region that the keyboard can reach (phones scroll it sideways). */
export function table(caption, headers, rows) {
  const t = el("table", {},
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows));
  return el("div", { class: "table-wrap", role: "region", "aria-label": caption, tabindex: "0" }, t);
}

export function badge(status, label) {
  return el("span", { class: "badge", "data-status": status }, label);
}

export function busy(button, on) {
  button.disabled = on;
  button.setAttribute("aria-busy", on ? "true" : "false");
}

/** A credential or job status: the words of the screen, then the API's code (what support and logs use). */
export function statusBadge(status, words = "status") {
  return badge(status, `${t(`${words}.${status}`)} · ${status}`);
}

/** A userError in the user's words: a lead sentence for codes a Correios guide explains, then the server's text in full. */
export function explainError(e) {
  const lead = t(`userError.${e.code}`, {}, "");
  return lead ? `${lead}\n${e.message}` : e.message;
}
