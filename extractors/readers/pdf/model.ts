/**
 * What both text-PDF engines (pdf.js in ../pdf.ts, poppler in poppler.ts)
 * share: the limits, the model built from positioned items (lines, columns,
 * furniture, repairs, paragraphs), the scan-page bookkeeping, and the errors
 * and warnings a PDF can end in, so a file ends the same whichever engine read it.
 */
import { ReadError } from "../../errors.ts";
import type { TextModel } from "../../model.ts";
import { normalizeLine } from "../../text/normalize.ts";
import { assembleLines } from "./assemble.ts";
import { layoutPages, type PageInput } from "./layout.ts";
import { repairText } from "./repair.ts";

/** More pages than this is not a letter; refuse before reading any page. */
export const MAX_PDF_PAGES = 300;
/** A page with fewer visible characters than this has no usable text layer: a scan. */
export const MIN_PAGE_CHARS = 20;

export const TRUNCATED_WARNING = "the file does not end with %%EOF: it may be truncated";

export function passwordError(fileName: string | undefined): ReadError {
  return new ReadError("encrypted_pdf", "the PDF is password-protected; remove the password and submit it again", fileName);
}

export function tooManyPagesError(pages: number, fileName: string | undefined): ReadError {
  return new ReadError("too_many_pages", `has ${pages} pages; vanthu reads letters of at most ${MAX_PDF_PAGES} pages`, fileName);
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

export function scanWarning(page: number): string {
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

export function hasEofMarker(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString("latin1");
  return tail.includes("%%EOF");
}
