import { normalizeLine } from "../../text/normalize.ts";
import { MARKER } from "./paragraphs.ts";

/**
 * mammoth's document tree → the lines of the letter, in reading order.
 *
 * A Word paragraph is a paragraph: its first line opens a new block (as a
 * blank line does in text), and a line break (w:br) inside it only starts a
 * new line. Paragraphs after the first in one table cell do not force a new
 * block: cell lines are grouped the way the text reader groups a flattened
 * header ("UBND TỈNH QUẢNG TRỊ" + "VĂN PHÒNG"), by the block rules.
 *
 * Tables: a letter's header and signature are layout tables of two columns
 * (issuer, Số, V/v | Quốc hiệu, place and date; Nơi nhận | signature). They
 * are read column by column, the left column first, which is the order the
 * header and signer rules expect. Any other table is read row by row (cells
 * left to right), which is also how a one-row layout table reads.
 */

export interface MammothElement {
  type: string;
  children?: MammothElement[];
  value?: string;
  breakType?: string;
  checked?: boolean;
  colSpan?: number;
}

export interface RawLine {
  text: string;
  /** The line opens a new block, as after a blank line in text. */
  blankBefore: boolean;
  column?: "left" | "right";
}

export interface LayoutResult {
  lines: RawLine[];
  images: number;
}

/** The largest table still read as a layout table (header or signature), in rows. */
const LAYOUT_TABLE_MAX_ROWS = 4;

export function layoutDocument(document: MammothElement, labels: (string | null)[]): LayoutResult {
  const lines: RawLine[] = [];
  let images = 0;

  /** One paragraph's lines (split at line breaks), label prefixed, markers removed. */
  const paragraphLines = (paragraph: MammothElement, nested: MammothElement[]): string[] => {
    const segments: string[] = [""];
    const inline = (element: MammothElement) => {
      switch (element.type) {
        case "text":
          segments[segments.length - 1] += element.value ?? "";
          return;
        case "tab":
          segments[segments.length - 1] += "\t";
          return;
        case "break":
          segments.push("");
          return;
        case "checkbox":
          segments[segments.length - 1] += element.checked ? "☒ " : "☐ ";
          return;
        case "image":
          images++;
          return;
        case "paragraph":
        case "table":
          nested.push(element); // a text box: read after the paragraph that holds it
          return;
        default:
          for (const c of element.children ?? []) inline(c);
      }
    };
    for (const c of paragraph.children ?? []) inline(c);

    // After a merge (deleted paragraph mark) the last marker is the paragraph whose properties mammoth kept.
    let ordinal = -1;
    const texts = segments.map((s) => normalizeLine(s.replace(MARKER, (_m, n: string) => ((ordinal = Number(n)), ""))));
    const label = ordinal >= 0 ? labels[ordinal] : null;
    const kept = texts.filter(Boolean);
    if (label && kept.length) kept[0] = `${label} ${kept[0]}`;
    return kept;
  };

  /** Emits a paragraph or table; returns whether any line was emitted. */
  const emit = (element: MammothElement, opensBlock: boolean, column?: "left" | "right"): boolean => {
    if (element.type === "table") return emitTable(element, column);
    if (element.type !== "paragraph") return false;
    const nested: MammothElement[] = [];
    const texts = paragraphLines(element, nested);
    texts.forEach((text, i) => lines.push({ text, blankBefore: opensBlock && i === 0, ...(column ? { column } : {}) }));
    let emitted = texts.length > 0;
    for (const n of nested) emitted = emit(n, true, column) || emitted;
    return emitted;
  };

  const emitCell = (cell: MammothElement, column?: "left" | "right") => {
    let first = true;
    for (const c of cell.children ?? []) if (emit(c, first, column)) first = false;
  };

  const emitTable = (table: MammothElement, outerColumn?: "left" | "right"): boolean => {
    const before = lines.length;
    const rows = (table.children ?? []).map((row) => (row.children ?? []).filter((c) => c.type === "tableCell"));
    const sided = rows.map(cellSides);
    const twoColumns = sided.every((cells) => cells.length <= 2) && sided.some((cells) => cells.length === 2);
    const letterPart = twoColumns && holdsLetterParts(table);
    // One row reads the same either way; with more, only a table that holds header or signature
    // lines is read by columns, so a small data table (STT | Nội dung) keeps its rows together.
    if (twoColumns && (rows.length === 1 || (rows.length <= LAYOUT_TABLE_MAX_ROWS && letterPart))) {
      for (const side of ["left", "right"] as const) {
        for (const cells of sided) for (const c of cells) if (c.side === side) emitCell(c.cell, outerColumn ?? (letterPart ? side : undefined));
      }
    } else {
      for (const cells of rows) for (const cell of cells) emitCell(cell, outerColumn);
    }
    return lines.length > before;
  };

  for (const element of document.children ?? []) emit(element, true);
  return { lines, images };
}

/** The cells of a row that hold text, each on the side of the page it stands on. */
function cellSides(cells: MammothElement[]): { cell: MammothElement; side: "left" | "right" }[] {
  const width = cells.reduce((w, c) => w + (c.colSpan ?? 1), 0);
  let at = 0;
  const filled: { cell: MammothElement; start: number }[] = [];
  for (const cell of cells) {
    if (hasText(cell)) filled.push({ cell, start: at });
    at += cell.colSpan ?? 1;
  }
  if (filled.length === 2) return [{ cell: filled[0]!.cell, side: "left" }, { cell: filled[1]!.cell, side: "right" }];
  // One filled cell (or more than two, which is no layout table): its position says the side.
  return filled.map((f) => ({ cell: f.cell, side: f.start * 2 < width || width <= 1 ? "left" : "right" }));
}

/** Lines that only a letter's header or signature block has. */
const LETTER_PART = /^(?:Số\s*[:.]|V\/v|Về việc|CỘNG H[OÒ]A|Độc lập|Nơi nhận|KT\.|TM\.|TL\.|TUQ\.|Q\.\s)|,\s*ngày\b.*\btháng\b/iu;

function holdsLetterParts(table: MammothElement): boolean {
  const paragraphs: string[] = [];
  const collect = (element: MammothElement) => {
    if (element.type === "paragraph") paragraphs.push(normalizeLine(textOf(element).replace(MARKER, "")));
    else for (const c of element.children ?? []) collect(c);
  };
  collect(table);
  return paragraphs.some((t) => LETTER_PART.test(t));
}

function textOf(element: MammothElement): string {
  return element.type === "text" ? (element.value ?? "") : (element.children ?? []).map(textOf).join("");
}

function hasText(element: MammothElement): boolean {
  return textOf(element).replace(MARKER, "").trim().length > 0;
}
