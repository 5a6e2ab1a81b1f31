/**
 * Which of a page's words poppler read from signature-widget appearances, and
 * what they are. E-signing stamps the letter's number and day into blanks
 * ("Số:   /TB-UBND") as signature widgets, and draws a signature's own block
 * ("Ký bởi: …", an e-mail, a time). Poppler reads both with the page, so
 * nothing is lost, but the layout must know them: a stamped value fills a
 * blank (no space before "/TB-UBND"), a signature block is metadata, not text
 * of the letter.
 *
 * With `-raw`, words come in the order they were drawn, and a page's
 * annotations are drawn after its content: the appearance words are the run
 * at the end of the page that lies inside the page's signature rectangles.
 * Position alone could not tell them apart: a widget's rectangle also covers
 * page text ("/TB-UBND" lies inside the widget that stamps "11").
 */
import { groupLines, type PdfItem } from "./geometry.ts";
import { isSignatureBlock } from "./annotations.ts";
import { wordItem } from "./poppler-items.ts";
import type { PopplerWord } from "./poppler-words.ts";

/** How far (share of its height) a word's box may stick out of the rectangle: the font's ascent is not the ink. */
const BOX_SLACK = 0.25;

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A widget rectangle [x1, y1, x2, y2] in PDF space → poppler's top-down box. */
function toBox(rect: number[], pageHeight: number): Box {
  const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = rect;
  return { left: Math.min(x1, x2), right: Math.max(x1, x2), top: pageHeight - Math.max(y1, y2), bottom: pageHeight - Math.min(y1, y2) };
}

function inside(word: PopplerWord, box: Box): boolean {
  const slack = BOX_SLACK * (word.yMax - word.yMin);
  return word.xMin >= box.left - slack && word.xMax <= box.right + slack && word.yMin >= box.top - slack && word.yMax <= box.bottom + slack;
}

const area = (b: Box) => (b.right - b.left) * (b.bottom - b.top);

/**
 * The page's own words, and the words shown by each widget (parallel to
 * `rects`; a word inside two overlapping rectangles goes to the smaller).
 */
export function splitAppearanceWords(words: PopplerWord[], rects: number[][], pageHeight: number): { content: PopplerWord[]; shown: PopplerWord[][] } {
  const boxes = rects.map((r) => toBox(r, pageHeight));
  const shown: PopplerWord[][] = rects.map(() => []);
  let end = words.length;
  while (end > 0) {
    const word = words[end - 1]!;
    let best = -1;
    for (const [i, box] of boxes.entries()) if (inside(word, box) && (best < 0 || area(box) < area(boxes[best]!))) best = i;
    if (best < 0) break;
    shown[best]!.unshift(word);
    end--;
  }
  return { content: words.slice(0, end), shown };
}

export interface AppearanceReading {
  /** Values filling blanks of the letter, as stamped items (not yet snapped to their lines). */
  stamps: PdfItem[];
  /** Per widget, the lines of its signature block, or null when it shows none. */
  blocks: (string[] | null)[];
}

/** Sorts each widget's words into stamped values and signature blocks, by the rule the pdf.js reader uses. */
export function readAppearanceWords(shown: PopplerWord[][], pageHeight: number, page: number, boxEms: (word: PopplerWord) => number): AppearanceReading {
  const stamps: PdfItem[] = [];
  const blocks = shown.map((words) => {
    if (!words.length) return null;
    const items = words.map((w) => wordItem(w, pageHeight, boxEms(w), true));
    const lines = groupLines(items, page).map((l) => l.text);
    if (isSignatureBlock(lines)) return lines;
    stamps.push(...items);
    return null;
  });
  return { stamps, blocks };
}
