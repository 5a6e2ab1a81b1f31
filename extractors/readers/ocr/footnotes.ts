/**
 * Footnotes of a scanned page. Letters cite their sources in footnotes set
 * smaller at the foot of the page; read in place they land inside the item
 * that runs over the page break ("a) Cơ quan thực hiện: ...;" + footnote +
 * "b) Thời gian thực hiện: ..." on the next page) and become part of its
 * text. The separating rule above them is gone (rules.ts takes rules out),
 * so they are known by size and place: the last body lines of a page, in
 * type clearly smaller than the page's body, in its lower part. They are
 * kept, moved to the end of the document where they break no paragraph.
 */
import type { OrderedLine } from "../pdf/layout.ts";
import { mode } from "../pdf/geometry.ts";

/** Footnote type is at most this share of the body's (10-11 pt under 13-14 pt). */
const SMALLER = 0.88;
/** Footnotes stand in this lower share of the page. */
const LOWER_PART = 0.35;

export function moveFootnotes(lines: OrderedLine[], pageHeights: Map<number, number>): OrderedLine[] {
  const notes = new Set<OrderedLine>();
  for (const [page, height] of pageHeights) {
    const onPage = lines.filter((l) => l.page === page);
    const body = onPage.filter((l) => l.column === undefined);
    const size = mode(body.map((l) => l.size), 0.5);
    if (size === null) continue;
    for (let i = onPage.length - 1; i >= 0; i--) {
      const line = onPage[i]!;
      if (line.column !== undefined || line.size > SMALLER * size || line.y > LOWER_PART * height) break;
      notes.add(line);
    }
    // A page of small print only (an annex) has no footnotes: its body is what is small.
    if (body.length && body.every((l) => notes.has(l))) for (const l of body) notes.delete(l);
  }
  if (!notes.size) return lines;
  const moved = lines.filter((l) => notes.has(l)).map((l, i, all) => ({ ...l, blankBefore: i === 0 || all[i - 1]!.page !== l.page }));
  return [...lines.filter((l) => !notes.has(l)), ...moved];
}
