/**
 * Image files → grayscale pages: PNG (pngjs), JPEG (pdf.js's own JPEG
 * decoder, already a dependency), TIFF (tiff.ts; a multi-page TIFF is
 * several pages). The pixels are decoded here rather than handed to tesseract
 * as they are so that every page is straightened and scaled the same way,
 * whichever engine reads it.
 */
import { PNG } from "pngjs";
import { grayFromPixels, IMAGE_KIND, type GrayImage } from "./image.ts";
import { jpegGray, type JpegDecoder } from "./jpeg-gray.ts";
import { tiffPages } from "./tiff.ts";
import { loadImageDecoders } from "../pdf/pdfjs.ts";

export type ImageFormat = "png" | "jpeg" | "tiff";

/**
 * The file's pages, each decoded when called (a TIFF may hold many); a call
 * throws (any error) when the page cannot be decoded, for the caller to name.
 */
export function imagePages(bytes: Uint8Array, format: ImageFormat): (() => Promise<GrayImage>)[] {
  if (format === "png") return [async () => decodePng(bytes)];
  if (format === "jpeg") return [() => decodeJpeg(bytes)];
  return tiffPages(bytes, decodeJpeg);
}

function decodePng(bytes: Uint8Array): GrayImage {
  // pngjs expands every colour type and bit depth to 8-bit RGBA.
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const gray = grayFromPixels(png.width, png.height, png.data, IMAGE_KIND.RGBA_32BPP);
  gray.dpi = pngDpi(bytes);
  return gray;
}

/** The pHYs chunk's pixels per metre, as dpi; null when absent or not in metres. */
function pngDpi(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 8; p + 8 <= bytes.length; ) {
    const length = view.getUint32(p);
    const type = String.fromCharCode(...bytes.subarray(p + 4, p + 8));
    if (type === "pHYs" && length >= 9) {
      const perMetre = view.getUint32(p + 8);
      return bytes[p + 16] === 1 && perMetre > 0 ? Math.round(perMetre * 0.0254) : null;
    }
    if (type === "IDAT" || type === "IEND") return null;
    p += 12 + length;
  }
  return null;
}

export async function decodeJpeg(bytes: Uint8Array): Promise<GrayImage> {
  const { JpegImage } = await loadImageDecoders<{ JpegImage: new () => JpegDecoder }>();
  const jpeg = new JpegImage();
  jpeg.parse(bytes);
  const gray = jpegGray(jpeg, jpeg.width, jpeg.height, false);
  gray.dpi = jfifDpi(bytes);
  return gray;
}

/** Density from the JFIF APP0 segment (units 1 = dpi, 2 = dots per cm). */
function jfifDpi(bytes: Uint8Array): number | null {
  if (bytes[2] !== 0xff || bytes[3] !== 0xe0) return null;
  if (String.fromCharCode(...bytes.subarray(6, 11)) !== "JFIF\0") return null;
  const units = bytes[13];
  const x = (bytes[14]! << 8) | bytes[15]!;
  if (!x || (units !== 1 && units !== 2)) return null;
  return units === 1 ? x : Math.round(x * 2.54);
}
