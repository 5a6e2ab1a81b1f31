/**
 * A PDF with both text pages and scanned pages: the text pages' lines (from
 * the text layer) and the scanned pages' lines (from OCR) put together in
 * page order as one model. Paragraphs are kept as each reader built them; a
 * sentence cut by the seam between a text page and a scanned page is joined
 * again, as the readers do across an ordinary page break.
 */
import type { Block, Line, TextModel } from "../../model.ts";
import { lowConfidenceWarnings } from "./layout.ts";

const ENDS_SENTENCE = /[.:;!?]["”')]?$|\.\/\.$/u;

export function spliceModels(textModel: TextModel, ocrModel: TextModel, ocrPages: ReadonlySet<number>): TextModel {
  const fromText = textModel.blocks.filter((b) => !ocrPages.has(b.page));
  const fromOcr = ocrModel.blocks;
  // Merge by page of the first line; each source keeps its own order within a page.
  const ordered: { block: Block; ocr: boolean }[] = [];
  let i = 0;
  let j = 0;
  while (i < fromText.length || j < fromOcr.length) {
    const a = fromText[i];
    const b = fromOcr[j];
    if (a && (!b || a.page <= b.page)) ordered.push({ block: a, ocr: false }), i++;
    else ordered.push({ block: b!, ocr: true }), j++;
  }
  const groups: Line[][] = [];
  let prevOcr: boolean | null = null;
  for (const { block, ocr } of ordered) {
    const last = groups[groups.length - 1];
    const lastLine = last?.[last.length - 1];
    const continues = lastLine && prevOcr !== ocr && /^[(“"]?\p{Ll}/u.test(block.lines[0]!.text) && !ENDS_SENTENCE.test(lastLine.text);
    if (continues) last!.push(...block.lines);
    else groups.push([...block.lines]);
    prevOcr = ocr;
  }
  const lines: Line[] = [];
  const blocks: Block[] = [];
  let offset = 0;
  for (const group of groups) {
    const blockLines: Line[] = [];
    const lineOffsets: number[] = [];
    let text = "";
    for (const old of group) {
      const line: Line = { ...old, index: lines.length, start: offset, end: offset + old.text.length };
      offset += old.text.length + 1;
      lines.push(line);
      blockLines.push(line);
      if (text) text += " ";
      lineOffsets.push(text.length);
      text += line.text;
    }
    blocks.push({ text, lines: blockLines, page: blockLines[0]!.page, index: blocks.length, lineOffsets });
  }
  const ocrWarnings = ocrModel.source.warnings.filter((w) => !w.startsWith("low OCR confidence"));
  const source = {
    ...textModel.source,
    reader: `${textModel.source.reader}+${ocrModel.source.reader}`,
    ocr: true,
    warnings: [...withoutScanWarnings(textModel.source.warnings, ocrPages), ...ocrWarnings, ...lowConfidenceWarnings(lines)],
  };
  return { text: lines.map((l) => l.text).join("\n"), lines, blocks, source };
}

/** The PDF reader's "page N has no text layer (scan)" is answered for pages that were OCR'd. */
export function withoutScanWarnings(warnings: string[], ocrPages: ReadonlySet<number>): string[] {
  return warnings.filter((w) => {
    const m = /^page (\d+) has no text layer \(scan\)$/.exec(w);
    return !m || !ocrPages.has(Number(m[1]));
  });
}
