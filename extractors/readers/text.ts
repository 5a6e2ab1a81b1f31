import type { Line, TextModel } from "../model.ts";
import { normalizePreparedLine, prepareText } from "../text/normalize.ts";
import { buildBlocks } from "../layout/blocks.ts";

export interface PlainTextOptions {
  encoding: string;
}

/**
 * Plain text → the line/block model. Form feeds are page breaks; every line
 * is normalised; a numbering label stranded at the end of a line by a
 * converter ("... tiến bộ 1.1.") is moved to a line of its own.
 */
export function readPlainText(text: string, options: PlainTextOptions): TextModel {
  const lines: Line[] = [];
  const parts: string[] = [];
  let offset = 0;
  let page = 1;
  const push = (value: string, blankBefore: boolean) => {
    const line: Line = { text: value, page, index: lines.length, start: offset, end: offset + value.length };
    if (blankBefore) blankLines.add(lines.length);
    lines.push(line);
    parts.push(value);
    offset += value.length + 1;
  };
  const blankLines = new Set<number>();
  let blankBefore = false;
  // Whole-document passes first (NFC, odd spaces to plain ones), so each line needs only the light ones.
  const prepared = prepareText(text);
  // Most files have only "\n" line ends: a string split is several times quicker than the pattern.
  const lineEnds = prepared.text.includes("\r") ? /\r\n|\r|\n/ : "\n";
  const formFeeds = prepared.text.includes("\f");
  for (const rawLine of prepared.text.split(lineEnds)) {
    const pages = formFeeds && rawLine.includes("\f") ? rawLine.split("\f") : [rawLine];
    for (let p = 0; p < pages.length; p++) {
      if (p > 0) page++;
      const value = normalizePreparedLine(pages[p]!, prepared);
      if (!value) {
        blankBefore = true;
        continue;
      }
      for (const piece of splitStrandedLabels(value)) {
        push(piece, blankBefore);
        blankBefore = false;
      }
    }
  }
  return {
    text: parts.join("\n"),
    lines,
    blocks: buildBlocks(lines, blankLines),
    source: { format: "text", reader: "text", encoding: options.encoding, ocr: false, pages: page, warnings: [] },
  };
}

// "... lao động 2.1." or "... đình công 3.1. Rà soát": a sub-item label (N.M.) that a
// converter glued to the heading before it. Only multi-level labels qualify, and
// only before an upper-case word or the end of the line, so "khoản 2.1 của" stays.
// The leading lookahead only gates the lookbehind: V8 tries the lookbehind's large classes at every
// position of the line otherwise, and a match must start with " " and a digit anyway.
const STRANDED_MULTILEVEL = /(?= \d)(?<=[\p{L}\p{N}”")]) (\d{1,2}(?:\.\d{1,2})+\.?)(?= \p{Lu}|$)/u;
// "III. TỔ CHỨC THỰC HIỆN 1." — a first item label after an all-caps heading.
const STRANDED_AFTER_CAPS = /^((?:[IVXLC]+\.)\s+[^\p{Ll}]+?) (1\.)$/u;

function splitStrandedLabels(line: string): string[] {
  const caps = line.endsWith(" 1.") ? STRANDED_AFTER_CAPS.exec(line) : null;
  if (caps) return [caps[1]!, caps[2]!];
  const m = hasDigitDotDigit(line) ? STRANDED_MULTILEVEL.exec(line) : null;
  if (!m || m.index < 3) return [line];
  const before = line.slice(0, m.index).trim();
  const after = line.slice(m.index).trim();
  return [before, ...splitStrandedLabels(after)];
}

/** `/\d\.\d/.test(line)`, by looking at the few dots a line has rather than at every character. */
export function hasDigitDotDigit(line: string): boolean {
  for (let i = line.indexOf("."); i !== -1; i = line.indexOf(".", i + 1)) {
    if (isAsciiDigit(line.charCodeAt(i - 1)) && isAsciiDigit(line.charCodeAt(i + 1))) return true;
  }
  return false;
}

const isAsciiDigit = (code: number) => code >= 0x30 && code <= 0x39;
