/**
 * Ruled lines taken out of the page before OCR. Letters underline the
 * tiêu ngữ ("Độc lập - Tự do - Hạnh phúc") and the issuer, and draw tables;
 * on the shared scans tesseract read the underlined tiêu ngữ twice (once
 * with the rule, once without) and threaded the copy into the issuer's row
 * beside it. A rule is a long, thin run of ink: longer than any glyph or word
 * (0.4 inch), with paper just above and below it. Only the run's own pixels
 * are whitened, so a descender crossing a rule loses a sliver at most.
 */
import { otsu } from "./deskew.ts";
import type { GrayImage } from "./image.ts";

/** Shortest rule, in inches. */
const MIN_LENGTH_IN = 0.4;
/** Thickest rule, in inches (a 2-pt line is 0.028 in). */
const MAX_THICKNESS_IN = 0.03;
/** Along a rule, at most this share of the pixels just beyond its thickness may be ink. */
const MAX_NEIGHBOUR_INK = 0.3;

export function removeRules(img: GrayImage): GrayImage {
  const dpi = img.dpi ?? 300;
  const minLength = Math.round(MIN_LENGTH_IN * dpi);
  const reach = Math.max(2, Math.round(MAX_THICKNESS_IN * dpi));
  const { width, height, data } = img;
  // No run can be that long (or the resolution is not a number): there is nothing to find.
  if (!(minLength <= Math.max(width, height))) return img;
  const threshold = otsu(data);
  // Every run as long as a rule covers one of every `stride` pixels along its line, so only
  // those are looked at, and a run through an inked one is followed both ways. Whitening only
  // ever sets paper and judges runs on the original, so the order runs are erased in does not
  // change the result. The copy is made at the first rule: most pages have none.
  const stride = Math.max(1, minLength);
  let out: Uint8Array | null = null;
  const rows: Walk = { lines: height, length: width, lineStep: width, posStep: 1 };
  const columns: Walk = { lines: width, length: height, lineStep: 1, posStep: width };
  const found = (walk: Walk, line: number, from: number, to: number) => {
    if (to - from < minLength || !thin(data, walk, from, to, line, reach, threshold)) return;
    out ??= new Uint8Array(data);
    whiten(out, threshold, walk, line, from, to);
  };
  rowRuns(data, width, height, threshold, stride, (y, from, to) => found(rows, y, from, to));
  columnRuns(data, width, height, threshold, stride, (x, from, to) => found(columns, x, from, to));
  return out ? { ...img, data: out } : img;
}

type RunFound = (line: number, from: number, to: number) => void;

/** Each whole run of ink along a row that covers a pixel at stride - 1, 2·stride - 1, … */
function rowRuns(data: Uint8Array, width: number, height: number, threshold: number, stride: number, found: RunFound): void {
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // Where the last run followed in this row ended: a sample before it lies in that run.
    let done = 0;
    for (let x = stride - 1; x < width; x += stride) {
      if (x < done || data[row + x]! >= threshold) continue;
      let from = x;
      while (from > 0 && data[row + from - 1]! < threshold) from--;
      let to = x + 1;
      while (to < width && data[row + to]! < threshold) to++;
      found(y, from, to);
      done = to;
    }
  }
}

/**
 * Each whole run of ink down a column that covers a row at stride - 1, 2·stride - 1, …;
 * the sampled rows are read in memory order, following a run up and down only from its ink.
 */
function columnRuns(data: Uint8Array, width: number, height: number, threshold: number, stride: number, found: RunFound): void {
  for (let y = stride - 1; y < height; y += stride) {
    const row = y * width;
    const previous = y - stride;
    for (let x = 0; x < width; x++) {
      if (data[row + x]! >= threshold) continue;
      let from = y;
      while (from > previous + 1 && data[(from - 1) * width + x]! < threshold) from--;
      // A run through the sampled row above was followed from there.
      if (from === previous + 1 && previous >= 0 && data[previous * width + x]! < threshold) continue;
      let to = y + 1;
      while (to < height && data[to * width + x]! < threshold) to++;
      found(x, from, to);
    }
  }
}

/** How to walk the image: `lines` lines of `length` pixels; a pixel is line * lineStep + pos * posStep. */
interface Walk {
  lines: number;
  length: number;
  lineStep: number;
  posStep: number;
}

/** Whitens the run [from, to) of `line`, a rule. */
function whiten(out: Uint8Array, threshold: number, walk: Walk, line: number, from: number, to: number): void {
  const { lines, lineStep, posStep } = walk;
  const base = line * lineStep;
  for (let p = from; p < to; p++) out[base + p * posStep] = 255;
  // The rule's grey fringe (anti-aliasing, scanner blur) goes too; ink of glyphs beside it is darker and stays.
  for (let near = line - 2; near <= line + 2; near++) {
    if (near === line || near < 0 || near >= lines) continue;
    const nearBase = near * lineStep;
    for (let p = from; p < to; p++) {
      const i = nearBase + p * posStep;
      if (out[i]! >= threshold) out[i] = 255;
    }
  }
}

/** Paper on both sides of the run, just beyond the thickest a rule can be. */
function thin(data: Uint8Array, walk: Walk, from: number, to: number, line: number, reach: number, threshold: number): boolean {
  for (const side of [line - reach, line + reach]) {
    if (side < 0 || side >= walk.lines) continue;
    const base = side * walk.lineStep;
    let ink = 0;
    for (let p = from; p < to; p++) if (data[base + p * walk.posStep]! < threshold) ink++;
    if (ink > MAX_NEIGHBOUR_INK * (to - from)) return false;
  }
  return true;
}
