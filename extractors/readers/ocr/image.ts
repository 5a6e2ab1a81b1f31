/**
 * The one image type OCR works on: 8-bit grayscale, 0 = black, 255 = white,
 * rows top to bottom. Every source (a PDF page's embedded scan, a PNG, JPEG or
 * TIFF file) is converted to it, straightened and scaled to about 300 dpi, then
 * handed to tesseract as PGM (which both the CLI and tesseract.js read, so no
 * encoder is needed).
 */

export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
  /** Resolution when the source says (PDF placement, PNG pHYs, TIFF tags); null when unknown. */
  dpi: number | null;
}

/** pdf.js `ImageKind` values: 1 bit per pixel packed (1 = white), RGB, RGBA. */
export const IMAGE_KIND = { GRAYSCALE_1BPP: 1, RGB_24BPP: 2, RGBA_32BPP: 3 } as const;

/** tesseract reads text best at about 300 dpi (x-height around 20–30 px for body type). */
export const TARGET_DPI = 300;

/**
 * Pixels → gray. A red seal stamped over a signature or the margin (a
 * "dấu giáp lai") is the commonest non-text mark on a letter; left in, it
 * turns the name and title under it into noise. Red pixels are therefore
 * read by their red channel alone (see below). Purple and blue ink (handwritten numbers and
 * days, signatures) keep their darkness: red well above both green and
 * blue is what marks "red", and purple has a blue about as strong as its red.
 */
export function grayFromPixels(width: number, height: number, data: Uint8Array | Uint8ClampedArray, kind: number): GrayImage {
  const out = new Uint8Array(width * height);
  if (kind === IMAGE_KIND.GRAYSCALE_1BPP) {
    const stride = (width + 7) >> 3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = (data[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1;
        out[y * width + x] = bit ? 255 : 0;
      }
    }
    return { width, height, data: out, dpi: null };
  }
  const channels = kind === IMAGE_KIND.RGBA_32BPP ? 4 : kind === IMAGE_KIND.RGB_24BPP ? 3 : 1;
  if (channels === 1) {
    out.set(data.subarray(0, width * height));
    return { width, height, data: out, dpi: null };
  }
  if (channels === 3) dropRed3(data, out);
  else dropRed4(data, out);
  return { width, height, data: out, dpi: null };
}

/**
 * Red dropout, as office scanners do it: a red pixel's gray is its red channel, so the seal
 * itself comes out near white while black text under it (dark in every channel) stays dark.
 * (One loop per pixel layout: this runs over every pixel of every colour page.)
 */
function dropRed3(data: Uint8Array | Uint8ClampedArray, out: Uint8Array): void {
  for (let i = 0, p = 0, n = out.length; i < n; i++, p += 3) out[i] = grayOf(data[p]!, data[p + 1]!, data[p + 2]!);
}

function dropRed4(data: Uint8Array | Uint8ClampedArray, out: Uint8Array): void {
  for (let i = 0, p = 0, n = out.length; i < n; i++, p += 4) {
    // Transparent pixels (alpha 0 in an RGBA PNG) are paper.
    out[i] = data[p + 3]! < 128 ? 255 : grayOf(data[p]!, data[p + 1]!, data[p + 2]!);
  }
}

/** One pixel's gray: its red channel when it is stamp red, else its luma. */
export function grayOf(r: number, g: number, b: number): number {
  return r - g > RED_OVER_GREEN && r - b > RED_OVER_BLUE ? r : (r * 77 + g * 150 + b * 29) >> 8;
}

/**
 * How much the red channel must exceed green and blue for a pixel to be
 * stamp ink. Measured on the shared scans: a seal's pixels run from
 * (230, 70, 104) to pale (184, 131, 147) and dark (113, 72, 76); black and
 * blue ink have red at or below the others, purple ink has blue about equal to red.
 */
const RED_OVER_GREEN = 30;
const RED_OVER_BLUE = 20;

/**
 * Bilinear resampling by `factor` (> 1 enlarges). A 150-dpi scan enlarged to
 * 300 dpi reads markedly better: tesseract's models were trained on text of
 * roughly that size. Reduction averages the covered pixels (a box filter) so
 * thin strokes of a 600-dpi scan do not vanish.
 */
export function scaleImage(img: GrayImage, factor: number): GrayImage {
  const width = Math.max(1, Math.round(img.width * factor));
  const height = Math.max(1, Math.round(img.height * factor));
  const out = new Uint8Array(width * height);
  if (factor < 1) reduce(img, factor, width, height, out);
  else enlarge(img, factor, width, height, out);
  return { width, height, data: out, dpi: img.dpi === null ? null : img.dpi * factor };
}

/**
 * Box filter: each output pixel is the mean of the source pixels it covers.
 * The source is read row by row (column sums of the rows an output row
 * covers, then summed across), not in small strided boxes: the same sums,
 * a fraction of the cache misses.
 */
function reduce(img: GrayImage, factor: number, width: number, height: number, out: Uint8Array): void {
  const src = img.data;
  const sw = img.width;
  const step = 1 / factor;
  const x0s = new Int32Array(width);
  const x1s = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    x0s[x] = Math.floor(x * step);
    x1s[x] = Math.min(sw, Math.max(x0s[x]! + 1, Math.floor((x + 1) * step)));
  }
  const columns = new Int32Array(sw);
  const lanes = new Uint32Array(2 * (sw >> 2));
  const words = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * step);
    const y1 = Math.min(img.height, Math.max(y0 + 1, Math.floor((y + 1) * step)));
    const rows = y1 - y0;
    if (rows <= MAX_LANE_ROWS) columnSumsByWord(src, words, sw, y0, y1, lanes, columns);
    else columnSums(src, sw, y0, y1, columns);
    const base = y * width;
    for (let x = 0; x < width; x++) {
      const x0 = x0s[x]!;
      const x1 = x1s[x]!;
      let sum = 0;
      for (let xx = x0; xx < x1; xx++) sum += columns[xx]!;
      out[base + x] = sum / (rows * (x1 - x0));
    }
  }
}

/** Sums of rows y0 … y1 - 1, column by column. */
function columnSums(src: Uint8Array, sw: number, y0: number, y1: number, columns: Int32Array, from = 0): void {
  for (let xx = from; xx < sw; xx++) {
    let sum = 0;
    for (let i = y0 * sw + xx, end = y1 * sw; i < end; i += sw) sum += src[i]!;
    columns[xx] = sum;
  }
}

/** A 16-bit lane holds the sum of up to this many bytes (257 × 255 = 65535). */
const MAX_LANE_ROWS = 257;

/**
 * columnSums four columns per 32-bit load: the even and the odd bytes of a word
 * are added in two 16-bit lanes each (no lane can overflow into the next for up
 * to MAX_LANE_ROWS rows), then taken apart. The same sums, a quarter of the loads.
 */
function columnSumsByWord(src: Uint8Array, words: DataView, sw: number, y0: number, y1: number, lanes: Uint32Array, columns: Int32Array): void {
  const count = sw >> 2;
  lanes.fill(0);
  for (let y = y0; y < y1; y++) {
    for (let k = 0, at = y * sw; k < count; k++, at += 4) {
      const w = words.getUint32(at, true);
      lanes[2 * k]! += w & 0x00ff00ff;
      lanes[2 * k + 1]! += (w >>> 8) & 0x00ff00ff;
    }
  }
  for (let k = 0; k < count; k++) {
    const even = lanes[2 * k]!;
    const odd = lanes[2 * k + 1]!;
    columns[4 * k] = even & 0xffff;
    columns[4 * k + 1] = odd & 0xffff;
    columns[4 * k + 2] = even >>> 16;
    columns[4 * k + 3] = odd >>> 16;
  }
  columnSums(src, sw, y0, y1, columns, 4 * count);
}

/**
 * Bilinear enlargement; where each output column samples is worked out once, not on
 * every row, and each source row's interpolation across once, not for every output
 * row that samples it (the same expression, so the same values).
 */
function enlarge(img: GrayImage, factor: number, width: number, height: number, out: Uint8Array): void {
  const src = img.data;
  const sw = img.width;
  const x0s = new Int32Array(width);
  const x1s = new Int32Array(width);
  const wxs = new Float64Array(width);
  const rest = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(sw - 1, Math.max(0, (x + 0.5) / factor - 0.5));
    x0s[x] = Math.floor(fx);
    x1s[x] = Math.min(sw - 1, x0s[x]! + 1);
    wxs[x] = fx - x0s[x]!;
    rest[x] = 1 - wxs[x]!;
  }
  const across = (line: Float64Array, y: number) => {
    const r = y * sw;
    for (let x = 0; x < width; x++) line[x] = src[r + x0s[x]!]! * rest[x]! + src[r + x1s[x]!]! * wxs[x]!;
  };
  // The interpolated source rows above (`upper`, row u) and below (`lower`, row l): both only move down.
  let upper = new Float64Array(width);
  let lower = new Float64Array(width);
  let u = -1;
  let l = -1;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const wy = fy - y0;
    const ry = 1 - wy;
    if (u !== y0 && l === y0) [upper, lower, u, l] = [lower, upper, l, -1];
    else if (u !== y0) across(upper, (u = y0));
    if (l !== y1) across(lower, (l = y1));
    const base = y * width;
    for (let x = 0; x < width; x++) out[base + x] = upper[x]! * ry + lower[x]! * wy;
  }
}

/**
 * Scales toward TARGET_DPI. Only by a clear margin: enlarging 240 → 300 dpi
 * buys nothing and blurs. Unknown resolution is left alone (tesseract
 * estimates it from the x-height).
 */
export function normalizeResolution(img: GrayImage): GrayImage {
  if (img.dpi === null || !Number.isFinite(img.dpi) || img.dpi <= 0) return img;
  if (img.dpi < 0.75 * TARGET_DPI) return scaleImage(img, Math.min(4, Math.round(TARGET_DPI / img.dpi)));
  if (img.dpi > 1.5 * TARGET_DPI) return scaleImage(img, TARGET_DPI / img.dpi);
  return img;
}

/**
 * Turns an image drawn rotated or mirrored into upright screen orientation.
 * (ux, uy) and (vx, vy) are the on-screen directions (y down, each -1, 0 or 1)
 * in which the image's columns and rows advance.
 */
export function orient(img: GrayImage, ux: number, uy: number, vx: number, vy: number): GrayImage {
  if (ux === 1 && uy === 0 && vx === 0 && vy === 1) return img;
  const { width: w, height: h } = img;
  const width = ux !== 0 ? w : h;
  const height = ux !== 0 ? h : w;
  // Screen position of source (x, y) is x*u + y*v; shift so it starts at 0.
  const ox = Math.max(0, -ux * (w - 1)) + Math.max(0, -vx * (h - 1));
  const oy = Math.max(0, -uy * (w - 1)) + Math.max(0, -vy * (h - 1));
  const out = new Uint8Array(width * height);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const X = ox + x * ux + y * vx;
      const Y = oy + x * uy + y * vy;
      out[Y * width + X] = img.data[y * w + x]!;
    }
  }
  return { width, height, data: out, dpi: img.dpi };
}

/**
 * The page's scan as it is seen: `matrix` maps the image's unit square to the
 * screen (y down; pdf.js's viewport, or pdf-placement.ts). Image columns
 * advance along (a, b) on screen, rows along -(c, d) (row 0 is the image's
 * top); the resolution is the image's width over the width it is drawn at.
 */
export function placedUpright(img: GrayImage, matrix: readonly number[]): GrayImage {
  const [a = 0, b = 0, c = 0, d = 0] = matrix;
  const axis = (x: number, y: number): [number, number] => (Math.abs(x) >= Math.abs(y) ? [Math.sign(x), 0] : [0, Math.sign(y)]);
  const [ux, uy] = axis(a, b);
  const [vx, vy] = axis(-c, -d);
  const upright = orient(img, ux, uy, vx, vy);
  const drawnWidth = Math.hypot(a, b);
  upright.dpi = drawnWidth > 0 ? Math.round((img.width / drawnWidth) * 72) : null;
  return upright;
}

/** The part of the image between left/top (inclusive) and right/bottom (exclusive), clamped to the image. */
export function cropImage(img: GrayImage, left: number, top: number, right: number, bottom: number): { image: GrayImage; left: number; top: number } {
  const x0 = Math.max(0, Math.round(left));
  const y0 = Math.max(0, Math.round(top));
  const x1 = Math.max(x0 + 1, Math.min(img.width, Math.round(right)));
  const y1 = Math.max(y0 + 1, Math.min(img.height, Math.round(bottom)));
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) data.set(img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x1), y * width);
  return { image: { width, height, data, dpi: img.dpi }, left: x0, top: y0 };
}

/** Binary PGM (P5): the simplest format tesseract and leptonica read. */
export function encodePgm(img: GrayImage): Buffer {
  const header = Buffer.from(`P5\n${img.width} ${img.height}\n255\n`, "latin1");
  return Buffer.concat([header, Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength)]);
}

/** Share of dark pixels: a blank page (or a page of speckle) has next to none. */
export function inkRatio(img: GrayImage, step = 4): number {
  const { width, height, data } = img;
  let dark = 0;
  let total = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      total++;
      if (data[y * width + x]! < 128) dark++;
    }
  }
  return total ? dark / total : 0;
}
