// An operator acts for one shop at a time on the postings and webhooks screens: the shop chosen here (kept in this
// tab's sessionStorage) is listed and new things are made for it. A client token is its own shop.
import { announce, el, field, valueOf } from "./dom.js";
import { t } from "./i18n.js";

const CLIENT_KEY = "correios-console.client";

export function chosenShop(claims) {
  return claims.role === "operator" ? sessionStorage.getItem(CLIENT_KEY) || undefined : claims.clientId;
}

export function shopPicker(claims, onChange) {
  const form = el("form", { class: "grid", novalidate: true, id: "client-form", "aria-label": t("post.client.label") },
    field({ path: "clientId", label: t("post.client.label"), help: t("post.client.help"), value: chosenShop(claims) ?? "", autocomplete: "off" }),
    el("div", { class: "actions" }, el("button", { type: "submit", class: "secondary" }, t("post.client.use"))),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const id = valueOf(form, "clientId");
    if (id) sessionStorage.setItem(CLIENT_KEY, id);
    else sessionStorage.removeItem(CLIENT_KEY);
    await onChange();
    announce(t("post.client.now", { client: id ?? t("post.client.all") }));
  });
  return form;
}
