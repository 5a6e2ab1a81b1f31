/** What an OCR engine offers the reader, and the errors it reports. */
import { ReadError } from "../../errors.ts";
import type { GrayImage } from "./image.ts";
import type { OcrWord } from "./tsv.ts";

export type EngineName = "tesseract" | "tesseract.js";

export interface OcrSession {
  engine: EngineName;
  /** Words of one page image; rejects with a ReadError (ocr_failed, timeout). */
  recognize(image: GrayImage, page: number): Promise<OcrWord[]>;
  /** Ends the session's workers; safe to call twice. */
  close(): Promise<void>;
}

export interface SessionOptions {
  engine?: EngineName;
  /** Per-page limit in milliseconds, counted from when the page gets a core. */
  timeoutMs: number;
  fileName?: string;
}

/**
 * Page segmentation mode 3 (automatic, with columns). Measured on the five
 * shared scans (straightened, rules removed, before the later repairs),
 * header / tasks F1: psm 3 0.69 / 0.73, psm 4 (one column of variable sizes)
 * 0.69 / 0.69, psm 6 (one uniform block) 0.60 / 0.69. With one column the
 * signature's strokes and the seal are threaded into the rows of the "Nơi
 * nhận" list beside them; psm 3 keeps them apart. (Unstraightened, psm 3 and 4
 * both lost whole paragraphs of a page scanned 2° askew: see deskew.ts.)
 */
export const PAGE_SEGMENTATION = 3;

export function timeoutError(page: number, options: SessionOptions): ReadError {
  return new ReadError("timeout", `OCR of page ${page} took longer than ${Math.round(options.timeoutMs / 1000)} s`, options.fileName);
}

export function ocrFailed(page: number, reason: string, options: SessionOptions): ReadError {
  return new ReadError("ocr_failed", `OCR of page ${page} failed: ${reason}`, options.fileName);
}
