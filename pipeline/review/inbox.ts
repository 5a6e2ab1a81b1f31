import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { type DocumentListQuery, type DocumentRecord, type DocumentState } from "../../schemas/document.ts";
import type { DocumentFields } from "../../schemas/extraction.ts";
import type { Services } from "../services.ts";
import { contextOf } from "./context.ts";
import { html } from "./html.ts";
import type { MessageKey } from "./i18n/index.ts";
import { page } from "./layout.ts";

/**
 * The inbox: documents by state, newest first, with a search over number,
 * symbol, issuer and subject (the store's folded `q`: accents and case do
 * not matter), counts per tab, and pages of PAGE_SIZE.
 */
export const PAGE_SIZE = 25;

/** Tabs in the order shown: the work queue first. */
export const INBOX_TABS = ["to_review", "approved", "delivered", "delivery_failed", "failed", "rejected", "duplicates", "all"] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

const InboxQuerySchema = z.object({
  tab: z.enum(INBOX_TABS).catch("to_review"),
  q: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/** The store query a tab and search stand for. */
export function inboxQuery(tab: InboxTab, q: string | undefined, pageNumber: number): DocumentListQuery {
  const query: DocumentListQuery = { limit: PAGE_SIZE, offset: (pageNumber - 1) * PAGE_SIZE };
  if (tab === "duplicates") query.duplicates = true;
  else if (tab !== "all") query.state = tab;
  if (q) query.q = q;
  return query;
}

export function inboxRoutes(app: FastifyInstance, deps: { services: Services }): void {
  const { store } = deps.services;

  app.get("/", async (request, reply) => {
    const context = contextOf(request);
    const { t } = context;
    const { tab, q, page: pageNumber } = InboxQuerySchema.parse(request.query ?? {});
    const [list, counts, duplicates] = await Promise.all([
      store.listDocuments(inboxQuery(tab, q, pageNumber)),
      store.countByState(),
      store.listDocuments({ duplicates: true, limit: 1, offset: 0 }),
    ]);
    // The inbox shows the reviewer's corrected values where there are some, else the extraction's.
    const rows = await Promise.all(list.items.map(async (document) => ({ document, fields: await fieldsOf(deps.services, document) })));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const tabCount = (name: InboxTab) => (name === "duplicates" ? duplicates.total : name === "all" ? total : counts[name as DocumentState]);
    const tabLabel = (name: InboxTab) => t(name === "duplicates" ? "tab.duplicates" : name === "all" ? "tab.all" : (`state.${name}` as MessageKey));
    const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
    const link = (params: { tab?: InboxTab; page?: number }) => {
      const search = new URLSearchParams({ tab: params.tab ?? tab });
      if (q) search.set("q", q);
      if (params.page && params.page > 1) search.set("page", String(params.page));
      return `/review?${search}`;
    };

    const body = html`<h1>${t("inbox.title")}</h1>
<nav class="tabs" aria-label="${t("inbox.state")}">
${INBOX_TABS.map(
  (name) => html`<a href="${link({ tab: name })}" class="tab${name === tab ? " current" : ""}"${name === tab ? html` aria-current="page"` : ""} data-tab="${name}">${tabLabel(name)} <span class="count">${tabCount(name)}</span></a>`,
)}
</nav>
<form class="search" method="get" action="/review" role="search">
  <input type="hidden" name="tab" value="${tab}">
  <label class="visually-hidden" for="q">${t("inbox.search")}</label>
  <input id="q" name="q" type="search" value="${q ?? ""}" placeholder="${t("inbox.search")}" accesskey="f">
  <button type="submit">${t("inbox.searchButton")}</button>
</form>
${rows.length === 0
  ? html`<p class="empty">${t("inbox.empty")}</p>`
  : html`<table class="inbox">
<thead><tr><th scope="col">${t("inbox.received")}</th><th scope="col">${t("inbox.numberSymbol")}</th><th scope="col">${t("inbox.issuer")}</th><th scope="col">${t("inbox.subject")}</th><th scope="col">${t("inbox.file")}</th><th scope="col">${t("inbox.state")}</th></tr></thead>
<tbody>
${rows.map(
  ({ document, fields }) => html`<tr data-document-id="${document.id}">
<td><time datetime="${document.createdAt}">${formatTime(document.createdAt, context.lang)}</time></td>
<td><a href="/review/documents/${encodeURIComponent(document.id)}">${numberSymbol(fields) || "—"}</a></td>
<td>${fields?.issuer ?? ""}</td>
<td>${fields?.subject ?? ""}</td>
<td class="file">${document.fileName}</td>
<td><span class="state state-${document.state}">${t(`state.${document.state}` as MessageKey)}</span>${document.duplicateOf ? html` <span class="badge" title="${t("inbox.duplicateOf")}">⧉</span>` : ""}</td>
</tr>`,
)}
</tbody>
</table>`}
<nav class="pager" aria-label="pages">
  ${pageNumber > 1 ? html`<a href="${link({ page: pageNumber - 1 })}" rel="prev">${t("inbox.previous")}</a>` : ""}
  <span>${t("inbox.page", { page: pageNumber, pages, total: list.total })}</span>
  ${pageNumber < pages ? html`<a href="${link({ page: pageNumber + 1 })}" rel="next">${t("inbox.next")}</a>` : ""}
</nav>`;
    return reply.type("text/html; charset=utf-8").send(page(context, { title: t("inbox.title"), here: request.url, body }).value);
  });
}

async function fieldsOf(services: Services, document: DocumentRecord): Promise<DocumentFields | null> {
  const reviewed = await services.store.review.get(document.id);
  if (reviewed) return reviewed.data.document;
  return (await services.store.latestExtraction(document.id))?.extraction.document ?? null;
}

export function numberSymbol(fields: Pick<DocumentFields, "number" | "symbol"> | null): string {
  if (!fields) return "";
  return [fields.number, fields.symbol].filter(Boolean).join("/");
}

export function formatTime(iso: string, lang: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // Offices read Vietnamese time whatever the server's zone is.
  return date.toLocaleString(lang === "vi" ? "vi-VN" : "en-GB", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
}

