/**
 * A JPEG decoded by pdf.js's JpegImage, straight to the gray page image: one
 * pass over the decoded components gives exactly what `getData` (upsampling,
 * YCbCr → RGB, each channel rounded as a Uint8ClampedArray rounds) followed
 * by grayFromPixels (red dropout) gives, without the two full-size RGB
 * copies those make (about 0.1 s and 50 MB of a 300-dpi page).
 *
 * Exactly, to the bit: tesseract's page layout moves words between blocks
 * for a grey level here and there (pdf-images.ts), and the scan scores were
 * measured on these pixels. The pass reads JpegImage's decoded components
 * (`components`, `_isColorConversionNeeded`), not part of its API; pdfjs-dist
 * is pinned, a test compares the two on every JPEG fixture, and a decoder
 * without them gets `getData` (as do CMYK and Decode-mapped JPEGs).
 */
import { grayFromPixels, grayOf, IMAGE_KIND, type GrayImage } from "./image.ts";

interface JpegComponent {
  output: ArrayLike<number>;
  scaleX: number;
  scaleY: number;
  blocksPerLine: number;
}

export interface JpegDecoder {
  parse(data: Uint8Array): void;
  width: number;
  height: number;
  numComponents: number;
  getData(options: { width: number; height: number; forceRGB?: boolean; isSourcePDF?: boolean }): Uint8ClampedArray;
  components?: JpegComponent[];
  _isColorConversionNeeded?: boolean;
  _decodeTransform?: unknown;
}

/** The parsed JPEG at `width` × `height` (a PDF may draw it at other dimensions than its own), gray. */
export function jpegGray(jpeg: JpegDecoder, width: number, height: number, isSourcePDF: boolean): GrayImage {
  const components = jpeg.components;
  const usable =
    (jpeg.numComponents === 1 || jpeg.numComponents === 3) &&
    !jpeg._decodeTransform &&
    Array.isArray(components) &&
    components.length === jpeg.numComponents &&
    components.every((c) => c && c.output && typeof c.scaleX === "number" && typeof c.scaleY === "number" && Number.isInteger(c.blocksPerLine));
  if (!usable) {
    const data = jpeg.getData({ width, height, forceRGB: jpeg.numComponents !== 1, isSourcePDF });
    return grayFromPixels(width, height, data, jpeg.numComponents === 1 ? 0 : IMAGE_KIND.RGB_24BPP);
  }
  // Where each output pixel's sample stands in a component's block-ordered data, as pdf.js's
  // _getLinearizedBlockData finds it: rows of blocks (blocksPerLine + 1 wide), 8 × 8 inside.
  const scaleX = jpeg.width / width;
  const scaleY = jpeg.height / height;
  const columns = components.map((c) => {
    const offsets = new Uint32Array(width);
    const componentScaleX = c.scaleX * scaleX;
    for (let x = 0; x < width; x++) {
      const j = 0 | (x * componentScaleX);
      offsets[x] = ((j & 0xfffffff8) << 3) | (j & 7);
    }
    return offsets;
  });
  const rowStart = (c: JpegComponent, y: number) => {
    const j = 0 | (y * c.scaleY * scaleY);
    return (((c.blocksPerLine + 1) << 3) * (j & 0xfffffff8)) | ((j & 7) << 3);
  };
  const out = new Uint8Array(width * height);
  if (jpeg.numComponents === 1) {
    const c = components[0]!;
    const output = c.output;
    const offsets = columns[0]!;
    for (let y = 0; y < height; y++) {
      const base = rowStart(c, y);
      const row = y * width;
      // A gray pixel has r = g = b: never red, and its luma (v·256 >> 8) is v.
      for (let x = 0; x < width; x++) out[row + x] = output[base + offsets[x]!]!;
    }
    return { width, height, data: out, dpi: null };
  }
  const [c0, c1, c2] = components as [JpegComponent, JpegComponent, JpegComponent];
  const [o0, o1, o2] = columns as [Uint32Array, Uint32Array, Uint32Array];
  const [p0, p1, p2] = [c0.output, c1.output, c2.output];
  if (jpeg._isColorConversionNeeded !== true) {
    // Stored as RGB (an Adobe JPEG without transform): the samples are the channels.
    for (let y = 0; y < height; y++) {
      const b0 = rowStart(c0, y);
      const b1 = rowStart(c1, y);
      const b2 = rowStart(c2, y);
      const row = y * width;
      for (let x = 0; x < width; x++) out[row + x] = grayOf(p0[b0 + o0[x]!]!, p1[b1 + o1[x]!]!, p2[b2 + o2[x]!]!);
    }
    return { width, height, data: out, dpi: null };
  }
  // pdf.js's _convertYccToRgb, term for term, stored through a Uint8ClampedArray as it stores them.
  const rgb = new Uint8ClampedArray(3);
  for (let y = 0; y < height; y++) {
    const b0 = rowStart(c0, y);
    const b1 = rowStart(c1, y);
    const b2 = rowStart(c2, y);
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const luma = p0[b0 + o0[x]!]!;
      const cb = p1[b1 + o1[x]!]!;
      const cr = p2[b2 + o2[x]!]!;
      rgb[0] = luma - 179.456 + 1.402 * cr;
      rgb[1] = luma + 135.459 - 0.344 * cb - 0.714 * cr;
      rgb[2] = luma - 226.816 + 1.772 * cb;
      out[row + x] = grayOf(rgb[0]!, rgb[1]!, rgb[2]!);
    }
  }
  return { width, height, data: out, dpi: null };
}

