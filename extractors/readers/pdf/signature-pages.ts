/**
 * Which page each signature widget stands on. The signature dictionaries come
 * from the file's bytes (signatures.ts), but a widget names its page only by
 * reference (/P 30 0 R), and the page's number is its place in the page tree,
 * which may sit in a compressed object stream. pdf.js walks the tree: the
 * document is opened without reading any page's content or fonts, so this
 * costs a few milliseconds, and only for signed files. A widget without /P
 * is found by listing each page's annotations, as the pdf.js reader does.
 */
import { loadPdfJs } from "./pdfjs.ts";
import { matchSignature, type RawSignature } from "./signatures.ts";

/** Page number (1-based) of each signature that could be placed; the others are left out. */
export async function signaturePages(bytes: Uint8Array, signatures: RawSignature[]): Promise<Map<RawSignature, number>> {
  const pages = new Map<RawSignature, number>();
  if (!signatures.length) return pages;
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, maxImageSize: 1, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  try {
    for (const sig of signatures) {
      if (!sig.pageRef) continue;
      const index = await doc.getPageIndex(sig.pageRef).catch(() => null);
      if (index !== null && index >= 0 && index < doc.numPages) pages.set(sig, index + 1);
    }
    if (pages.size < signatures.length) {
      for (let n = 1; n <= doc.numPages && pages.size < signatures.length; n++) {
        const annotations = (await (await doc.getPage(n)).getAnnotations()) as { fieldType?: string; rect?: number[] }[];
        for (const a of annotations) {
          const sig = a.fieldType === "Sig" && a.rect ? matchSignature(signatures, a.rect) : null;
          if (sig && !pages.has(sig)) pages.set(sig, n);
        }
      }
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}
