import { ReadError } from "../errors.ts";
import type { TextModel } from "../model.ts";

export interface PdfReadOptions {
  fileName?: string;
}

/** Placeholder: the pdf.js reader is being written. */
export async function readPdf(_bytes: Uint8Array, options: PdfReadOptions = {}): Promise<TextModel> {
  throw new ReadError("unsupported_format", "PDF reading is not available yet", options.fileName);
}
