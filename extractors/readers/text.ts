import type { TextModel } from "../model.ts";

export interface PlainTextOptions { encoding: string }

// Placeholder while the line model is written.
export function readPlainText(text: string, options: PlainTextOptions): TextModel {
  return { text, lines: [], blocks: [], source: { format: "text", reader: "text", encoding: options.encoding, ocr: false, pages: 1, warnings: [] } };
}
