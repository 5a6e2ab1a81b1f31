/**
 * A scanned page that is one JPEG (what most scanners and phone apps write),
 * decoded by pdf.js's own JPEG decoder without pdf.js's document: the file's
 * objects say which image the page draws and how (pdf-placement.ts), its
 * stream is the JPEG, and jpeg-gray.ts turns it to gray in one pass. The
 * pixels are those pdf.js's operator list gives (pdfjs-images.ts), to the
 * bit, for the images where pdf.js hands the decoder's output on unchanged:
 * DCTDecode alone, DeviceRGB with three components or DeviceGray with one,
 * 8 bits, no Decode array, no mask. Any other page is `undefined` here, and
 * pdf.js's operator list reads it.
 */
import { loadImageDecoders } from "../pdf/pdfjs.ts";
import { placedUpright, type GrayImage } from "./image.ts";
import { jpegGray, type JpegDecoder } from "./jpeg-gray.ts";
import { isDict, isName, type PdfValue } from "../pdf/pdf-objects.ts";
import type { PdfFile } from "../pdf/pdf-file.ts";
import { largestPlacement } from "./pdf-placement.ts";

type JpegImageClass = new (options?: { colorTransform?: number }) => JpegDecoder;

/** The page's scan when it is a plain JPEG; null when the page draws no image; undefined when pdf.js should say. */
export async function jpegPageImage(file: PdfFile, pageNumber: number): Promise<{ image: GrayImage; images: number } | null | undefined> {
  const page = file.pages[pageNumber - 1];
  if (!page) return undefined;
  const placement = largestPlacement(file, page);
  if (!placement || placement.masked) return undefined;
  const stream = file.stream(placement.ref);
  if (!stream) return undefined;
  const { dict } = stream;
  const get = (key: string, short: string) => file.resolve(dict.get(key) ?? dict.get(short));
  const filter = get("Filter", "F");
  const filters = Array.isArray(filter) ? filter.map((f) => file.resolve(f)) : [filter];
  const space = get("ColorSpace", "CS");
  const components = isName(space) && space.name === "DeviceRGB" ? 3 : isName(space) && space.name === "DeviceGray" ? 1 : 0;
  if (filters.length !== 1 || !isName(filters[0]) || (filters[0].name !== "DCTDecode" && filters[0].name !== "DCT")) return undefined;
  if (!components || get("BitsPerComponent", "BPC") !== 8 || get("Decode", "D") !== undefined) return undefined;
  const { JpegImage } = await loadImageDecoders<{ JpegImage: JpegImageClass }>();
  const jpeg = new JpegImage({ colorTransform: colorTransform(file, get("DecodeParms", "DP")) });
  jpeg.parse(fromStartOfImage(stream.raw));
  if (jpeg.numComponents !== components) return undefined;
  const gray = jpegGray(jpeg, placement.width, placement.height, true);
  return { image: placedUpright(gray, placement.matrix), images: placement.images };
}

/** /ColorTransform of the decode parameters, as pdf.js passes it to the decoder (-1: the JPEG decides). */
function colorTransform(file: PdfFile, parms: PdfValue | undefined): number {
  const dict = Array.isArray(parms) ? file.resolve(parms[0]) : parms;
  const value = isDict(dict) ? file.resolve(dict.get("ColorTransform")) : undefined;
  return Number.isInteger(value) ? (value as number) : -1;
}

/** From the first SOI marker on, as pdf.js skips whatever a writer put before it. */
function fromStartOfImage(data: Uint8Array): Uint8Array {
  for (let i = 0; i < data.length - 1; i++) if (data[i] === 0xff && data[i + 1] === 0xd8) return data.subarray(i);
  return data;
}
