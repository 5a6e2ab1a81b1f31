/**
 * The one line/block model every reader produces and every field extractor
 * reads. A reader never extracts a field; a field extractor never opens a file.
 *
 * `text` is the whole document as the extractors see it (normalised, lines
 * joined by "\n"); every line and block knows its character range in it, so a
 * value found by a regex over a block maps back to page, line and offsets.
 */
export interface Line {
  /** Normalised text of the line (NFC, markup removed, whitespace collapsed). */
  text: string;
  /** 1-based page number; plain text is one page unless it has form feeds. */
  page: number;
  /** 0-based index of the line in the document. */
  index: number;
  /** Character range of the line in `TextModel.text`. */
  start: number;
  end: number;
  /** Column of a two-column header, when the reader knows it. */
  column?: "left" | "right";
  /** OCR confidence 0..1; absent for born-digital text. */
  confidence?: number;
}

/** A paragraph: consecutive lines that read as one unit of text. */
export interface Block {
  /** The block's text: its lines joined by single spaces. */
  text: string;
  lines: Line[];
  page: number;
  /** Index of the block in the document. */
  index: number;
  /** Offsets of each line's text inside `text`, parallel to `lines`. */
  lineOffsets: number[];
}

export type SourceFormat = "text" | "pdf" | "docx" | "image";

export interface SourceInfo {
  format: SourceFormat;
  /** Which reader produced the model ("text", "pdfjs", "mammoth", "tesseract"...). */
  reader: string;
  /** Text encoding the bytes were decoded from, for text input. */
  encoding?: string;
  ocr: boolean;
  pages: number;
  /** Things a reviewer should know about how the file was read. */
  warnings: string[];
  /** Digital signatures found in the file (ký số), in page order: who signed and when. */
  signatures?: SignatureInfo[];
}

export interface SignatureInfo {
  signer: string | null;
  /** ISO 8601 with offset. */
  signedAt: string | null;
  /** [x1, y1, x2, y2] in PDF points. */
  rect: number[];
  page: number;
}

export interface TextModel {
  text: string;
  lines: Line[];
  blocks: Block[];
  source: SourceInfo;
}

/** Where a value came from: page, line and character range in `TextModel.text`. */
export interface SourceSpan {
  page: number;
  line: number;
  start: number;
  end: number;
}

/** Maps a character range inside a block's text back to the document. */
export function spanInBlock(block: Block, from: number, to: number): SourceSpan {
  let i = 0;
  while (i + 1 < block.lines.length && (block.lineOffsets[i + 1] ?? Infinity) <= from) i++;
  const line = block.lines[i]!;
  const offsetInLine = Math.max(0, from - (block.lineOffsets[i] ?? 0));
  const start = line.start + Math.min(offsetInLine, line.text.length);
  return { page: line.page, line: line.index, start, end: start + Math.max(0, to - from) };
}

export function blockSpan(block: Block): SourceSpan {
  const first = block.lines[0]!;
  const last = block.lines[block.lines.length - 1]!;
  return { page: first.page, line: first.index, start: first.start, end: last.end };
}
