import { ReadError } from "../errors.ts";
import type { TextModel } from "../model.ts";
import { decodeText } from "./decode.ts";
import { detectFormat } from "./detect.ts";
import { readPlainText } from "./text.ts";

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
    default:
      throw new ReadError(
        "unsupported_format",
        `${detected.description} is not a format vanthu reads yet (it reads plain text letters)`,
        options.fileName,
      );
  }
}
