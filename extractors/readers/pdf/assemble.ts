import type { Block, Line } from "../../model.ts";
import { buildBlocks } from "../../layout/blocks.ts";
import { mergeWrappedBlocks } from "./paragraphs.ts";

/**
 * Lines laid out from positioned items (pdf.js text or OCR words) → the
 * model's text, lines and paragraphs. Shared by the PDF and OCR readers: they
 * differ in how they clean a line and what counts as a rule, not in this.
 */
export interface LaidOutLine {
  /** The cleaned, normalised text; "" drops the line. */
  text: string;
  page: number;
  column?: "left" | "right";
  confidence?: number;
  /** A vertical gap or indent before it: a new paragraph. */
  blankBefore: boolean;
  /** It continues the line before it (the previous one ran to the margin). */
  wraps?: boolean;
  /** A drawn rule ("______" under the Quốc hiệu): dropped, and it separates what is above from below. */
  rule: boolean;
}

export function assembleLines(laidOut: Iterable<LaidOutLine>): { text: string; lines: Line[]; blocks: Block[] } {
  const lines: Line[] = [];
  const parts: string[] = [];
  const blankLines = new Set<number>();
  const wrapLines = new Set<number>();
  let offset = 0;
  let pendingBlank = false;
  for (const l of laidOut) {
    pendingBlank ||= l.blankBefore;
    if (l.rule) {
      pendingBlank = true;
      continue;
    }
    if (!l.text) continue;
    const line: Line = { text: l.text, page: l.page, index: lines.length, start: offset, end: offset + l.text.length };
    if (l.column) line.column = l.column;
    if (l.confidence !== undefined) line.confidence = l.confidence;
    if (pendingBlank) blankLines.add(line.index);
    else if (l.wraps) wrapLines.add(line.index);
    pendingBlank = false;
    lines.push(line);
    parts.push(l.text);
    offset += l.text.length + 1;
  }
  return { text: parts.join("\n"), lines, blocks: mergeWrappedBlocks(buildBlocks(lines, blankLines), wrapLines) };
}
