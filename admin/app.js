// The console's entry: the pasted token (sessionStorage), the language toggle and the screens, one per hash
// (#credentials, #postings, #webhooks). Each screen module renders itself into <main> and talks to /graphql.
import { claimsOf, setToken, token } from "./api.js";
import { el, notice } from "./dom.js";
import { applyStatic, formatDate, lang, setLang, t } from "./i18n.js";
import * as credentials from "./credentials.js";
import * as postings from "./postings.js";
import * as webhooks from "./webhooks.js";

const SCREENS = { credentials, postings, webhooks };
const $ = (id) => document.getElementById(id);

function screenName() {
  const name = location.hash.slice(1);
  return name in SCREENS ? name : "credentials";
}

function showSession(claims) {
  $("token-form").hidden = Boolean(claims);
  $("session-info").hidden = !claims;
  if (!claims) return;
  const who = claims.role === "operator" ? t("session.operator") : t("session.client", { client: claims.clientId });
  const exp = typeof claims.exp === "number" ? ` ${t("session.expires", { when: formatDate(new Date(claims.exp * 1000).toISOString()) })}` : "";
  $("session-who").textContent = who + exp;
}

function tokenError(message) {
  const slot = $("token-error");
  slot.textContent = message ?? "";
  slot.hidden = !message;
  if (message) $("token-input").setAttribute("aria-invalid", "true");
  else $("token-input").removeAttribute("aria-invalid");
}

let rendering = 0;
async function show({ focus = false } = {}) {
  const run = ++rendering;
  applyStatic();
  const toggle = $("lang-toggle");
  toggle.textContent = t("lang.switch");
  toggle.lang = lang() === "en" ? "pt-BR" : "en";
  const name = screenName();
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.screen === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.title = `${t(`nav.${name}`)} · ${t("app.title")}`;
  const claims = claimsOf(token());
  showSession(claims);
  const main = $("main");
  if (!claims) {
    main.replaceChildren(el("h1", {}, t("welcome.title")), el("p", { class: "intro" }, t("welcome.text")));
    return;
  }
  main.replaceChildren(el("p", { class: "empty" }, t("loading")));
  main.setAttribute("aria-busy", "true");
  try {
    await SCREENS[name].render(main, { claims });
  } catch (e) {
    if (run !== rendering) return;
    const refused = e.code === "UNAUTHENTICATED" || e.status === 401;
    if (refused) {
      setToken(undefined);
      showSession(undefined);
      tokenError(t("session.refused", { message: e.message }));
    }
    main.replaceChildren(el("h1", {}, t(`nav.${name}`)), notice("error", t("error.load"), [e.message]));
  } finally {
    main.removeAttribute("aria-busy");
  }
  const heading = main.querySelector("h1");
  if (focus && heading && run === rendering) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

function start() {
  $("token-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const value = $("token-input").value.trim().replace(/^Bearer\s+/i, "");
    if (!claimsOf(value)) return tokenError(t("session.notJwt"));
    tokenError(undefined);
    $("token-input").value = "";
    setToken(value);
    void show({ focus: true });
  });
  $("sign-out").addEventListener("click", () => {
    setToken(undefined);
    void show();
    $("token-input").focus();
  });
  $("lang-toggle").addEventListener("click", () => {
    setLang(lang() === "en" ? "pt-BR" : "en");
    void show();
  });
  window.addEventListener("hashchange", () => void show({ focus: true }));
  void show();
}

start();
