import { ReadError } from "../errors.ts";
import type { TextModel } from "../model.ts";
import { decodeText } from "./decode.ts";
import { detectFormat } from "./detect.ts";
import { readPlainText } from "./text.ts";
import { readPdf, scanPages } from "./pdf.ts";
import { readImage, readScannedPdf } from "./ocr.ts";
import { readDocx } from "./docx.ts";

export interface ReadOptions {
  fileName?: string;
}

/**
 * Detects the format by content (magic bytes), never by extension, and
 * dispatches to its reader. A file read without error but without a single
 * line (white space only, a PDF without pages) is `no_text`: there is no
 * letter to extract, and an empty extraction would look like a reader fault.
 */
export async function readDocument(bytes: Uint8Array, options: ReadOptions = {}): Promise<TextModel> {
  const model = await readByFormat(bytes, options);
  if (!model.lines.length) {
    const what = model.source.format === "pdf" ? (model.source.pages ? "the PDF has no text" : "the PDF has no pages") : "the file holds no text, only white space";
    throw new ReadError("no_text", what, options.fileName);
  }
  return model;
}

async function readByFormat(bytes: Uint8Array, options: ReadOptions): Promise<TextModel> {
  const detected = detectFormat(bytes);
  switch (detected.format) {
    case "text": {
      const decoded = decodeText(bytes, options.fileName);
      const model = readPlainText(decoded.text, { encoding: decoded.encoding });
      model.source.warnings.push(...decoded.warnings);
      return model;
    }
    case "pdf": {
      const model = await readPdf(bytes, options);
      // Scanned pages (no text layer) are OCR'd, and only those: a mixed PDF (a text letter with
      // a scanned annex, or a scan with a typed cover page) keeps its text layer where it has one,
      // which is exact and fast, and its scanned pages' OCR lines are spliced in page order.
      // A whole-file OCR above some share of scans would re-read good text with OCR errors.
      const scans = scanPages(model);
      if (!scans.length) return model;
      return readScannedPdf(bytes, model, { ...options, pages: scans });
    }
    case "png":
    case "jpeg":
    case "tiff":
      return readImage(bytes, detected.format, options);
    case "docx":
      return readDocx(bytes, options);
    default:
      throw new ReadError(
        "unsupported_format",
        `${detected.description} is not a format vanthu reads (it reads text, PDF, DOCX and scanned letters as PNG, JPEG or TIFF)` +
          (detected.advice ? `: ${detected.advice}` : ""),
        options.fileName,
      );
  }
}
