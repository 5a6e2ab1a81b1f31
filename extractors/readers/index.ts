import { ReadError } from "../errors.ts";
import type { TextModel } from "../model.ts";
import { decodeText } from "./decode.ts";
import { detectFormat } from "./detect.ts";
import { readPlainText } from "./text.ts";
import { readPdf } from "./pdf.ts";
import { readDocx } from "./docx.ts";

export interface ReadOptions {
  fileName?: string;
}

/** Detects the format by content (magic bytes), never by extension, and dispatches to its reader. */
export async function readDocument(bytes: Uint8Array, options: ReadOptions = {}): Promise<TextModel> {
  const detected = detectFormat(bytes);
  switch (detected.format) {
    case "text": {
      const decoded = decodeText(bytes, options.fileName);
      const model = readPlainText(decoded.text, { encoding: decoded.encoding });
      model.source.warnings.push(...decoded.warnings);
      return model;
    }
    case "pdf":
      return readPdf(bytes, options);
    case "docx":
      return readDocx(bytes, options);
    default:
      throw new ReadError(
        "unsupported_format",
        `${detected.description} is not a format vanthu reads (it reads text, PDF and DOCX letters)`,
        options.fileName,
      );
  }
}
