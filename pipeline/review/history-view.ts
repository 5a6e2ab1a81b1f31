import type { DocumentEvent } from "../../schemas/document.ts";
import type { Correction } from "../../schemas/review.ts";
import type { DeliveryRecord } from "../store/outbox-types.ts";
import { html, type SafeHtml } from "./html.ts";
import type { Lang, MessageKey, Translate } from "./i18n/index.ts";
import { formatTime } from "./inbox.ts";

/**
 * A document's history: the reviewers' corrections (field, before, after)
 * and the lifecycle events, in the order they happened; and its deliveries
 * to the tracker, with "send again" for admins.
 */

const MAX_VALUE_CHARS = 400;

export function describeValue(value: unknown): string {
  let text: string;
  if (value === null || value === undefined || value === "") text = "—";
  else if (Array.isArray(value)) text = value.length ? value.map(describeValue).join("; ") : "—";
  else if (typeof value === "object") text = Object.values(value as Record<string, unknown>).filter((v) => v !== null && v !== "" && !(Array.isArray(v) && !v.length)).map(describeValue).join(" · ") || "—";
  else text = String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

/** "tasks[3].deadline" → "Nhiệm vụ 3 · Thời hạn"; unknown shapes are shown as they are. */
export function describePath(path: string, t: Translate): string {
  const header = /^document\.(.+)$/.exec(path);
  if (header) return t(`field.${header[1]}` as MessageKey);
  const item = /^(tasks|references)(?:\[(\d+)\])?(?:\.(\w+))?$/.exec(path);
  if (!item) return path;
  const [, list, n, field] = item;
  const whole = list === "tasks" ? (n ? t("task.label", { n }) : t("section.tasks")) : n ? `${t("section.references")} ${n}` : t("section.references");
  if (!field) return whole;
  if (field === "order") return `${whole} · ↕`;
  const key = (list === "tasks" ? `task.${field}` : `ref.${field}`) as MessageKey;
  return `${whole} · ${t(key)}`;
}

type Entry = { at: string; order: number; row: SafeHtml };

export function renderHistory(t: Translate, lang: Lang, events: DocumentEvent[], corrections: Correction[]): SafeHtml {
  const state = (s: string | null) => (s ? t(`state.${s}` as MessageKey) : "");
  const entries: Entry[] = [
    ...events.map((e) => ({
      at: e.at,
      order: e.id,
      row: html`<tr class="event"><td><time datetime="${e.at}">${formatTime(e.at, lang)}</time></td><td>${typeof e.data.by === "string" ? e.data.by : t("history.system")}</td>
<td>${t("history.event", { type: e.type })}${typeof e.data.reason === "string" ? html`<br>${t("history.reason", { reason: e.data.reason })}` : ""}</td><td>${state(e.fromState)}</td><td>${state(e.toState)}</td></tr>`,
    })),
    ...corrections.map((c) => ({
      at: c.at,
      order: c.id,
      row: html`<tr class="correction" data-path="${c.path}"><td><time datetime="${c.at}">${formatTime(c.at, lang)}</time></td><td>${c.by}</td><td>${describePath(c.path, t)}</td><td class="before">${describeValue(c.before)}</td><td class="after">${describeValue(c.after)}</td></tr>`,
    })),
  ].sort((a, b) => (a.at === b.at ? a.order - b.order : a.at < b.at ? -1 : 1));
  return html`<section class="history" aria-labelledby="history-title">
<h2 id="history-title">${t("section.history")}</h2>
${entries.length === 0
  ? html`<p>${t("history.empty")}</p>`
  : html`<table class="history-table"><thead><tr><th scope="col">${t("history.when")}</th><th scope="col">${t("history.who")}</th><th scope="col">${t("history.what")}</th><th scope="col">${t("history.before")}</th><th scope="col">${t("history.after")}</th></tr></thead>
<tbody>${entries.map((e) => e.row)}</tbody></table>`}
</section>`;
}

export function renderDeliveries(t: Translate, deliveries: DeliveryRecord[], options: { canReplay: boolean; csrfToken: string }): SafeHtml | "" {
  if (deliveries.length === 0) return "";
  return html`<section class="deliveries" aria-labelledby="deliveries-title">
<h2 id="deliveries-title">${t("section.deliveries")}</h2>
<table><thead><tr><th scope="col">${t("delivery.endpoint")}</th><th scope="col">${t("delivery.event")}</th><th scope="col">${t("delivery.status")}</th><th scope="col">${t("delivery.attempts")}</th><th scope="col">${t("delivery.error")}</th><th></th></tr></thead>
<tbody>${deliveries.map(
    (d) => html`<tr><td>${d.endpointId}</td><td>${d.eventType}</td><td>${d.status}</td><td>${d.attempts}</td><td>${d.lastError ?? ""}</td>
<td>${options.canReplay && (d.status === "failed" || d.status === "delivered")
      ? html`<form method="post" action="/review/deliveries/${encodeURIComponent(d.id)}/replay" class="inline"><input type="hidden" name="_csrf" value="${options.csrfToken}"><button type="submit">${t("action.replay")}</button></form>`
      : ""}</td></tr>`,
  )}</tbody></table>
</section>`;
}
