import { ReadError } from "../errors.ts";
import type { TextModel } from "../model.ts";
import { splitWideSpaces, type PdfItem } from "./pdf/geometry.ts";
import type { PageInput } from "./pdf/layout.ts";
import { buildModel, hasEofMarker, MAX_PDF_PAGES, MIN_PAGE_CHARS, passwordError, scanWarning, tooManyPagesError, TRUNCATED_WARNING } from "./pdf/model.ts";
import { readPageAnnotations, signatureWarning, snapStamps } from "./pdf/annotations.ts";
import { readRawSignatures } from "./pdf/signatures.ts";
import { loadPdfJs } from "./pdf/pdfjs.ts";
import { selectPdfEngine, type PdfEngineName } from "./pdf/engine.ts";
import { readPdfWithPoppler } from "./pdf/poppler.ts";

import type { SignatureInfo } from "./pdf/signatures.ts";
export type { SignatureInfo } from "./pdf/signatures.ts";
export { buildModel, MAX_PDF_PAGES, needsOcr, scanPages } from "./pdf/model.ts";

export interface PdfReadOptions {
  fileName?: string;
  /** Forces an engine (else VANTHU_PDF_ENGINE, else poppler when installed): see pdf/engine.ts. */
  engine?: PdfEngineName;
}

/**
 * pdf.js skips, without decoding, every image above this many pixels. The text
 * reader never needs pixels (the OCR reader opens the file on its own), yet
 * evaluating annotation appearances builds the page's whole operator list, which
 * would decode and colour-convert every scan, seal and signature image on it:
 * most of the time spent on an e-signed letter. One pixel skips them all.
 */
const MAX_IMAGE_PIXELS = 1;

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

/**
 * A text PDF → the line/block model. Lines are rebuilt from pdf.js text items
 * by baseline; the two-column header and closing are split into columns; the
 * number and day that e-signing stamps into signature appearances are put back
 * on their lines; paragraphs come from the geometry. Scanned pages are
 * reported in warnings (see `scanPages`), not read.
 */
export async function readPdf(bytes: Uint8Array, options: PdfReadOptions = {}): Promise<TextModel> {
  const { fileName } = options;
  if ((await selectPdfEngine(options.engine)) === "poppler") {
    // Null: poppler could not read the file cleanly, and pdf.js decides (see pdf/poppler.ts).
    const model = await readPdfWithPoppler(bytes, { fileName });
    if (model) return model;
  }
  const pdfjs = await loadPdfJs();
  let doc: Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>;
  try {
    // pdf.js transfers (detaches) the buffer it is given and refuses a Node Buffer:
    // hand it a plain Uint8Array copy (Buffer#slice would be a view, not a copy).
    doc = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      maxImageSize: MAX_IMAGE_PIXELS,
      useSystemFonts: false,
      disableFontFace: true,
      verbosity: 0,
    }).promise;
  } catch (error) {
    throw toReadError(error, fileName);
  }
  try {
    if (doc.numPages > MAX_PDF_PAGES) {
      throw tooManyPagesError(doc.numPages, fileName);
    }
    const warnings: string[] = [];
    if (!hasEofMarker(bytes)) warnings.push(TRUNCATED_WARNING);
    let rawSignatures: ReturnType<typeof readRawSignatures> | null = null;
    const signaturesInFile = () => (rawSignatures ??= readRawSignatures(bytes));
    const pages: PageInput[] = [];
    const signatures: SignatureInfo[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const { items, rotatedChars } = textItems(content.items);
      const chars = items.reduce((sum, i) => sum + i.text.replace(/\s+/g, "").length, 0);
      const scan = chars + rotatedChars < MIN_PAGE_CHARS;
      if (scan) warnings.push(scanWarning(n));
      else if (rotatedChars > chars) warnings.push(`page ${n}: most of its text is rotated and was not read`);
      const annotations = await readPageAnnotations(page, pdfjs, n, signaturesInFile, !scan);
      items.push(...snapStamps(annotations.stamps, items));
      for (const sig of annotations.signatures) {
        warnings.push(signatureWarning(sig));
        signatures.push(sig);
      }
      const [left = 0, bottom = 0, right = 0, top = 0] = page.view;
      pages.push({ frame: { page: n, view: [left, bottom, right, top] }, items: scan ? [] : items });
      page.cleanup();
    }
    const model = buildModel(pages, doc.numPages, dedupe(warnings));
    if (signatures.length) model.source.signatures = signatures;
    return model;
  } catch (error) {
    throw toReadError(error, fileName);
  } finally {
    await doc.destroy();
  }
}

interface RawTextItem {
  str?: string;
  transform?: number[];
  width?: number;
}

/** pdf.js items → positioned items; rotated text (margin stamps, watermarks) is left out but counted. */
function textItems(raw: unknown[]): { items: PdfItem[]; rotatedChars: number } {
  const items: PdfItem[] = [];
  let rotatedChars = 0;
  for (const r of raw as RawTextItem[]) {
    if (!r.str || !r.str.trim() || !r.transform) continue;
    const [a = 0, b = 0, , d = 0, x = 0, y = 0] = r.transform;
    if (Math.abs(b) > 0.01 * Math.abs(a) || a <= 0) {
      rotatedChars += r.str.replace(/\s+/g, "").length;
      continue;
    }
    // d, not hypot(c, d): an oblique (fake italic) font has c ≠ 0 at the same size.
    const size = Math.abs(d) || a;
    items.push(...splitWideSpaces({ text: r.str, x, y, width: r.width ?? 0, size }));
  }
  return { items, rotatedChars };
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

/** pdf.js failures → named read errors; a ReadError passes through. */
function toReadError(error: unknown, fileName: string | undefined): ReadError {
  if (error instanceof ReadError) return error;
  const name = (error as { name?: string } | null)?.name ?? "";
  const message = (error as { message?: string } | null)?.message ?? String(error);
  if (name === "PasswordException") {
    return passwordError(fileName);
  }
  return new ReadError("corrupt_file", `the PDF is damaged or incomplete and cannot be read (${message})`, fileName);
}
