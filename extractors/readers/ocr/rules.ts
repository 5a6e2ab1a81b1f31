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
  const threshold = otsu(img.data);
  const out = new Uint8Array(img.data);
  // Horizontal rules are runs along rows, vertical ones (table borders) runs along columns.
  // Both are found in one pass over the image in memory order (a column-by-column walk would
  // jump a whole row between pixels, a cache miss each): the current run of each column is
  // kept per column. A run is judged when it ends; whitening only ever sets paper, so the
  // order in which runs are erased does not change the result.
  const { width, height } = img;
  const rows: Walk = { lines: height, length: width, lineStep: width, posStep: 1 };
  const columns: Walk = { lines: width, length: height, lineStep: 1, posStep: width };
  const data = img.data;
  const columnStart = new Int32Array(width).fill(-1);
  let removed = 0;
  for (let y = 0; y <= height; y++) {
    const row = y * width;
    let start = -1;
    for (let x = 0; x < width; x++) {
      if (y < height && data[row + x]! < threshold) {
        if (start < 0) start = x;
        if (columnStart[x]! < 0) columnStart[x] = y;
        continue;
      }
      if (start >= 0) {
        if (x - start >= minLength && erase(data, out, threshold, reach, rows, y, start, x)) removed++;
        start = -1;
      }
      const from = columnStart[x]!;
      if (from >= 0) {
        if (y - from >= minLength && erase(data, out, threshold, reach, columns, x, from, y)) removed++;
        columnStart[x] = -1;
      }
    }
    if (start >= 0 && width - start >= minLength && erase(data, out, threshold, reach, rows, y, start, width)) removed++;
  }
  return removed ? { ...img, data: out } : img;
}

/** How to walk the image: `lines` lines of `length` pixels; a pixel is line * lineStep + pos * posStep. */
interface Walk {
  lines: number;
  length: number;
  lineStep: number;
  posStep: number;
}

/** Whitens the run [from, to) of `line` when it is thin enough to be a rule; whether it did. */
function erase(data: Uint8Array, out: Uint8Array, threshold: number, reach: number, walk: Walk, line: number, from: number, to: number): boolean {
  if (!thin(data, walk, from, to, line, reach, threshold)) return false;
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
  return true;
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
