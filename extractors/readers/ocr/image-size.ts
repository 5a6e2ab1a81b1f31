/**
 * An image decompression-bomb check, run before an image file is decoded.
 *
 * An image's pixels are decoded into one buffer of width × height × 4 bytes
 * (pngjs gives RGBA), outside the V8 heap and in one synchronous call that
 * the worker's memory watch cannot interrupt: a 48 KB PNG declaring
 * 20,000 × 20,000 pixels took 50 s and 1.8 GB of RSS to decode. The size an
 * image declares is in its header, so it is read from there (PNG IHDR, JPEG
 * SOF, every TIFF page's IFD) and a file above the limit is refused
 * (`too_large`) without decoding a pixel. The image reader checks it itself;
 * the extraction pool also checks it before a job starts, to give the job its
 * OCR time allowance only for pages it will read.
 */
import { ReadError } from "../../errors.ts";

export interface ImageSize {
  width: number;
  height: number;
}

/** The sizes an image file declares: one per page (a TIFF may have many), empty when the header cannot be read. */
export function declaredImageSizes(bytes: Uint8Array, format: "png" | "jpeg" | "tiff"): ImageSize[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === "png") return bytes.length >= 24 ? [{ width: view.getUint32(16), height: view.getUint32(20) }] : [];
  if (format === "jpeg") return jpegSizes(bytes, view);
  return tiffSizes(bytes, view);
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic); not DHT (C4), JPG (C8) or DAC (CC). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function jpegSizes(bytes: Uint8Array, view: DataView): ImageSize[] {
  const sizes: ImageSize[] = [];
  for (let p = 2; p + 4 <= bytes.length; ) {
    if (bytes[p] !== 0xff) {
      p++; // fill bytes or damage: look for the next marker
      continue;
    }
    const marker = bytes[p + 1]!;
    if (marker === 0xff || (marker >= 0xd0 && marker <= 0xd8) || marker === 0x01) {
      p += marker === 0xff ? 1 : 2; // padding, restart markers and SOI carry no length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, start of scan: the frame header comes before
    const length = view.getUint16(p + 2);
    if (isStartOfFrame(marker) && p + 9 <= bytes.length) sizes.push({ height: view.getUint16(p + 5), width: view.getUint16(p + 7) });
    p += 2 + length;
  }
  return sizes;
}

const MAX_TIFF_PAGES = 300;

function tiffSizes(bytes: Uint8Array, view: DataView): ImageSize[] {
  if (bytes.length < 8) return [];
  const little = bytes[0] === 0x49;
  const sizes: ImageSize[] = [];
  const seen = new Set<number>();
  for (let ifd = view.getUint32(4, little); ifd > 0 && ifd + 2 <= bytes.length && !seen.has(ifd) && sizes.length < MAX_TIFF_PAGES; ) {
    seen.add(ifd);
    const count = view.getUint16(ifd, little);
    const size: ImageSize = { width: 0, height: 0 };
    for (let i = 0; i < count && ifd + 2 + (i + 1) * 12 <= bytes.length; i++) {
      const entry = ifd + 2 + i * 12;
      const tag = view.getUint16(entry, little);
      if (tag !== 256 && tag !== 257) continue;
      const type = view.getUint16(entry + 2, little);
      const value = type === 3 ? view.getUint16(entry + 8, little) : view.getUint32(entry + 8, little);
      if (tag === 256) size.width = value;
      else size.height = value;
    }
    sizes.push(size);
    const next = ifd + 2 + count * 12;
    ifd = next + 4 <= bytes.length ? view.getUint32(next, little) : 0;
  }
  return sizes;
}

/** An A3 page scanned at 600 dpi is about 70 megapixels. */
export const DEFAULT_IMAGE_PIXEL_LIMIT = 100_000_000;

/** Refuses an image whose header declares more than `maxPixels` on any page: `too_large`. */
export function checkImageSize(bytes: Uint8Array, format: "png" | "jpeg" | "tiff", maxPixels: number, fileName?: string): void {
  declaredImageSizes(bytes, format).forEach(({ width, height }, page) => {
    if (width * height <= maxPixels) return;
    const where = format === "tiff" ? ` (page ${page + 1})` : "";
    throw new ReadError(
      "too_large",
      `the ${format.toUpperCase()} image${where} declares ${width} × ${height} pixels (${Math.round((width * height) / 1e6)} megapixels); ` +
        `vanthu reads images of at most ${Math.round(maxPixels / 1e6)} megapixels (an A3 page at 600 dpi is 70): scan it again at 300 dpi`,
      fileName,
    );
  });
}
