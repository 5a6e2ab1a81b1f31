/**
 * Which page each signature widget stands on. The signature dictionaries come
 * from the file's bytes (signatures.ts), but a widget names its page only by
 * reference (/P 30 0 R), and the page's number is its place in the page tree,
 * which may sit in a compressed object stream.
 *
 * The tree is read from the bytes too (pdf-file.ts): poppler reads the text,
 * and loading pdf.js for this alone would cost the extraction worker ~65 MB
 * for as long as it lives. A widget without /P, or with one that is not a
 * page, is looked for in each page's /Annots, by its rectangle. Only a file
 * whose tree cannot be read that way, or a widget found on no page, is left
 * to pdf.js, which walks the tree as the pdf.js reader does (the document is
 * opened without reading any page's content or fonts).
 */
import { loadPdfJs } from "./pdfjs.ts";
import { openPdfFile } from "./pdf-file.ts";
import { isDict } from "./pdf-objects.ts";
import { matchSignature, type RawSignature } from "./signatures.ts";

/** Page number (1-based) of each signature that could be placed; the others are left out. */
export async function signaturePages(bytes: Uint8Array, signatures: RawSignature[]): Promise<Map<RawSignature, number>> {
  if (!signatures.length) return new Map();
  const fromTree = pagesFromTree(bytes, signatures);
  return fromTree && fromTree.size === signatures.length ? fromTree : pagesWithPdfJs(bytes, signatures);
}

/** The signatures' pages from the file's own page tree; null when the tree cannot be read without pdf.js. */
export function pagesFromTree(bytes: Uint8Array, signatures: RawSignature[]): Map<RawSignature, number> | null {
  const file = openPdfFile(bytes);
  if (!file) return null;
  const pages = new Map<RawSignature, number>();
  const pageOf = new Map(file.pages.map((page, i) => [`${page.ref.num} ${page.ref.gen}`, i + 1]));
  for (const sig of signatures) {
    const n = sig.pageRef ? pageOf.get(`${sig.pageRef.num} ${sig.pageRef.gen}`) : undefined;
    if (n !== undefined) pages.set(sig, n);
  }
  for (let i = 0; i < file.pages.length && pages.size < signatures.length; i++) {
    const annots = file.resolve(file.pages[i]!.dict.get("Annots"));
    for (const entry of Array.isArray(annots) ? annots : []) {
      const widget = file.resolve(entry);
      const rect = isDict(widget) ? file.resolve(widget.get("Rect")) : undefined;
      const numbers = Array.isArray(rect) ? rect.map((v) => file.resolve(v)) : [];
      const sig = numbers.length === 4 && numbers.every((v) => typeof v === "number") ? matchSignature(signatures, numbers as number[]) : null;
      if (sig && !pages.has(sig)) pages.set(sig, i + 1);
    }
  }
  return pages;
}

const samePage = (ref: { num: number; gen: number } | null, wanted: { num: number; gen: number }) => ref !== null && ref.num === wanted.num && ref.gen === wanted.gen;

async function pagesWithPdfJs(bytes: Uint8Array, signatures: RawSignature[]): Promise<Map<RawSignature, number>> {
  const pages = new Map<RawSignature, number>();
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, maxImageSize: 1, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  try {
    // Each page's own reference is compared with the widgets' /P, instead of asking getPageIndex:
    // on a damaged tree that call leaves a rejected promise of pdf.js's own unhandled, which ends
    // the worker thread. A page pdf.js cannot load places no widget.
    const loaded: { n: number; page: Awaited<ReturnType<typeof doc.getPage>> }[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n).catch(() => null);
      if (!page) continue;
      loaded.push({ n, page });
      for (const sig of signatures) if (sig.pageRef && samePage(page.ref, sig.pageRef) && !pages.has(sig)) pages.set(sig, n);
    }
    for (const { n, page } of loaded) {
      if (pages.size >= signatures.length) break;
      const annotations = (await page.getAnnotations()) as { fieldType?: string; rect?: number[] }[];
      for (const a of annotations) {
        const sig = a.fieldType === "Sig" && a.rect ? matchSignature(signatures, a.rect) : null;
        if (sig && !pages.has(sig)) pages.set(sig, n);
      }
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}
