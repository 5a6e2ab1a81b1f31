/**
 * Reading order and paragraph breaks of a letter's pages: page furniture
 * dropped, the header and closing columns emitted one after the other (left
 * column first), and each line told whether it starts a paragraph, from
 * geometry (a gap wider than the line spacing, a first-line indent).
 */
import { groupLines, mode, type PdfItem, type PdfLine } from "./geometry.ts";
import { findFurniture, type PageFrame } from "./furniture.ts";
import { closingZone, headerZone } from "./columns.ts";

export interface PageInput {
  frame: PageFrame;
  items: PdfItem[];
}

export interface OrderedLine extends PdfLine {
  blankBefore: boolean;
  /**
   * The geometry says this line wraps the paragraph of the line before (that
   * line ran to the right margin, this one starts at the left margin, and the
   * page marks its paragraphs by indent or spacing), whatever punctuation ends it.
   */
  wraps: boolean;
}

/** A gap between lines this many times the page's usual spacing is a paragraph break. */
const PARAGRAPH_GAP = 1.25;
/** In a column (header, closing), a gap this many ems is a break. */
const COLUMN_GAP_EMS = 1.6;

export function layoutPages(pages: PageInput[]): OrderedLine[] {
  const raw = pages.map((p) => ({ frame: p.frame, lines: groupLines(p.items, p.frame.page) }));
  const furniture = findFurniture(raw);
  const out: OrderedLine[] = [];
  let closingSeen = false;
  for (const [index, { frame, lines: allLines }] of raw.entries()) {
    const lines = furniture.size ? regroup(allLines, furniture, frame.page) : allLines;
    if (!lines.length) continue;
    const header = index === 0 ? headerZone(frame, lines, pageMargins(lines).center) : null;
    const closing = closingSeen ? null : closingZone(frame, lines);
    if (closing) closingSeen = true;
    if (header) {
      out.push(...columnLines(header.left), ...columnLines(header.right));
    }
    const taken = new Set<PdfItem>([...(header?.items ?? []), ...(closing?.items ?? [])]);
    const body = taken.size ? regroup(lines, taken, frame.page) : lines;
    if (body.length) out.push(...bodyLines(body, pageMargins(body), out[out.length - 1] ?? null, header !== null));
    if (closing) out.push(...columnLines(closing.left, true), ...columnLines(closing.right));
  }
  return out;
}

function regroup(lines: PdfLine[], without: Set<PdfItem>, page: number): PdfLine[] {
  const kept = lines.flatMap((l) => l.items).filter((i) => !without.has(i));
  return groupLines(kept, page);
}

/**
 * A column's lines in order; a break at its first line and wherever the gap
 * exceeds the line spacing. In a list column (Nơi nhận), a line after an
 * unfinished item ("- Các Bộ: XD, TP," / "NN&MT, KH&CN;") continues that item.
 */
function columnLines(lines: PdfLine[], list = false): OrderedLine[] {
  return lines.map((line, i) => {
    const prev = lines[i - 1];
    const blankBefore = !prev || prev.y - line.y > COLUMN_GAP_EMS * Math.max(prev.size, line.size);
    const wraps = list && !blankBefore && i > 1 && !/[.;:]\s*$/u.test(prev!.text) && !/^\s*[-–+•]/u.test(line.text);
    return { ...line, blankBefore, wraps };
  });
}

interface Margins {
  left: number;
  right: number;
  center: number;
  /** Usual distance between consecutive baselines of body text. */
  spacing: number | null;
}

/** Whether a page shows its paragraphs by geometry at all: some first-line indent or wider gap. */
function marksParagraphs(lines: PdfLine[], m: Margins): boolean {
  return lines.some((line, i) => {
    const prev = lines[i - 1];
    if (!prev) return false;
    if (m.spacing !== null && prev.y - line.y > PARAGRAPH_GAP * m.spacing) return true;
    return isIndented(line, prev, m);
  });
}

/** The page's text block: the left margin most lines start at, the right edge full lines reach. */
function pageMargins(lines: PdfLine[]): Margins {
  const long = lines.filter((l) => l.text.length >= 30);
  const sample = long.length >= 3 ? long : lines;
  const left = mode(sample.map((l) => l.x0)) ?? sample[0]!.x0;
  const ends = sample.map((l) => l.x1).sort((a, b) => a - b);
  const right = ends[Math.floor(ends.length * 0.9)] ?? ends[ends.length - 1]!;
  // Spacing of the body's own type size only: the Nơi nhận list in small print is set tighter.
  const size = mode(sample.map((l) => l.size), 0.5) ?? sample[0]!.size;
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1]!;
    const b = lines[i]!;
    const dy = a.y - b.y;
    if (Math.abs(a.size - size) < 0.5 && Math.abs(b.size - size) < 0.5 && dy > 0.9 * size && dy < 2.5 * size) gaps.push(dy);
  }
  // A low percentile, not the median: in a letter of short paragraphs the paragraph gaps are many.
  const spacing = gaps.length >= 3 ? gaps.sort((x, y) => x - y)[Math.floor(gaps.length * 0.3)]! : null;
  return { left, right, center: (left + right) / 2, spacing };
}

/**
 * Body lines with their paragraph breaks. A new paragraph starts after a gap
 * clearly wider than the usual spacing, or at a first-line indent: a line
 * starting well right of the margin after a line that ran to the right edge
 * (a centred title line, with equal space left and right, is no indent).
 * Across a page break only the indent counts: the gap there is the page's margins.
 */
function bodyLines(lines: PdfLine[], m: Margins, before: OrderedLine | null, afterHeader: boolean): OrderedLine[] {
  const out: OrderedLine[] = [];
  const marked = marksParagraphs(lines, m);
  for (const [i, line] of lines.entries()) {
    const prev: PdfLine | null = i > 0 ? lines[i - 1]! : before;
    let blankBefore = false;
    if (!prev) blankBefore = true;
    else if (i === 0 && afterHeader) blankBefore = true;
    else if (prev.page === line.page && prev.column === undefined && m.spacing !== null && prev.y - line.y > PARAGRAPH_GAP * m.spacing) blankBefore = true;
    else if (prev.page === line.page && prev.column === undefined && m.spacing === null && prev.y - line.y > 1.8 * line.size) blankBefore = true;
    else if (prev.column !== undefined) blankBefore = true;
    else blankBefore = isIndented(line, prev, m);
    const wraps =
      marked && !blankBefore && !!prev && prev.column === undefined && prev.x1 >= m.right - 1.5 * line.size && line.x0 <= m.left + 0.5 * line.size;
    out.push({ ...line, blankBefore, wraps });
  }
  return out;
}

function isIndented(line: PdfLine, prev: PdfLine, m: Margins): boolean {
  const em = line.size;
  const indent = line.x0 - m.left;
  if (indent < 0.8 * em || indent > (m.right - m.left) * 0.4) return false;
  // A centred line (a title's second row) has as much room on the right as on the left.
  const centred = m.right - line.x1 >= 0.8 * em && Math.abs(indent - (m.right - line.x1)) <= 1.5 * em;
  if (centred) return false;
  // Under a line indented the same way (a quoted block, a hanging list) it is no new start.
  return Math.abs(prev.x0 - line.x0) > 0.5 * em || prev.page !== line.page;
}
