import { ReadError } from "../errors.ts";
import type { TextModel } from "../model.ts";
import { normalizeLine } from "../text/normalize.ts";
import { splitWideSpaces, type PdfItem } from "./pdf/geometry.ts";
import { layoutPages, type PageInput } from "./pdf/layout.ts";
import { repairText } from "./pdf/repair.ts";
import { assembleLines } from "./pdf/assemble.ts";
import { readPageAnnotations, signatureWarning, snapStamps } from "./pdf/annotations.ts";
import { readRawSignatures } from "./pdf/signatures.ts";
import { loadPdfJs } from "./pdf/pdfjs.ts";

import type { SignatureInfo } from "./pdf/signatures.ts";
export type { SignatureInfo } from "./pdf/signatures.ts";

export interface PdfReadOptions {
  fileName?: string;
}

/** More pages than this is not a letter; refuse before reading any page. */
export const MAX_PDF_PAGES = 300;
/**
 * pdf.js skips, without decoding, every image above this many pixels. The text
 * reader never needs pixels (the OCR reader opens the file on its own), yet
 * evaluating annotation appearances builds the page's whole operator list, which
 * would decode and colour-convert every scan, seal and signature image on it:
 * most of the time spent on an e-signed letter. One pixel skips them all.
 */
const MAX_IMAGE_PIXELS = 1;
/** A page with fewer visible characters than this has no usable text layer: a scan. */
const MIN_PAGE_CHARS = 20;

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
      throw new ReadError("too_many_pages", `has ${doc.numPages} pages; vanthu reads letters of at most ${MAX_PDF_PAGES} pages`, fileName);
    }
    const warnings: string[] = [];
    if (!hasEofMarker(bytes)) warnings.push("the file does not end with %%EOF: it may be truncated");
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

/** The model from positioned items (exported for tests of the layout on synthetic pages). */
export function buildModel(pages: PageInput[], pageCount: number, warnings: string[]): TextModel {
  const laidOut = layoutPages(pages).map((ordered) => {
    const text = normalizeLine(repairText(ordered.text));
    return {
      text,
      page: ordered.page,
      ...(ordered.column ? { column: ordered.column } : {}),
      blankBefore: ordered.blankBefore,
      wraps: ordered.wraps,
      // Normalisation empties a rule of underscores; the raw text tells it was one.
      rule: !text && /^[\s_\-–—=.]{3,}$/u.test(ordered.text),
    };
  });
  return { ...assembleLines(laidOut), source: { format: "pdf", reader: "pdfjs", ocr: false, pages: pageCount, warnings } };
}

const SCAN_WARNING = /^page (\d+) has no text layer \(scan\)$/;

function scanWarning(page: number): string {
  return `page ${page} has no text layer (scan)`;
}

/** The pages of a model read from a PDF that have no text layer and need OCR (1-based). */
export function scanPages(model: TextModel): number[] {
  return model.source.warnings.flatMap((w) => {
    const m = SCAN_WARNING.exec(w);
    return m ? [Number(m[1])] : [];
  });
}

/** Whether the PDF needs OCR: every page is a scan, or `partly` and some page is. */
export function needsOcr(model: TextModel, partly = false): boolean {
  const scans = scanPages(model).length;
  return partly ? scans > 0 : scans > 0 && scans >= model.source.pages;
}

function hasEofMarker(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString("latin1");
  return tail.includes("%%EOF");
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
    return new ReadError("encrypted_pdf", "the PDF is password-protected; remove the password and submit it again", fileName);
  }
  return new ReadError("corrupt_file", `the PDF is damaged or incomplete and cannot be read (${message})`, fileName);
}
