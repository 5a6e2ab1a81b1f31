/**
 * Geometry of a PDF page's text: pdf.js text items (or glyph runs recovered
 * from annotation appearances) in PDF user space (y grows upwards), grouped
 * into baselines and joined into line text.
 */

export interface PdfItem {
  text: string;
  /** Left edge and baseline, in PDF user space. */
  x: number;
  y: number;
  width: number;
  /** Font size in user space (the item's em). */
  size: number;
  /** Recovered from an annotation appearance (a stamped number or day), not from the text layer. */
  stamped?: boolean;
  /**
   * A whole word, as poppler splits them: two such words are apart (a space)
   * unless they touch, which only a change of font or size does ("KTTH" + "h5").
   * pdf.js items are pieces of runs, and only a wide gap makes a space between them.
   */
  word?: boolean;
}

export interface PdfLine {
  page: number;
  items: PdfItem[];
  /** Joined text, before normalisation. */
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  column?: "left" | "right";
}

/** A gap wider than this fraction of the em between two items is a space (Times' space is 0.25 em). */
const SPACE_GAP = 0.15;
/** Between two whole words (poppler's), any gap wider than this fraction of the em is a space. */
const WORD_GAP = 0.05;
/** Two baselines closer than this fraction of the smaller em are one line. */
const SAME_BASELINE = 0.3;

export const right = (item: PdfItem) => item.x + item.width;

/**
 * Splits items that carry a run of spaces inside ("ỦY BAN NHÂN DÂN     CỘNG HÒA ...",
 * as some producers write a two-column header) so each part has its own position.
 * Positions inside an item are estimated in proportion to the characters.
 */
export function splitWideSpaces(item: PdfItem): PdfItem[] {
  if (!/\S\s{3,}\S/u.test(item.text)) return [item];
  const parts: PdfItem[] = [];
  const perChar = item.width / Math.max(1, item.text.length);
  for (const m of item.text.matchAll(/\S+(?:\s{1,2}\S+)*/gu)) {
    parts.push({ ...item, text: m[0], x: item.x + m.index * perChar, width: m[0].length * perChar });
  }
  return parts;
}

/** Groups items into lines by baseline, top of the page first, each line's items left to right. */
export function groupLines(items: PdfItem[], page: number): PdfLine[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: PdfItem[][] = [];
  for (const item of sorted) {
    const row = rows[rows.length - 1];
    if (row) {
      const lead = dominant(row);
      if (Math.abs(lead.y - item.y) <= SAME_BASELINE * Math.min(lead.size, item.size)) {
        row.push(item);
        continue;
      }
    }
    rows.push([item]);
  }
  return mergeSmallRows(rows).map((row) => toLine(row, page));
}

function dominant(row: PdfItem[]): PdfItem {
  return row.reduce((best, item) => (item.size > best.size ? item : best), row[0]!);
}

/** A drawn rule ("______" under the Quốc hiệu) is never a subscript, however small its type. */
const RULE_TEXT = /^[\s_\-–—=.]{3,}$/u;

/**
 * A row of only small print close to a bigger row is a subscript or superscript
 * of that row ("KTTH" + "h5", a footnote mark), not a line of its own.
 */
function mergeSmallRows(rows: PdfItem[][]): PdfItem[][] {
  const out: PdfItem[][] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.every((item) => RULE_TEXT.test(item.text))) {
      out.push(row);
      continue;
    }
    const size = dominant(row).size;
    const y = dominant(row).y;
    const candidates = [out[out.length - 1], rows[i + 1]].filter((r): r is PdfItem[] => !!r);
    const host = candidates.find((r) => {
      const d = dominant(r);
      return size <= 0.8 * d.size && Math.abs(d.y - y) <= 0.6 * d.size;
    });
    if (host) host.push(...row);
    else out.push(row);
  }
  return out;
}

function toLine(row: PdfItem[], page: number): PdfLine {
  const items = [...row].sort((a, b) => a.x - b.x);
  const lead = dominant(items);
  return {
    page,
    items,
    text: joinItems(items),
    x0: items[0]!.x,
    x1: Math.max(...items.map(right)),
    y: lead.y,
    size: lead.size,
  };
}

/**
 * Joins items left to right; a space goes where the gap is wider than a
 * fraction of the em. pdf.js both splits words ("Đ" + "ầu t" + "ư") and merges
 * them, so the gap, not the item boundary, decides.
 */
export function joinItems(items: PdfItem[]): string {
  let text = "";
  let end = -Infinity;
  let prevSize = 0;
  let prevStamped = false;
  let prevWord = false;
  for (const item of items) {
    if (text && !/\s$/u.test(text) && !/^\s/u.test(item.text)) {
      const gap = item.x - end;
      const em = Math.min(prevSize, item.size);
      const spaceGap = item.word && prevWord ? WORD_GAP : SPACE_GAP;
      // A stamped value fills a blank: it stands apart from a word or label before or after it
      // ("Số: 11", "ngày 08 tháng") but keeps to a symbol ("11/TB-UBND").
      const stampSeam = (item.stamped || prevStamped) && /[\p{L}\p{N}:,]$/u.test(text) && /^[\p{L}\p{N}]/u.test(item.text);
      // Poppler's words inside one appearance are placed exactly: its split holds there as well.
      const gapCounts = !(item.stamped || prevStamped) || (item.stamped && prevStamped && item.word && prevWord);
      if (stampSeam || (gapCounts && gap > spaceGap * em)) text += " ";
    }
    text += item.text;
    end = Math.max(end, right(item));
    prevSize = item.size;
    prevStamped = !!item.stamped;
    prevWord = !!item.word;
  }
  return text;
}

/**
 * The widest vertical strip between `from` and `to` (x) that no item covers:
 * the gutter between two columns. Null when every strip is narrower than `minWidth`.
 */
export function findGutter(items: PdfItem[], from: number, to: number, minWidth: number): { left: number; right: number } | null {
  const start = Math.floor(from);
  const covered = new Uint8Array(Math.max(0, Math.ceil(to) - start));
  for (const item of items) {
    const a = Math.max(0, Math.floor(item.x) - start);
    const b = Math.min(covered.length, Math.ceil(right(item)) - start);
    for (let x = a; x < b; x++) covered[x] = 1;
  }
  let best: { left: number; right: number } | null = null;
  let runStart = -1;
  for (let x = 0; x <= covered.length; x++) {
    const free = x < covered.length && covered[x] === 0;
    if (free && runStart < 0) runStart = x;
    if (!free && runStart >= 0) {
      if (x - runStart >= minWidth && (!best || x - runStart > best.right - best.left)) best = { left: start + runStart, right: start + x };
      runStart = -1;
    }
  }
  return best;
}

/** The most frequent value after rounding to `step` (a page's left margin). */
export function mode(values: number[], step = 2): number | null {
  const counts = new Map<number, number>();
  for (const v of values) {
    const k = Math.round(v / step);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let best: [number, number] | null = null;
  for (const entry of counts) if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
  return best ? best[0] * step : null;
}

/** A PDF transformation matrix [a b c d e f]. */
export type Matrix = [number, number, number, number, number, number];

/**
 * The product m·n as a mapping: n is applied first, then m (`cm` maps into the
 * current space). pdf.js has the same as `Util.transform`, but importing it here
 * would load pdf.js in modules that must stay cheap to import.
 */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}
