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
  // Horizontal rules are runs along rows, vertical ones (table borders) runs along columns:
  // the same sweep over the image, walked with a different step. Plain index arithmetic
  // rather than a position callback: this runs over every pixel of every scanned page twice.
  const { width, height } = img;
  const rows: Walk = { lines: height, length: width, lineStep: width, posStep: 1 };
  const columns: Walk = { lines: width, length: height, lineStep: 1, posStep: width };
  const removed = sweep(img.data, out, threshold, minLength, reach, rows) + sweep(img.data, out, threshold, minLength, reach, columns);
  return removed ? { ...img, data: out } : img;
}

/** How to walk the image: `lines` lines of `length` pixels; a pixel is line * lineStep + pos * posStep. */
interface Walk {
  lines: number;
  length: number;
  lineStep: number;
  posStep: number;
}

function sweep(data: Uint8Array, out: Uint8Array, threshold: number, minLength: number, reach: number, walk: Walk): number {
  const { lines, length, lineStep, posStep } = walk;
  let removed = 0;
  for (let line = 0; line < lines; line++) {
    const base = line * lineStep;
    let start = -1;
    for (let pos = 0; pos <= length; pos++) {
      const dark = pos < length && data[base + pos * posStep]! < threshold;
      if (dark && start < 0) start = pos;
      if (dark || start < 0) continue;
      if (pos - start >= minLength && thin(data, walk, start, pos, line, reach, threshold)) {
        for (let p = start; p < pos; p++) out[base + p * posStep] = 255;
        // The rule's grey fringe (anti-aliasing, scanner blur) goes too; ink of glyphs beside it is darker and stays.
        for (let near = line - 2; near <= line + 2; near++) {
          if (near === line || near < 0 || near >= lines) continue;
          const nearBase = near * lineStep;
          for (let p = start; p < pos; p++) {
            const i = nearBase + p * posStep;
            if (out[i]! >= threshold) out[i] = 255;
          }
        }
        removed++;
      }
      start = -1;
    }
  }
  return removed;
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
