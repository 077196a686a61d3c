// Texts in Portuguese (the default, in the words of the Correios screens) and English. t(key, params) picks the
// current language; elements with data-i18n get their text from here when the language changes.
import { PT } from "./texts-pt.js";
import { EN } from "./texts-en.js";

const LANG_KEY = "correios-console.lang";
const TEXTS = { "pt-BR": PT, en: EN };

export function lang() {
  const saved = localStorage.getItem(LANG_KEY);
  return saved in TEXTS ? saved : "pt-BR";
}

export function setLang(value) {
  localStorage.setItem(LANG_KEY, value in TEXTS ? value : "pt-BR");
}

/** The text for key in the current language ({name} filled from params); fallback, else the key, when missing. */
export function t(key, params = {}, fallback) {
  const text = TEXTS[lang()][key] ?? fallback ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Static texts of index.html (data-i18n, data-i18n-aria-label) and the page language. */
export function applyStatic() {
  document.documentElement.lang = lang();
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-aria-label]")) node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
}

/** Brasília time, as Correios shows it; a dash when there is none. */
export function formatDate(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang(), { dateStyle: "short", timeStyle: "short", timeZone: "America/Sao_Paulo" }).format(d);
}

/** An enabled API by name (with its CWS id); unknown ids are shown, never dropped. */
export function apiName(api) {
  const name = api.name ? t(`api.${api.name}`, {}, api.name) : t("api.unknown");
  return `${name} (${api.id})`;
}
