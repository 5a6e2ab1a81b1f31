/**
 * The two two-column parts of a letter under ND 30/2020: the header on page 1
 * (issuer and "Số:" on the left; Quốc hiệu, tiêu ngữ and the place/date line
 * on the right) and the closing ("Nơi nhận:" list on the left, the signature
 * on the right). pdf.js returns each header row as one baseline across both
 * columns; the extractors read per line, so each column becomes lines of its own.
 */
import { fold } from "../../text/normalize.ts";
import { findGutter, groupLines, right, type PdfItem, type PdfLine } from "./geometry.ts";
import type { PageFrame } from "./furniture.ts";

export interface ColumnZone {
  left: PdfLine[];
  right: PdfLine[];
  /** Every item the zone took, so the rest of the page is body. */
  items: Set<PdfItem>;
}

const QUOC_HIEU = /cong hoa xa hoi chu nghia|doc lap\s*[-–]\s*tu do|dang cong san viet nam/u;
const NUMBER_LABEL = /(?:^|\s)Số\s*[:.]/u;
// "Quảng Ngãi, ngày 08 tháng 01 năm 2025": a capitalised place, then ", ngày".
const DATE_LINE = /\p{Lu}[\p{L}.\- ]{0,40},\s*ngày(?![\p{L}])/u;
const KINH_GUI = /^kinh gui\b/u;
/** The header is found among the first rows of page 1 only, so a date in the body never extends it. */
const HEADER_ROWS = 12;
const NOI_NHAN = /^noi nhan\b/u;
const SIGNATURE_START = /^(?:TM|KT|TL|TUQ|Q)\.|^(?:PHÓ |CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|CHÁNH |TRƯỞNG |CHỦ NHIỆM)/u;

/** The header of page 1 (top of the page down to the number/date rows and the V/v lines under them). */
export function headerZone(frame: PageFrame, lines: PdfLine[], bodyCenter: number): ColumnZone | null {
  const [left = 0, bottom = 0, rightEdge = 0, top = 0] = frame.view;
  const width = rightEdge - left;
  const upper = lines.slice(0, HEADER_ROWS).filter((l) => l.y >= bottom + (top - bottom) * 0.45);
  let coreEnd = -1;
  let quocHieu: PdfLine | null = null;
  for (const [i, line] of upper.entries()) {
    const f = fold(line.text);
    if (QUOC_HIEU.test(f)) quocHieu ??= line;
    if (QUOC_HIEU.test(f) || NUMBER_LABEL.test(line.text) || DATE_LINE.test(line.text)) coreEnd = i;
  }
  if (coreEnd < 0 || !quocHieu) return null;
  const core = upper.slice(0, coreEnd + 1);
  const em = quocHieu.size;
  const coreItems = core.flatMap((l) => l.items);
  const gutter = findGutter(coreItems, left + width * 0.2, left + width * 0.75, em * 0.8);
  // Without a clean gutter, the Quốc hiệu's left edge still separates the columns.
  const qhItem = quocHieu.items.find((i) => QUOC_HIEU.test(fold(i.text)) || /^C[ỘO]NG\b/u.test(i.text));
  const boundary = gutter ? (gutter.left + gutter.right) / 2 : qhItem && qhItem.x > left + width * 0.3 ? qhItem.x - em * 0.3 : null;
  if (boundary === null) return null;

  // V/v lines under "Số:" (left only) and a date on a row of its own (right only) still belong.
  const taken = [...core];
  for (const line of upper.slice(coreEnd + 1)) {
    const prev = taken[taken.length - 1]!;
    if (prev.y - line.y > 2.2 * Math.max(prev.size, line.size) || KINH_GUI.test(fold(line.text))) break;
    // A V/v line may run past the gutter of the rows above it; it still stands left of it on
    // the whole, where a title or the body is centred on the page.
    const center = (line.x0 + line.x1) / 2;
    if (Math.abs(center - bodyCenter) <= 1.5 * line.size) break;
    const leftOnly = center < boundary && line.x0 < boundary;
    const rightOnly = line.x0 >= boundary - 0.5 * line.size;
    if (!leftOnly && !rightOnly) break;
    taken.push(line);
  }
  return split(taken.flatMap((l) => l.items), boundary, frame.page);
}

/** The closing: from the "Nơi nhận:" row to the bottom of its page. */
export function closingZone(frame: PageFrame, lines: PdfLine[]): ColumnZone | null {
  const [left = 0, , rightEdge = 0] = frame.view;
  const width = rightEdge - left;
  const at = lines.findIndex((l) => NOI_NHAN.test(fold(l.text)) && l.x0 < left + width * 0.5);
  if (at < 0) return null;
  const anchor = lines[at]!;
  const nnItem = anchor.items.find((i) => NOI_NHAN.test(fold(i.text))) ?? anchor.items[0]!;
  // The signature's first row may stand a little above "Nơi nhận:"; the body's last row does not reach it.
  const topY = nnItem.y + 0.8 * nnItem.size;
  const items = lines.flatMap((l) => l.items).filter((i) => i.y <= topY);
  const gutter = findGutter(items, left + width * 0.3, left + width * 0.8, nnItem.size * 0.8);
  // A long Nơi nhận item may cross the middle: then the signature's capitals mark where its column starts.
  const signatureStarts = items.filter((i) => i.x > left + width * 0.35 && SIGNATURE_START.test(i.text)).map((i) => i.x);
  const boundary = gutter ? (gutter.left + gutter.right) / 2 : signatureStarts.length ? Math.min(...signatureStarts) - nnItem.size * 0.5 : null;
  if (boundary === null) return null;
  // A right-only row just above (an authority line "TM. ỦY BAN NHÂN DÂN") joins the signature.
  for (const line of lines.slice(Math.max(0, at - 3), at)) {
    if (line.y > topY && line.y - nnItem.y <= 3 * line.size && line.x0 >= boundary - 0.5 * line.size) items.push(...line.items);
  }
  return split(items, boundary, frame.page);
}

function split(items: PdfItem[], boundary: number, page: number): ColumnZone {
  const leftItems: PdfItem[] = [];
  const rightItems: PdfItem[] = [];
  for (const item of items) ((item.x + right(item)) / 2 < boundary ? leftItems : rightItems).push(item);
  const mark = (column: "left" | "right") => (line: PdfLine) => ({ ...line, column });
  return {
    left: groupLines(leftItems, page).map(mark("left")),
    right: groupLines(rightItems, page).map(mark("right")),
    items: new Set(items),
  };
}
