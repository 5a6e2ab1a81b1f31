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
  for (let i = 0, p = 0; i < out.length; i++, p += channels) {
    const r = data[p]!;
    const g = data[p + 1]!;
    const b = data[p + 2]!;
    // Transparent pixels (alpha 0 in an RGBA PNG) are paper.
    if (channels === 4 && data[p + 3]! < 128) {
      out[i] = 255;
      continue;
    }
    // Red dropout, as office scanners do it: a red pixel's gray is its red channel, so the seal
    // itself comes out near white while black text under it (dark in every channel) stays dark.
    out[i] = r - g > RED_OVER_GREEN && r - b > RED_OVER_BLUE ? r : (r * 77 + g * 150 + b * 29) >> 8;
  }
  return { width, height, data: out, dpi: null };
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
  const src = img.data;
  const sw = img.width;
  if (factor < 1) {
    const step = 1 / factor;
    for (let y = 0; y < height; y++) {
      const y0 = Math.floor(y * step);
      const y1 = Math.min(img.height, Math.max(y0 + 1, Math.floor((y + 1) * step)));
      for (let x = 0; x < width; x++) {
        const x0 = Math.floor(x * step);
        const x1 = Math.min(sw, Math.max(x0 + 1, Math.floor((x + 1) * step)));
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += src[yy * sw + xx]!;
        out[y * width + x] = sum / ((y1 - y0) * (x1 - x0));
      }
    }
  } else {
    for (let y = 0; y < height; y++) {
      const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) / factor - 0.5));
      const y0 = Math.floor(fy);
      const y1 = Math.min(img.height - 1, y0 + 1);
      const wy = fy - y0;
      for (let x = 0; x < width; x++) {
        const fx = Math.min(sw - 1, Math.max(0, (x + 0.5) / factor - 0.5));
        const x0 = Math.floor(fx);
        const x1 = Math.min(sw - 1, x0 + 1);
        const wx = fx - x0;
        const top = src[y0 * sw + x0]! * (1 - wx) + src[y0 * sw + x1]! * wx;
        const bottom = src[y1 * sw + x0]! * (1 - wx) + src[y1 * sw + x1]! * wx;
        out[y * width + x] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return { width, height, data: out, dpi: img.dpi === null ? null : img.dpi * factor };
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
  let dark = 0;
  let total = 0;
  for (let y = 0; y < img.height; y += step) {
    for (let x = 0; x < img.width; x += step) {
      total++;
      if (img.data[y * img.width + x]! < 128) dark++;
    }
  }
  return total ? dark / total : 0;
}
