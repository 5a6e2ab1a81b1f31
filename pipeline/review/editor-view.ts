import { DOCUMENT_TYPES, type Extraction } from "../../schemas/extraction.ts";
import type { ReviewedDocument, ReviewReference, ReviewTask } from "../../schemas/review.ts";
import { html, type SafeHtml } from "./html.ts";
import type { MessageKey, Translate } from "./i18n/index.ts";

/**
 * The editor: every field of the contract as a form control, rendered on the
 * server (escaped) so the page is complete before any script runs; the
 * script (web/review/document.js) adds, splits, merges and moves tasks by
 * cloning the <template>s below, and posts the whole form as JSON.
 *
 * `data-source` ties a control to its provenance (span and confidence) in
 * the page's data block: focusing or clicking it highlights the original.
 */
export const LOW_CONFIDENCE = 0.7;

export interface EditorModel {
  review: ReviewedDocument;
  extraction: Extraction;
  /** Tracker id per party name (null: unrouted); empty without an org directory. */
  routes: Record<string, string | null>;
  hasDirectory: boolean;
  suggestions: string[];
  editable: boolean;
}

const DATE_PATTERN = "\\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?";

function confidenceBadge(t: Translate, confidence: number | undefined): SafeHtml | "" {
  if (confidence === undefined || confidence >= LOW_CONFIDENCE) return "";
  return html`<span class="badge low-confidence" title="${t("mark.lowConfidence", { value: confidence.toFixed(2) })}">⚠ ${t("mark.lowConfidence", { value: confidence.toFixed(2) })}</span>`;
}

function textField(t: Translate, model: EditorModel, name: string, provenance: string, value: string | null, options: { multiline?: boolean; pattern?: string; hint?: string } = {}): SafeHtml {
  const confidence = model.extraction.provenance.fields[provenance]?.confidence;
  const id = `f-${name.replace(/\./g, "-")}`;
  const label = t(`field.${name}` as MessageKey);
  const control = options.multiline
    ? html`<textarea id="${id}" name="${name}" rows="3">${value ?? ""}</textarea>`
    : html`<input id="${id}" name="${name}" value="${value ?? ""}"${options.pattern ? html` pattern="${options.pattern}" placeholder="${options.hint ?? ""}"` : ""}>`;
  return html`<div class="field${confidence !== undefined && confidence < LOW_CONFIDENCE ? " low" : ""}" data-source="field:${provenance}">
<label for="${id}">${label}${options.hint && options.multiline ? html` <small>(${options.hint})</small>` : ""}</label> ${confidenceBadge(t, confidence)}
${control}
</div>`;
}

export function renderHeader(t: Translate, model: EditorModel): SafeHtml {
  const d = model.review.document;
  const typeConfidence = model.extraction.provenance.fields.type?.confidence;
  const signerConfidence = model.extraction.provenance.fields.signer?.confidence;
  return html`<section class="fields" aria-labelledby="header-title">
<h2 id="header-title">${t("section.header")}</h2>
<div class="field${typeConfidence !== undefined && typeConfidence < LOW_CONFIDENCE ? " low" : ""}" data-source="field:type">
<label for="f-type">${t("field.type")}</label> ${confidenceBadge(t, typeConfidence)}
<select id="f-type" name="type">${DOCUMENT_TYPES.map((code) => html`<option value="${code}"${code === d.type ? html` selected` : ""}>${t(`doctype.${code}` as MessageKey)}</option>`)}</select>
</div>
<div class="row">
${textField(t, model, "number", "number", d.number)}
${textField(t, model, "symbol", "symbol", d.symbol)}
</div>
${textField(t, model, "issuer", "issuer", d.issuer)}
${textField(t, model, "issuerParent", "issuerParent", d.issuerParent)}
<div class="row">
${textField(t, model, "place", "place", d.place)}
${textField(t, model, "date", "date", d.date, { pattern: DATE_PATTERN, hint: t("field.datePattern") })}
</div>
${textField(t, model, "subject", "subject", d.subject, { multiline: true })}
${textField(t, model, "recipients", "recipients", d.recipients.join("\n"), { multiline: true, hint: t("field.onePerLine") })}
<fieldset class="signer${signerConfidence !== undefined && signerConfidence < LOW_CONFIDENCE ? " low" : ""}" data-source="field:signer">
<legend>${t("field.signer")} ${confidenceBadge(t, signerConfidence)}</legend>
${textField(t, model, "signer.authority", "signer", d.signer.authority)}
${textField(t, model, "signer.title", "signer", d.signer.title)}
${textField(t, model, "signer.name", "signer", d.signer.name)}
</fieldset>
${textField(t, model, "distribution", "distribution", d.distribution.join("\n"), { multiline: true, hint: t("field.onePerLine") })}
</section>`;
}

export function referenceRow(t: Translate, reference: ReviewReference | null): SafeHtml {
  const r = reference ?? { key: "", kind: "unknown" as const, number: "", date: null, issuer: null };
  return html`<tr class="reference" data-key="${r.key}"${reference?.source !== undefined ? html` data-source="ref:${reference.source}"` : ""}>
<td><select class="ref-kind" aria-label="${t("ref.kind")}">${DOCUMENT_TYPES.map((code) => html`<option value="${code}"${code === r.kind ? html` selected` : ""}>${t(`doctype.${code}` as MessageKey)}</option>`)}</select></td>
<td><input class="ref-number" aria-label="${t("ref.number")}" value="${r.number}" required></td>
<td><input class="ref-date" aria-label="${t("ref.date")}" value="${r.date ?? ""}" pattern="${DATE_PATTERN}" placeholder="${t("field.datePattern")}"></td>
<td><input class="ref-issuer" aria-label="${t("ref.issuer")}" value="${r.issuer ?? ""}"></td>
<td><button type="button" class="icon" data-action="delete-reference" title="${t("ref.delete")}" aria-label="${t("ref.delete")}">✕</button></td>
</tr>`;
}

export function renderReferences(t: Translate, model: EditorModel): SafeHtml {
  return html`<section class="references" aria-labelledby="references-title">
<h2 id="references-title">${t("section.references")}</h2>
<table class="reference-table">
<thead><tr><th scope="col">${t("ref.kind")}</th><th scope="col">${t("ref.number")}</th><th scope="col">${t("ref.date")}</th><th scope="col">${t("ref.issuer")}</th><th></th></tr></thead>
<tbody id="references">${model.review.references.map((r) => referenceRow(t, r))}</tbody>
</table>
<button type="button" data-action="add-reference">+ ${t("ref.add")}</button>
<template id="reference-template">${referenceRow(t, null)}</template>
</section>`;
}

export function partyItem(t: Translate, role: "assignees" | "collaborators", name: string, routes: Record<string, string | null>): SafeHtml {
  const unrouted = name !== "" && Object.hasOwn(routes, name) && routes[name] === null;
  return html`<li class="party${unrouted ? " unrouted" : ""}">
<input class="party-input" list="org-units" value="${name}" aria-label="${t(role === "assignees" ? "task.assignees" : "task.collaborators")}" autocomplete="off">
<span class="unrouted-mark" role="note">⚠ ${t("mark.unrouted")}</span>
<button type="button" class="icon" data-action="remove-party" title="${t("task.removeParty")}" aria-label="${t("task.removeParty")}">✕</button>
</li>`;
}

function partyList(t: Translate, role: "assignees" | "collaborators", names: string[], routes: Record<string, string | null>): SafeHtml {
  return html`<fieldset class="parties" data-role="${role}">
<legend>${t(role === "assignees" ? "task.assignees" : "task.collaborators")}</legend>
<ul class="party-list">${names.map((name) => partyItem(t, role, name, routes))}</ul>
<button type="button" class="small" data-action="add-party">+ ${t("task.addParty")}</button>
</fieldset>`;
}

export function taskItem(t: Translate, task: ReviewTask | null, extraction: Extraction | null, routes: Record<string, string | null>): SafeHtml {
  const k = task ?? { key: "", ref: "", text: "", assignees: [], collaborators: [], deadline: null };
  const extracted = task?.source !== undefined ? extraction?.tasks[task.source] : undefined;
  const low = extracted?.confidence !== undefined && extracted.confidence < LOW_CONFIDENCE;
  // A month-only deadline ("2021-04") cannot live in a date picker without being lost: it keeps a text box.
  const monthOnly = k.deadline !== null && /^\d{4}-\d{2}$/.test(k.deadline);
  const tool = (action: string, label: MessageKey, symbol: string) => html`<button type="button" class="icon" data-action="${action}" title="${t(label)}" aria-label="${t(label)}">${symbol}</button>`;
  return html`<li class="task${low ? " low" : ""}" data-key="${k.key}"${task?.id ? html` data-id="${task.id}"` : ""}${task?.source !== undefined ? html` data-source="task:${task.source}"` : ""} tabindex="-1">
<div class="task-head">
<span class="task-number"></span>
<label class="task-ref-label">${t("task.ref")} <input class="task-ref" value="${k.ref}" size="8"></label>
${confidenceBadge(t, extracted?.confidence)}
${task?.id ? html`<span class="badge sent">${t("task.approvedId")}</span>` : ""}
<span class="task-tools">${tool("source", "task.showSource", "◎")}${tool("move-up", "task.moveUp", "↑")}${tool("move-down", "task.moveDown", "↓")}${tool("split", "task.split", "✂")}${tool("merge", "task.merge", "⤓")}${tool("delete-task", "task.delete", "✕")}</span>
</div>
<label class="task-text-label">${t("task.text")}
<textarea class="task-text" rows="4" required>${k.text}</textarea></label>
${partyList(t, "assignees", k.assignees, routes)}
${partyList(t, "collaborators", k.collaborators, routes)}
<label class="task-deadline-label">${t("task.deadline")}
${monthOnly
  ? html`<input class="task-deadline" value="${k.deadline ?? ""}" pattern="${DATE_PATTERN}">`
  : html`<input class="task-deadline" type="date" value="${k.deadline ?? ""}">`}</label>
</li>`;
}

export function renderTasks(t: Translate, model: EditorModel): SafeHtml {
  return html`<section class="tasks" aria-labelledby="tasks-title">
<h2 id="tasks-title">${t("section.tasks")}</h2>
${model.hasDirectory ? "" : html`<p class="notice">${t("mark.noDirectory")}</p>`}
<ol id="tasks" class="task-list">${model.review.tasks.map((task) => taskItem(t, task, model.extraction, model.routes))}</ol>
<p class="empty-tasks">${t("task.none")}</p>
<button type="button" data-action="add-task">+ ${t("task.add")}</button>
<template id="task-template">${taskItem(t, null, null, {})}</template>
<template id="party-template">${partyItem(t, "assignees", "", {})}</template>
<datalist id="org-units">${model.suggestions.map((name) => html`<option value="${name}"></option>`)}</datalist>
</section>`;
}

export function renderEditor(t: Translate, model: EditorModel): SafeHtml {
  return html`<form id="editor" class="editor" autocomplete="off">
<fieldset class="editor-body"${model.editable ? "" : html` disabled`}>
${renderHeader(t, model)}
${renderReferences(t, model)}
${renderTasks(t, model)}
</fieldset>
</form>`;
}
