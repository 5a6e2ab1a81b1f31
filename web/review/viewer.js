// The original beside the editor: shows where a value came from.
// Text: the numbered normalised lines; the span's lines are marked and its characters wrapped in <mark>.
// PDF: pages painted by pdf.js (served by vanthu); the span's page is scrolled to and the value's text
// is found among the page's text items and outlined. Images: the page and line are named.

const PDFJS = "/review/assets/pdfjs";
/** Pages painted at most: a reviewer reads letters, not books; past it the page only gets slow. */
const MAX_PDF_PAGES = 60;

/** Accent-, case- and space-insensitive text, so "Số 1302" matches "SỐ  1302" in a PDF text layer. */
export function fold(text) {
  return String(text).normalize("NFD").replace(/\p{M}+/gu, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, "");
}

export function createViewer({ kind, spans, t, status, body }) {
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const where = (span) => `${t("doc.page", { page: span.page })}, ${t("doc.line", { line: span.line + 1 })}`;

  if (kind === "text") return textViewer({ spans, t, say, where, body });
  if (kind === "pdf") return pdfViewer({ spans, t, say, where, body });
  return {
    show(key) {
      const span = spans[key]?.span;
      say(span ? where(span) : t("doc.sourceNotFound"));
    },
  };
}

function textViewer({ spans, t, say, where, body }) {
  const lines = [...body.querySelectorAll(".text-lines li[data-line]")];
  let marked = [];
  const clear = () => {
    for (const li of marked) {
      li.classList.remove("hl");
      const lt = li.querySelector(".lt");
      lt.textContent = lt.textContent; // drops the <mark>
    }
    marked = [];
  };
  return {
    show(key) {
      clear();
      const span = spans[key]?.span;
      if (!span) return say(t("doc.sourceNotFound"));
      for (const li of lines) {
        const line = Number(li.dataset.line);
        const start = Number(li.dataset.start);
        const end = Number(li.dataset.end);
        if (line < span.line) continue;
        if (start >= Math.max(span.end, span.start + 1)) break;
        li.classList.add("hl");
        marked.push(li);
        const from = Math.max(span.start, start) - start;
        const to = Math.min(span.end, end) - start;
        const lt = li.querySelector(".lt");
        const text = lt.textContent;
        if (to > from && from < text.length) {
          const mark = document.createElement("mark");
          mark.textContent = text.slice(from, to);
          lt.replaceChildren(text.slice(0, from), mark, text.slice(to));
        }
      }
      marked[0]?.scrollIntoView({ block: "center", behavior: "auto" });
      say(marked.length ? where(span) : t("doc.sourceNotFound"));
    },
  };
}

function pdfViewer({ spans, t, say, where, body }) {
  const container = body.querySelector("#pdf-viewer");
  const pages = [];
  let lib = null;
  let highlights = [];
  const ready = (async () => {
    try {
      lib = await import(`${PDFJS}/pdf.min.mjs`);
      lib.GlobalWorkerOptions.workerSrc = `${PDFJS}/pdf.worker.min.mjs`;
      const pdf = await lib.getDocument({
        url: container.dataset.src,
        cMapUrl: `${PDFJS}/cmaps/`,
        cMapPacked: true,
        standardFontDataUrl: `${PDFJS}/standard_fonts/`,
        wasmUrl: `${PDFJS}/wasm/`,
        // The CSP forbids eval: pdf.js then draws glyphs without compiling them to functions.
        isEvalSupported: false,
      }).promise;
      container.replaceChildren();
      const width = Math.max(320, container.clientWidth - 16);
      for (let n = 1; n <= Math.min(pdf.numPages, MAX_PDF_PAGES); n++) {
        const page = await pdf.getPage(n);
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: width / base.width });
        const ratio = window.devicePixelRatio || 1;
        const div = document.createElement("div");
        div.className = "pdf-page";
        div.dataset.page = String(n);
        div.style.width = `${viewport.width}px`;
        div.style.height = `${viewport.height}px`;
        const canvas = document.createElement("canvas");
        canvas.width = Math.floor(viewport.width * ratio);
        canvas.height = Math.floor(viewport.height * ratio);
        canvas.style.width = `${viewport.width}px`;
        canvas.style.height = `${viewport.height}px`;
        canvas.setAttribute("aria-label", t("doc.page", { page: n }));
        canvas.setAttribute("role", "img");
        div.append(canvas);
        container.append(div);
        await page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport, transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0] }).promise;
        pages.push({ page, viewport, div, text: null });
      }
      container.dataset.rendered = String(pages.length);
    } catch (error) {
      console.error(error);
      container.replaceChildren(Object.assign(document.createElement("p"), { className: "error", textContent: t("doc.pdfFailed") }));
    }
  })();

  async function itemsOf(entry) {
    if (!entry.text) {
      const content = await entry.page.getTextContent();
      let folded = "";
      const items = [];
      for (const item of content.items) {
        if (typeof item.str !== "string") continue;
        const f = fold(item.str);
        items.push({ item, from: folded.length, to: folded.length + f.length });
        folded += f;
      }
      entry.text = { folded, items };
    }
    return entry.text;
  }

  /** The item's box in page pixels (pdf.js text items are baseline-anchored: the box rises from it). */
  function boxOf(entry, item) {
    const tx = lib.Util.transform(entry.viewport.transform, item.transform);
    const height = Math.hypot(tx[2], tx[3]);
    return { left: tx[4], top: tx[5] - height, right: tx[4] + Math.max(4, item.width * entry.viewport.scale), bottom: tx[5] + height * 0.25 };
  }

  /** One outline per line of text rather than per item: PDFs often cut lines into words or letters. */
  function outline(entry, items) {
    const lines = [];
    for (const box of items.map((item) => boxOf(entry, item))) {
      const line = lines.find((l) => Math.abs(l.top - box.top) < (box.bottom - box.top) / 2);
      if (line) Object.assign(line, { left: Math.min(line.left, box.left), right: Math.max(line.right, box.right), top: Math.min(line.top, box.top), bottom: Math.max(line.bottom, box.bottom) });
      else lines.push({ ...box });
    }
    return lines.map((l) => {
      const div = document.createElement("div");
      div.className = "pdf-hl";
      div.style.left = `${l.left - 2}px`;
      div.style.top = `${l.top - 1}px`;
      div.style.width = `${l.right - l.left + 4}px`;
      div.style.height = `${l.bottom - l.top + 2}px`;
      entry.div.append(div);
      return div;
    });
  }

  // show() awaits; a later call (the reviewer moved on) makes an earlier one stop before it draws.
  let generation = 0;
  return {
    async show(key) {
      const mine = ++generation;
      await ready;
      if (mine !== generation) return;
      for (const box of highlights) box.remove();
      highlights = [];
      for (const entry of pages) entry.div.classList.remove("current");
      const info = spans[key];
      const span = info?.span;
      const entry = span ? pages[span.page - 1] : undefined;
      if (!entry) return say(t("doc.sourceNotFound"));
      entry.div.classList.add("current");
      const { folded, items } = await itemsOf(entry);
      if (mine !== generation) return;
      const needle = fold(info.snippet ?? "");
      // The start of the value is enough to place it; shorter prefixes survive hyphenation and OCR slips.
      let at = -1;
      let length = 0;
      for (const n of [80, 40, 20, 10]) {
        if (!needle) break;
        length = Math.min(n, needle.length);
        at = folded.indexOf(needle.slice(0, length));
        if (at >= 0) break;
      }
      if (at >= 0) {
        const end = at + Math.max(length, needle.length);
        highlights = outline(entry, items.filter(({ from, to }) => to > at && from < end).map(({ item }) => item));
      }
      (highlights[0] ?? entry.div).scrollIntoView({ block: "center", behavior: "auto" });
      say(where(span));
    },
  };
}
