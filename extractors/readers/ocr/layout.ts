/**
 * OCR words → the line/block model, through the PDF reader's own layout: a
 * word with its box is what a pdf.js text item is (a string at a position,
 * with a width and a size), so the words are turned into items in PDF user
 * space (points, y up, baseline) and the same code splits the two-column
 * header and closing, drops page furniture and finds paragraphs.
 */
import type { Line, TextModel } from "../../model.ts";
import { normalizeLine } from "../../text/normalize.ts";
import type { PdfItem } from "../pdf/geometry.ts";
import { layoutPages, type PageInput } from "../pdf/layout.ts";
import { repairText } from "../pdf/repair.ts";
import { ALNUM, cleanWords, median, plausible, quantile, segments } from "./words.ts";
import { assembleLines } from "../pdf/assemble.ts";
import { repairOcrLine } from "./repair.ts";
import { dropSignatureNoise, repairAuthority } from "./closing.ts";
import { repairLabels } from "./numbering.ts";
import { moveFootnotes } from "./footnotes.ts";
import type { OcrWord } from "./tsv.ts";

export interface OcrPage {
  page: number;
  words: OcrWord[];
  /** Size of the image the words were read from, in pixels. */
  width: number;
  height: number;
  dpi: number | null;
}

/** A line whose mean word confidence is below this is flagged for review. */
export const LOW_CONFIDENCE = 0.6;
/** Without a known resolution, pixels are taken at this density (only proportions matter to the layout). */
const ASSUMED_DPI = 300;

// Marks that reach below the baseline: descenders, the dot below (U+0323), brackets, commas.
const BELOW_BASELINE = /[gjpqyQJ,;()[\]{}|/@§\u0323]/u;
const ABOVE_MARKS = /[\u0300\u0301\u0303\u0309\u0302\u0306]/u;

/**
 * Height of a word's top above the baseline, in ems (Times-like faces):
 * a capital with a mark above reaches about 0.9, a lower-case letter with a
 * tone on a circumflex about 0.83, with one mark 0.75, capitals, ascenders and
 * digits 0.69, x-height letters alone 0.47. Returns null for words that say nothing.
 */
function ascentEms(text: string): number | null {
  const nfd = text.normalize("NFD");
  if (!/[\p{L}\p{N}]/u.test(nfd)) return null;
  let best = 0;
  const chars = [...nfd];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (!/[\p{L}\p{N}]/u.test(c)) continue;
    let marks = 0;
    for (let j = i + 1; j < chars.length && /\p{M}/u.test(chars[j]!); j++) if (ABOVE_MARKS.test(chars[j]!)) marks++;
    const tall = /[\p{Lu}\p{N}bdfhklĐđt]/u.test(c);
    const h = /\p{Lu}/u.test(c) && marks ? 0.9 : marks >= 2 ? 0.83 : marks === 1 ? (tall ? 0.83 : 0.75) : tall ? 0.69 : 0.47;
    best = Math.max(best, h);
  }
  return best || null;
}


interface RowGeometry {
  words: OcrWord[];
  baseline: number;
  /** Null for a row of punctuation only: its boxes say nothing of the type size. */
  em: number | null;
}

/** Rows with a baseline and an em each, in pixels. */
function rows(words: OcrWord[]): RowGeometry[] {
  return segments(words).map((list) => {
    // Baseline and type size come from words that are text: a signature stroke read as "ƒ" beside
    // a bullet would set a row of twice the body size, and make the rows around it its small print.
    const textual = list.filter((w) => plausible(w.text));
    const basis = textual.length ? textual : list;
    const bottoms = basis.map((w) => w.top + w.height);
    // Words that sit on the baseline: no descender, no dot below, not punctuation alone. A box
    // only ever reaches lower than the baseline (ink of the row below touching it), never higher:
    // the lower quartile of their bottoms, not the median.
    const flat = basis.filter((w) => ALNUM.test(w.text) && !BELOW_BASELINE.test(w.text.normalize("NFD")));
    const heights = basis.map((w) => w.height);
    const baseline = quantile(flat.map((w) => w.top + w.height), 0.25) ?? median(bottoms)! - 0.2 * median(heights)!;
    const ems = basis.flatMap((w) => {
      const ascent = ascentEms(w.text);
      return ascent ? [(baseline - w.top) / ascent] : [];
    });
    const em = median(ems.filter((e) => e > 0));
    return { words: list, baseline, em };
  });
}

/**
 * The ems of one page made consistent: the layout compares sizes of lines
 * (body type against small print) within half a point, finer than an OCR
 * box can measure. Lines within 15% of the page's body size are given
 * exactly that size; others keep their own, rounded to half a point.
 */
function snapSizes(geometry: RowGeometry[], scale: number): number[] {
  const weighted: number[] = [];
  for (const g of geometry) for (let i = 0; g.em !== null && i < g.words.length; i++) weighted.push(g.em * scale);
  const body = median(weighted) ?? 12;
  return geometry.map((g) => {
    if (g.em === null) return body;
    const size = g.em * scale;
    return Math.abs(size - body) <= 0.15 * body ? body : Math.round(size * 2) / 2;
  });
}

/** One page's words as positioned items (PDF user space), with each item's confidence noted. */
export function pageInput(page: OcrPage, confidence: Map<PdfItem, number>): PageInput {
  const scale = 72 / (page.dpi ?? ASSUMED_DPI);
  const heightPt = page.height * scale;
  const geometry = rows(cleanWords(page.words));
  const sizes = snapSizes(geometry, scale);
  const items: PdfItem[] = [];
  geometry.forEach((g, i) => {
    for (const w of g.words) {
      // The trailing space keeps OCR's word boundary: joinItems never glues two words whose boxes touch.
      const item: PdfItem = { text: `${w.text} `, x: w.left * scale, y: heightPt - g.baseline * scale, width: w.width * scale, size: sizes[i]! };
      confidence.set(item, w.conf / 100);
      items.push(item);
    }
  });
  return { frame: { page: page.page, view: [0, 0, page.width * scale, heightPt] }, items };
}

export interface OcrModelOptions {
  pageCount: number;
  format: "pdf" | "image";
  reader: string;
  warnings: string[];
}

/**
 * The model of OCR'd pages. `pages` may skip numbers (only the scanned pages
 * of a mixed PDF): the header is looked for only on page 1, as in a PDF.
 */
export function buildOcrModel(pages: OcrPage[], options: OcrModelOptions): TextModel {
  const confidence = new Map<PdfItem, number>();
  const inputs = pages.map((p) => pageInput(p, confidence));
  // layoutPages finds the two-column header on the first page it is given: only page 1 has one.
  if (inputs.length && inputs[0]!.frame.page !== 1) inputs.unshift({ frame: { page: 1, view: inputs[0]!.frame.view }, items: [] });
  const heights = new Map(inputs.map((p) => [p.frame.page, p.frame.view[3] ?? 0]));
  const ordered = moveFootnotes(dropSignatureNoise(layoutPages(inputs), confidence), heights);
  const texts = ordered.map((o) => normalizeLine(repairOcrLine(repairText(o.text))));
  repairAuthority(texts, ordered.map((o) => o.column));
  repairLabels(texts);
  const { text, lines, blocks } = assembleLines(
    ordered.map((o, i) => {
      const line = texts[i]!;
      const confs = o.items.map((item) => confidence.get(item)).filter((c): c is number => c !== undefined);
      return {
        text: line,
        page: o.page,
        ...(o.column ? { column: o.column } : {}),
        ...(confs.length ? { confidence: Math.round((confs.reduce((a, b) => a + b, 0) / confs.length) * 1000) / 1000 } : {}),
        blankBefore: o.blankBefore,
        wraps: o.wraps,
        // OCR reads a drawn rule as dashes, underscores or tildes.
        rule: /^[\s_\-–—=.~]{3,}$/u.test(line),
      };
    }),
  );
  const warnings = [...options.warnings, ...lowConfidenceWarnings(lines)];
  return { text, lines, blocks, source: { format: options.format, reader: options.reader, ocr: true, pages: options.pageCount, warnings } };
}

/**
 * "low OCR confidence on page 2 lines 40-43": runs of lines a reviewer should
 * check against the image. Line numbers are `Line.index` (0-based, in the
 * whole document), the numbering field spans use.
 */
export function lowConfidenceWarnings(lines: Line[]): string[] {
  const out: string[] = [];
  let run: Line[] = [];
  const flush = () => {
    if (!run.length) return;
    const a = run[0]!.index;
    const b = run[run.length - 1]!.index;
    out.push(`low OCR confidence on page ${run[0]!.page} ${a === b ? `line ${a}` : `lines ${a}-${b}`}`);
    run = [];
  };
  for (const line of lines) {
    const low = line.confidence !== undefined && line.confidence < LOW_CONFIDENCE;
    if (low && run.length && run[run.length - 1]!.page === line.page && run[run.length - 1]!.index === line.index - 1) run.push(line);
    else {
      flush();
      if (low) run.push(line);
    }
  }
  flush();
  return out;
}
