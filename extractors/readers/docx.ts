import { ReadError } from "../errors.ts";
import type { TextModel } from "../model.ts";

export interface DocxReadOptions {
  fileName?: string;
}

/** Placeholder: the DOCX reader is being written. */
export async function readDocx(_bytes: Uint8Array, options: DocxReadOptions = {}): Promise<TextModel> {
  throw new ReadError("unsupported_format", "DOCX reading is not available yet", options.fileName);
}
