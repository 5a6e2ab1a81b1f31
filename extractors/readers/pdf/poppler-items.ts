/**
 * Poppler's word boxes → the positioned items the layout reads (geometry.ts),
 * the same shape pdf.js text items are turned into: left edge, baseline in
 * PDF space (y grows upwards), width, font size.
 *
 * A box spans the font's ascent to its descent as the font descriptor states
 * them, so neither the font size nor the baseline is printed. The size is the
 * box height over the font's box-to-em ratio, which differs from font to font
 * (measured against pdf.js on the shared PDFs: Word's Times New Roman 1.107,
 * its WinAnsi subset 0.9, Foxit's 1.35–1.38, poppler's default 1.3). The ratio
 * is learnt from the words themselves: a run of letters advances about half
 * an em per character, so box height over (width per character) gives it, and
 * the median over every word of one box height (one font at one size) is
 * within ~5 % of the truth on those files. The baseline stands a fifth of the
 * box above its bottom (the descent: 0.19–0.27 of the height measured): items
 * of one line agree to within a point, well inside the 0.3 em that groups a
 * line, and a value stamped in another font lands on the line it fills.
 */
import type { PdfItem } from "./geometry.ts";
import type { PopplerPage, PopplerWord } from "./poppler-words.ts";

/** Box height per em when a font's own ratio cannot be learnt: the middle of the measured range. */
const DEFAULT_BOX_EMS = 1.15;
const BOX_EMS_RANGE = [0.8, 1.6] as const;
/** The baseline stands this share of the box height above the box's bottom. */
const DESCENT_SHARE = 0.2;
/** Words of one box height needed to learn their font's ratio. */
const MIN_SAMPLE = 3;

/** Advance of a character in ems, by kind: capitals are wide, punctuation narrow (Times-like fonts). */
function advanceEms(ch: string): number {
  let ems = advances.get(ch);
  if (ems === undefined) {
    const base = ch.normalize("NFD")[0] ?? ch;
    ems = /\p{Lu}/u.test(base) ? 0.68 : /\p{Ll}/u.test(base) ? 0.445 : /\p{N}/u.test(base) ? 0.5 : 0.3;
    advances.set(ch, ems);
  }
  return ems;
}
const advances = new Map<string, number>();

/** A word that measures its font: four letters or more, a punctuation mark after them at most. */
const MEASURING_WORD = /^\p{L}{4,}[,.;:]?$/u;

const COMBINING = /\p{M}/u;

const heightKey = (word: PopplerWord) => Math.round((word.yMax - word.yMin) * 10);

/** Box height → box-to-em ratio, learnt from the document's words (see above). */
export function learnBoxEms(pages: PopplerPage[]): (word: PopplerWord) => number {
  const ratios = new Map<number, number[]>();
  const all: number[] = [];
  for (const page of pages) {
    for (const word of page.words) {
      const width = word.xMax - word.xMin;
      if (width <= 0 || word.text.length < 4) continue;
      const text = COMBINING.test(word.text) ? word.text.normalize("NFC") : word.text;
      if (!MEASURING_WORD.test(text)) continue;
      let ems = 0;
      for (const ch of text) ems += advanceEms(ch);
      const ratio = (word.yMax - word.yMin) / (width / ems);
      const key = heightKey(word);
      const list = ratios.get(key);
      if (list) list.push(ratio);
      else ratios.set(key, [ratio]);
      all.push(ratio);
    }
  }
  const clamp = (r: number) => Math.min(BOX_EMS_RANGE[1], Math.max(BOX_EMS_RANGE[0], r));
  const fallback = all.length >= MIN_SAMPLE ? clamp(median(all)) : DEFAULT_BOX_EMS;
  const byHeight = new Map<number, number>();
  for (const [key, list] of ratios) if (list.length >= MIN_SAMPLE) byHeight.set(key, clamp(median(list)));
  return (word) => byHeight.get(heightKey(word)) ?? fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A word as a layout item; `pageHeight` turns poppler's top-down y into PDF's bottom-up. */
export function wordItem(word: PopplerWord, pageHeight: number, boxEms: number, stamped = false): PdfItem {
  const height = word.yMax - word.yMin;
  const item: PdfItem = {
    text: word.text,
    x: word.xMin,
    y: pageHeight - word.yMax + DESCENT_SHARE * height,
    width: word.xMax - word.xMin,
    size: height / boxEms,
    word: true,
    // In the literal, not added after: an item of one shape whether stamped or not keeps V8's
    // optimised layout code (groupLines, joinItems) from being thrown away on every signed letter.
    stamped: stamped || undefined,
  };
  return item;
}

/** Two words one above the other in the same column: consecutive words of vertical text. */
function stacked(a: PopplerWord | undefined, b: PopplerWord | undefined): boolean {
  if (!a || !b) return false;
  const sameColumn = Math.abs(a.xMin - b.xMin) < 0.5 && Math.abs(a.xMax - b.xMax) < 0.5;
  const apart = a.yMax <= b.yMin + 0.5 || b.yMax <= a.yMin + 0.5;
  const tall = a.yMax - a.yMin > a.xMax - a.xMin || b.yMax - b.yMin > b.xMax - b.xMin;
  return sameColumn && apart && tall;
}

/**
 * Whether the word at `i` runs vertically (a margin note, a rotated stamp): it
 * stacks with the word drawn before or after it, or, alone, is more than twice
 * as tall as wide over three characters or more, which no horizontal word is
 * (three of the narrowest characters are 0.75 em wide, a box at most 1.4 em tall).
 */
export function isVertical(words: PopplerWord[], i: number): boolean {
  const word = words[i]!;
  if (stacked(words[i - 1], word) || stacked(word, words[i + 1])) return true;
  return [...word.text].length >= 3 && word.yMax - word.yMin > 2 * (word.xMax - word.xMin);
}

/**
 * Which words are characters of text set at an angle (a watermark): poppler
 * gives such text one character at a time, each a step across and a step up
 * or down from the one before. Three such steps in one direction make a run.
 */
export function diagonalWords(words: PopplerWord[]): boolean[] {
  const centre = (w: PopplerWord) => [(w.xMin + w.xMax) / 2, (w.yMin + w.yMax) / 2] as const;
  const single = (w: PopplerWord) => [...w.text].length === 1;
  // The direction of the step from a to b (as signs of dx, dy), or null when it is no diagonal step.
  const step = (a: PopplerWord, b: PopplerWord): string | null => {
    if (!single(a) || !single(b)) return null;
    const scale = Math.max(a.xMax - a.xMin, a.yMax - a.yMin);
    const [ax, ay] = centre(a);
    const [bx, by] = centre(b);
    const dx = bx - ax;
    const dy = by - ay;
    const diagonal = Math.abs(dx) > 0.15 * scale && Math.abs(dy) > 0.15 * scale && Math.abs(dx) < 2 * scale && Math.abs(dy) < 2 * scale;
    return diagonal ? `${Math.sign(dx)}${Math.sign(dy)}` : null;
  };
  const flags = words.map(() => false);
  let start = 0;
  while (start < words.length - 1) {
    const direction = step(words[start]!, words[start + 1]!);
    let end = start + 1;
    while (direction && end + 1 < words.length && step(words[end]!, words[end + 1]!) === direction) end++;
    if (direction && end - start + 1 >= 3) for (let i = start; i <= end; i++) flags[i] = true;
    start = direction ? end : start + 1;
  }
  return flags;
}

/**
 * A page's horizontal words as items, joined into runs; vertical and diagonal
 * text is left out but counted, as the pdf.js reader does.
 */
export function pageItems(words: PopplerWord[], pageHeight: number, boxEms: (word: PopplerWord) => number): { items: PdfItem[]; rotatedChars: number } {
  const items: PdfItem[] = [];
  const diagonal = diagonalWords(words);
  let rotatedChars = 0;
  for (const [i, word] of words.entries()) {
    if (diagonal[i] || isVertical(words, i)) rotatedChars += word.text.replace(/\s+/g, "").length;
    else items.push(wordItem(word, pageHeight, boxEms(word)));
  }
  return { items: joinRuns(items), rotatedChars };
}

/** Between two words of one run the gap is at most this many ems: narrower than any column gutter (0.8 em, columns.ts). */
const RUN_GAP = 0.6;
/** Gaps up to this many ems are no space (a change of font inside a word); as WORD_GAP in geometry.ts. */
const TOUCHING = 0.05;

/**
 * Words drawn one after the other on one baseline, in one size, a word space
 * apart, as one item: the runs pdf.js returns. The layout then handles a
 * tenth of the items (a letter's page has ~500 words, ~40 lines) with the
 * same result, since no gap it could split a line at is joined over.
 */
export function joinRuns(items: PdfItem[]): PdfItem[] {
  const runs: PdfItem[] = [];
  for (const item of items) {
    const run = runs[runs.length - 1];
    const em = run ? Math.min(run.size, item.size) : 0;
    const gap = run ? item.x - (run.x + run.width) : 0;
    const joins =
      run &&
      !run.stamped &&
      !item.stamped &&
      Math.abs(run.y - item.y) <= 0.05 * em &&
      Math.abs(run.size - item.size) <= 0.05 * em &&
      gap >= -0.05 * em &&
      gap <= RUN_GAP * em;
    if (joins) {
      run.text += (gap > TOUCHING * em ? " " : "") + item.text;
      run.width = item.x + item.width - run.x;
    } else runs.push({ ...item });
  }
  return runs;
}
