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
  let removed = 0;
  // Horizontal rules: runs along rows; vertical rules (table borders): runs along columns.
  removed += sweep(img, out, threshold, minLength, reach, true);
  removed += sweep(img, out, threshold, minLength, reach, false);
  return removed ? { ...img, data: out } : img;
}

function sweep(img: GrayImage, out: Uint8Array, threshold: number, minLength: number, reach: number, horizontal: boolean): number {
  const { width, height, data } = img;
  const lines = horizontal ? height : width;
  const length = horizontal ? width : height;
  // Index of (position along the line, line number).
  const at = horizontal ? (pos: number, line: number) => line * width + pos : (pos: number, line: number) => pos * width + line;
  let removed = 0;
  for (let line = 0; line < lines; line++) {
    let start = -1;
    for (let pos = 0; pos <= length; pos++) {
      const dark = pos < length && data[at(pos, line)]! < threshold;
      if (dark && start < 0) start = pos;
      if (dark || start < 0) continue;
      if (pos - start >= minLength && thin(data, at, start, pos, line, lines, reach, threshold)) {
        for (let p = start; p < pos; p++) out[at(p, line)] = 255;
        // The rule's grey fringe (anti-aliasing, scanner blur) goes too; ink of glyphs beside it is darker and stays.
        for (const near of [line - 2, line - 1, line + 1, line + 2]) {
          if (near < 0 || near >= lines) continue;
          for (let p = start; p < pos; p++) if (out[at(p, near)]! >= threshold) out[at(p, near)] = 255;
        }
        removed++;
      }
      start = -1;
    }
  }
  return removed;
}

/** Paper on both sides of the run, just beyond the thickest a rule can be. */
function thin(data: Uint8Array, at: (pos: number, line: number) => number, from: number, to: number, line: number, lines: number, reach: number, threshold: number): boolean {
  for (const side of [line - reach, line + reach]) {
    if (side < 0 || side >= lines) continue;
    let ink = 0;
    for (let p = from; p < to; p++) if (data[at(p, side)]! < threshold) ink++;
    if (ink > MAX_NEIGHBOUR_INK * (to - from)) return false;
  }
  return true;
}
