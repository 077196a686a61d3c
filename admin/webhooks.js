import { el } from "./dom.js";
export async function render(main) {
  main.replaceChildren(el("h1", {}, "TODO"));
}
