/**
 * Page furniture: page numbers and running headers/footers. They are not part
 * of the letter's text and, left in, split a sentence that runs over a page
 * break ("... các cơ quan" / "2" / "đơn vị ...").
 */
import { fold } from "../../text/normalize.ts";
import type { PdfItem, PdfLine } from "./geometry.ts";

export interface PageFrame {
  page: number;
  /** PDF user-space box of the page: [left, bottom, right, top]. */
  view: number[];
}

// "2", "- 2 -", "(2)", "Trang 2", "2/4", "Trang 2 / 4".
const PAGE_NUMBER = /^[-–—(\s]*(?:trang\s*)?\d{1,3}(?:\s*(?:\/|of|trên)\s*\d{1,3})?[-–—)\s.]*$/iu;
/** How far from the top or bottom edge (fraction of the page height) furniture may stand. */
const EDGE_BAND = 0.12;
/** How many lines from each edge are checked. */
const EDGE_LINES = 2;

/** Items of page numbers and of lines that repeat at the same edge on several pages. */
export function findFurniture(pages: { frame: PageFrame; lines: PdfLine[] }[]): Set<PdfItem> {
  const drop = new Set<PdfItem>();
  const edgeLines = pages.map(({ frame, lines }) => edges(frame, lines));

  // A running header or footer: the same text (numbers masked) at an edge of at least half the pages.
  const counts = new Map<string, number>();
  for (const lines of edgeLines) {
    for (const key of new Set(lines.map(repeatKey))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const minRepeats = Math.max(2, Math.ceil(pages.length / 2));
  for (const lines of edgeLines) {
    for (const line of lines) {
      if (PAGE_NUMBER.test(line.text.trim()) || (pages.length > 1 && (counts.get(repeatKey(line)) ?? 0) >= minRepeats)) {
        for (const item of line.items) drop.add(item);
      }
    }
  }
  return drop;
}

/** The outermost lines at the top and bottom of a page that lie inside the edge bands. */
function edges(frame: PageFrame, lines: PdfLine[]): PdfLine[] {
  const [, bottom = 0, , top = 0] = frame.view;
  const band = (top - bottom) * EDGE_BAND;
  const out: PdfLine[] = [];
  for (const line of lines.slice(0, EDGE_LINES)) if (line.y >= top - band) out.push(line);
  for (const line of lines.slice(-EDGE_LINES)) if (line.y <= bottom + band && !out.includes(line)) out.push(line);
  // Stamped text (a signature's number) is never furniture.
  return out.filter((line) => !line.items.some((i) => i.stamped));
}

function repeatKey(line: PdfLine): string {
  return fold(line.text).replace(/\d+/g, "#").replace(/\s+/g, " ").trim();
}
