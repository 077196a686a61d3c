// Address autofill: when a CEP field holds 8 digits, address(cep) fills street, district, city and state. The number
// and complement stay the user's; a CEP Correios does not know is said next to the field.
import { gql } from "./api.js";
import { announce, control } from "./dom.js";
import { t } from "./i18n.js";
import { ADDRESS } from "./operations.js";

export function autofillFromCep(form, prefix) {
  const cep = control(form, `${prefix}.cep`);
  // The form may not be in the document yet: its parts are found through it.
  const error = form.querySelector(`[id="${cep.id}-error"]`);
  let asked = "";
  const lookup = async () => {
    const digits = cep.value.replace(/\D/g, "");
    if (digits.length !== 8 || digits === asked) return;
    asked = digits;
    let answer;
    try {
      answer = await gql(ADDRESS, { cep: digits });
    } catch (e) {
      answer = { data: undefined, errors: e.errors ?? [{ message: e.message }] };
    }
    // A newer CEP was typed while this one was asked: its answer wins.
    if (cep.value.replace(/\D/g, "") !== digits) return;
    const a = answer.data?.address;
    if (!a) {
      const code = answer.errors[0]?.extensions?.code;
      asked = "";
      error.textContent =
        code === "NOT_FOUND" ? t("cep.notFound", { cep: digits })
        : code === "UNAUTHENTICATED" ? t("cep.noShop")
        : t("cep.failed", { message: answer.errors.map((x) => x.message).join(" ") });
      error.hidden = false;
      if (code === "NOT_FOUND") cep.setAttribute("aria-invalid", "true");
      announce(error.textContent, "alert");
      return;
    }
    error.hidden = true;
    cep.removeAttribute("aria-invalid");
    for (const [name, value] of [["street", a.street], ["district", a.district], ["city", a.city], ["state", a.state]]) {
      if (value) control(form, `${prefix}.${name}`).value = value;
    }
    announce(t("cep.filled", { address: [a.street, a.district, `${a.city}/${a.state}`].filter(Boolean).join(", ") }));
  };
  cep.addEventListener("input", () => void lookup());
  cep.addEventListener("change", () => void lookup());
}
