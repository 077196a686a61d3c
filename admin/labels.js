// Labels: requestLabels for the chosen postings, labelJob read until Correios has made the PDF, then the PDF fetched
// with the user's token and offered as a link that opens it and one that saves it.
import { download, gql } from "./api.js";
import { announce, busy, el, explainError, notice, statusBadge } from "./dom.js";
import { t } from "./i18n.js";
import { LABEL_JOB, REQUEST_LABELS } from "./operations.js";

const POLL_MS = 500;
const GIVE_UP_MS = 10 * 60_000;
let objectUrl;

export async function labelPanel(screen, postingIds, button) {
  const panel = screen.labels;
  busy(button, true);
  try {
    const { data } = await gql(REQUEST_LABELS, { input: { clientId: screen.operator ? screen.clientId() : undefined, postingIds } });
    const r = data.requestLabels;
    if (r.userErrors.length) {
      panel.replaceChildren(notice("error", t("labels.refused"), r.userErrors.map(explainError)));
      announce(t("labels.refused"), "alert");
      return;
    }
    let job = r.labelJob;
    const started = Date.now();
    const show = () => panel.replaceChildren(el("div", { class: "notice", id: "label-job", "data-status": job.status },
      el("strong", {}, t("labels.job", { n: job.postingIds.length })), " ", statusBadge(job.status)));
    show();
    announce(t("labels.asked"));
    while (job.status === "PENDING" && Date.now() - started < GIVE_UP_MS) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      job = (await gql(LABEL_JOB, { id: job.id })).data.labelJob;
      show();
    }
    if (job.status !== "READY") {
      panel.replaceChildren(notice("error", t("labels.failed"), [job.error ?? t(`status.${job.status}`)]));
      announce(t("labels.failed"), "alert");
      return;
    }
    const pdf = await download(job.downloadUrl);
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = URL.createObjectURL(new Blob([pdf], { type: "application/pdf" }));
    const file = `${job.id}.pdf`;
    panel.replaceChildren(el("div", { class: "notice ok", id: "label-job", "data-status": job.status },
      el("strong", {}, t("labels.ready", { n: job.postingIds.length })), " ", statusBadge(job.status),
      el("div", { class: "actions" },
        el("a", { href: objectUrl, target: "_blank", rel: "noopener", id: "label-open" }, t("labels.open")),
        el("a", { href: objectUrl, download: file, id: "label-download" }, t("labels.download", { file })),
      )));
    announce(t("labels.ready", { n: job.postingIds.length }));
    panel.querySelector("#label-open").focus();
  } catch (e) {
    panel.replaceChildren(notice("error", t("labels.failed"), [e.message]));
    announce(t("labels.failed"), "alert");
  } finally {
    busy(button, false);
  }
}
