import { isReadError } from "../../extractors/errors.ts";
import { decodeText } from "../../extractors/readers/decode.ts";
import { detectFormat } from "../../extractors/readers/detect.ts";
import { readPlainText } from "../../extractors/readers/text.ts";
import type { DocumentRecord } from "../../schemas/document.ts";
import type { Translate } from "./i18n/index.ts";
import { html, type SafeHtml } from "./html.ts";

/**
 * The original beside the extraction. A PDF (text or scanned) is painted in
 * the browser by pdf.js; a PNG/JPEG scan is shown as an image; plain text is
 * shown as the normalised lines the extractor read, numbered, so a span's
 * line and offsets point at exactly one place. Text is re-read here with the
 * extractor's own pure decoding and line reader: no parser of binary formats
 * runs in the server process (those run in the isolated extraction workers).
 */
export type OriginalKind = "text" | "pdf" | "image" | "none";

export interface TextLine {
  text: string;
  page: number;
  index: number;
  start: number;
  end: number;
}

export interface OriginalView {
  kind: OriginalKind;
  lines: TextLine[];
  truncated: boolean;
}

/** More lines than a reviewer reads on one page; past it the page would only get slow. */
const MAX_LINES = 5000;

export async function loadOriginal(document: DocumentRecord, read: (document: DocumentRecord) => Promise<Uint8Array>): Promise<OriginalView> {
  let bytes: Uint8Array;
  try {
    bytes = await read(document);
  } catch {
    // The page is still useful without the original (the fields, the history): its absence is shown, not an error.
    return { kind: "none", lines: [], truncated: false };
  }
  if (bytes.length === 0) return { kind: "none", lines: [], truncated: false };
  const format = detectFormat(bytes).format;
  if (format === "pdf") return { kind: "pdf", lines: [], truncated: false };
  if (format === "png" || format === "jpeg") return { kind: "image", lines: [], truncated: false };
  if (format !== "text") return { kind: "none", lines: [], truncated: false };
  let model;
  try {
    const decoded = decodeText(bytes, document.fileName);
    model = readPlainText(decoded.text, { encoding: decoded.encoding });
  } catch (error) {
    // Undecodable text was already a failed extraction; there is nothing to show beside it.
    if (isReadError(error)) return { kind: "none", lines: [], truncated: false };
    throw error;
  }
  const lines = model.lines.slice(0, MAX_LINES).map((l) => ({ text: l.text, page: l.page, index: l.index, start: l.start, end: l.end }));
  return { kind: "text", lines, truncated: model.lines.length > MAX_LINES };
}

/** The media type the original is served with to the viewer (never text/html, whatever was uploaded). */
export function viewerMediaType(bytes: Uint8Array): string {
  const format = bytes.length ? detectFormat(bytes).format : "binary";
  return format === "pdf" ? "application/pdf" : format === "png" ? "image/png" : format === "jpeg" ? "image/jpeg" : format === "text" ? "text/plain; charset=utf-8" : "application/octet-stream";
}

export function renderOriginal(view: OriginalView, documentId: string, t: Translate): SafeHtml {
  const url = `/review/documents/${encodeURIComponent(documentId)}/original`;
  const download = html`<a class="download" href="${url}" download>${t("doc.download")}</a>`;
  let content: SafeHtml;
  if (view.kind === "text") {
    let page = 1;
    content = html`<ol class="text-lines" aria-label="${t("doc.original")}">
${view.lines.map((line) => {
  const pageBreak = line.page !== page ? html`<li class="page-break" role="separator">${t("doc.page", { page: line.page })}</li>` : "";
  page = line.page;
  return html`${pageBreak}<li id="L${line.index}" data-line="${line.index}" data-start="${line.start}" data-end="${line.end}" data-page="${line.page}"><span class="ln" aria-hidden="true">${line.index + 1}</span><span class="lt">${line.text}</span></li>\n`;
})}</ol>
${view.truncated ? html`<p class="notice">${t("doc.textTruncated", { shown: view.lines.length })}</p>` : ""}`;
  } else if (view.kind === "pdf") {
    content = html`<div id="pdf-viewer" class="pdf-viewer" data-src="${url}"><p class="notice">${t("doc.pdfLoading")}</p></div>`;
  } else if (view.kind === "image") {
    content = html`<img class="scan" src="${url}" alt="${t("doc.original")}">`;
  } else {
    content = html`<p class="notice">${t("doc.noPreview")}</p>`;
  }
  return html`<section class="original" aria-labelledby="original-title" data-kind="${view.kind}">
<div class="pane-head"><h2 id="original-title">${t("doc.original")}</h2><span id="source-status" class="source-status" role="status" aria-live="polite"></span>${download}</div>
<div class="original-body" id="original-body">${content}</div>
</section>`;
}
