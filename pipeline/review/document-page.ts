import type { DocumentEvent, DocumentRecord, StoredExtraction } from "../../schemas/document.ts";
import type { Correction, ReviewedDocument } from "../../schemas/review.ts";
import { canTake } from "../lifecycle.ts";
import type { DeliveryRecord } from "../store/outbox-types.ts";
import type { ReviewContext } from "./context.ts";
import { renderEditor } from "./editor-view.ts";
import { renderDeliveries, renderHistory } from "./history-view.ts";
import { html, jsonData, type SafeHtml } from "./html.ts";
import { LANGUAGES, type MessageKey } from "./i18n/index.ts";
import { numberSymbol } from "./inbox.ts";
import { page } from "./layout.ts";
import { renderOriginal, type OriginalView } from "./original-view.ts";

/** The document view: original and editor side by side, the actions, the history. */
export interface DocumentPageModel {
  document: DocumentRecord;
  latest: StoredExtraction | null;
  review: ReviewedDocument | null;
  /** savedAt of the stored version the editor shows (null: none saved yet), sent back on save. */
  basedOn: string | null;
  /** The reviewer's stored version was made against an older extraction. */
  stale: boolean;
  original: OriginalView;
  events: DocumentEvent[];
  corrections: Correction[];
  deliveries: DeliveryRecord[];
  routes: Record<string, string | null>;
  hasDirectory: boolean;
  suggestions: string[];
}

export function canApprove(state: DocumentRecord["state"]): boolean {
  return canTake(state, { type: "APPROVE", by: "" });
}

/** Provenance per `data-source` key: where each value came from, its confidence, and its text to find in a PDF. */
function spans(latest: StoredExtraction | null): Record<string, unknown> {
  if (!latest) return {};
  const { extraction } = latest;
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(extraction.provenance.fields)) {
    const value = name === "signer" ? extraction.document.signer.name : (extraction.document as Record<string, unknown>)[name];
    const snippet = Array.isArray(value) ? String(value[0] ?? "") : value === null || value === undefined ? "" : String(value);
    out[`field:${name}`] = { span: p.span, confidence: p.confidence, snippet };
  }
  extraction.tasks.forEach((task, i) => (out[`task:${i}`] = { span: task.span ?? null, confidence: task.confidence ?? null, snippet: task.text }));
  extraction.references.forEach((ref, i) => (out[`ref:${i}`] = { span: ref.span ?? null, confidence: null, snippet: ref.number }));
  return out;
}

export function renderDocumentPage(context: ReviewContext, here: string, model: DocumentPageModel): SafeHtml {
  const { t, session } = context;
  const { document, latest, review } = model;
  const state = document.state;
  const editable = Boolean(latest && review) && canApprove(state);
  const isAdmin = session?.role === "admin";
  const csrf = session?.csrfToken ?? "";
  const title = numberSymbol(review?.document ?? null) || document.fileName;
  const hidden = html`<input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="from" value="${state}">`;
  // An edXML package's header is authoritative: where the extraction read otherwise, the reviewer is told what it says.
  const notes = model.events.filter((e) => e.type === "REVIEW_NOTES").at(-1)?.data.edxmlDisagreements;
  const disagreements = Array.isArray(notes) ? (notes as { field?: unknown; edxml?: unknown }[]) : [];

  const actions = html`<div class="actions" role="toolbar" aria-label="${t("section.header")}">
${editable
  ? html`<button type="button" id="save-button" data-action="save" accesskey="s">${t("action.save")}</button>
<button type="button" id="approve-button" class="primary" data-action="approve" title="Ctrl+Enter">${t("action.approve")} <kbd>Ctrl+Enter</kbd></button>`
  : ""}
${canTake(state, { type: "REJECT", by: "", reason: "" })
  ? html`<details class="reject"><summary accesskey="r">${t("action.reject")}</summary>
<form method="post" action="/review/documents/${encodeURIComponent(document.id)}/reject">${hidden}
<label for="reject-reason">${t("action.rejectReason")}</label><textarea id="reject-reason" name="reason" required maxlength="2000" rows="3"></textarea>
<button type="submit">${t("action.rejectSubmit")}</button></form></details>`
  : ""}
${isAdmin && canTake(state, { type: "RERUN", by: "" })
  ? html`<form method="post" action="/review/documents/${encodeURIComponent(document.id)}/rerun" class="inline" data-confirm="${t("action.rerunConfirm")}">${hidden}<button type="submit">${t("action.rerun")}</button></form>`
  : ""}
<span id="status" class="status" role="status" aria-live="polite"></span>
</div>`;

  const notices = html`${!latest ? html`<p class="notice">${t("doc.noExtraction")}</p>` : ""}
${latest && !editable ? html`<p class="notice">${t("doc.readOnly", { state: t(`state.${state}` as MessageKey) })}</p>` : ""}
${model.stale ? html`<p class="notice">${t("doc.staleReview")}</p>` : ""}
${document.duplicateOf ? html`<p class="notice">${t("doc.duplicateOf")} <a href="/review/documents/${encodeURIComponent(document.duplicateOf)}">${document.duplicateOf}</a></p>` : ""}
${disagreements.length ? html`<p class="notice">${t("doc.edxml", { fields: disagreements.map((d) => `${String(d.field ?? "?")}: “${String(d.edxml ?? "")}”`).join("; ") })}</p>` : ""}`;

  const shortcuts = html`<details class="shortcuts" id="shortcuts"><summary>${t("section.shortcuts")}</summary><ul>
${(["shortcuts.approve", "shortcuts.save", "shortcuts.nextTask", "shortcuts.split", "shortcuts.merge", "shortcuts.move", "shortcuts.source", "shortcuts.help"] as const).map((key) => html`<li>${t(key)}</li>`)}
</ul></details>`;

  const body = html`<div class="doc-head">
<h1>${title} <span class="state state-${state}">${t(`state.${state}` as MessageKey)}</span></h1>
<p class="subject">${review?.document.subject ?? ""}</p>
<p class="meta">${document.fileName}</p>
</div>
${notices}
${actions}
${shortcuts}
<div class="review-layout">
${renderOriginal(model.original, document.id, t)}
<section class="extraction" aria-label="${t("section.header")}">
${latest && review
  ? renderEditor(t, { review, extraction: latest.extraction, routes: model.routes, hasDirectory: model.hasDirectory, suggestions: model.suggestions, editable })
  : ""}
</section>
</div>
${renderDeliveries(t, model.deliveries, { canReplay: isAdmin, csrfToken: csrf })}
${renderHistory(t, context.lang, model.events, model.corrections)}
${jsonData("review-data", {
  documentId: document.id,
  from: state,
  basedOn: model.basedOn,
  extractionId: latest?.id ?? null,
  editable,
  hasDirectory: model.hasDirectory,
  originalKind: model.original.kind,
  spans: spans(latest),
})}
${jsonData("review-strings", LANGUAGES[context.lang])}`;

  return page(context, { title, here, body, scripts: ["review/document.js"], bodyClass: "document-page" });
}
