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

/**
 * A component's samples are stored block by block (8 × 8 each), a row of blocks
 * blocksPerLine + 1 wide. Where sample j of a row lies from the row's start:
 */
const inBlockRow = (j: number) => ((j & ~7) << 3) | (j & 7);

/** Where a component's row j starts. */
const blockRowStart = (c: JpegComponent, j: number) => (((c.blocksPerLine + 1) << 3) * (j & ~7)) | ((j & 7) << 3);

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
  // _getLinearizedBlockData finds it (sample 0 | (x · scale) of row 0 | (y · scale)).
  const scaleX = jpeg.width / width;
  const scaleY = jpeg.height / height;
  const columns = components.map((c) => {
    const offsets = new Int32Array(width);
    const componentScaleX = c.scaleX * scaleX;
    for (let x = 0; x < width; x++) offsets[x] = inBlockRow(0 | (x * componentScaleX));
    return offsets;
  });
  const rowStart = (c: JpegComponent, y: number) => blockRowStart(c, 0 | (y * c.scaleY * scaleY));
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
  const [o0, o1, o2] = columns as [Int32Array, Int32Array, Int32Array];
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
  // pdf.js's _convertYccToRgb gives each channel as luma plus a term of the chroma samples, stored
  // through a Uint8ClampedArray (clamped, rounded half to even). Luma is a whole number, so a channel
  // is luma + round(term) unless the term lies on a half (then the exact sum decides, exactYcc). While
  // no channel clamps, the gray is then luma plus a term of the chroma alone: red when red minus green
  // and red minus blue (the terms' differences) say stamp ink, else (77·tr + 150·tg + 29·tb) >> 8, as
  // (256·luma + k) >> 8 is luma + (k >> 8). That gray term and the luma range it holds over are worked
  // out once for each of the 65,536 chroma pairs (a table made on first use), looked up once per row
  // of chroma (which usually serves two rows), and a pixel costs two comparisons and an addition.
  // Measured on the shared scans: 1.5× faster than the term-for-term pass, same pixels.
  const table = chromaTable();
  if (isHalvedChroma(components, scaleX, scaleY)) return grayHalvedChroma(jpeg.width, jpeg.height, c0, c1, c2, table);
  const pairs = new Int32Array(width);
  const fast = new Int32Array(width);
  let chromaRows = -1;
  for (let y = 0; y < height; y++) {
    const b1 = rowStart(c1, y);
    const b2 = rowStart(c2, y);
    // Both starts are below 2^31: one number tells whether this row's chroma rows are the last row's.
    const key = b1 * 4294967296 + b2;
    if (key !== chromaRows) {
      chromaRows = key;
      chromaRow(pairs, fast, table.fast, width, p1, b1, o1, p2, b2, o2);
    }
    lumaRow(out, y * width, width, p0, rowStart(c0, y), o0, pairs, fast, table);
  }
  return { width, height, data: out, dpi: null };
}

type Samples = ArrayLike<number>;

/**
 * The layout nearly every scanner and phone app writes (4:2:0): luma at the
 * image's own size, each chroma sample covering two by two pixels, the image
 * drawn at its own size.
 */
function isHalvedChroma(components: JpegComponent[], scaleX: number, scaleY: number): boolean {
  const [c0, c1, c2] = components;
  return scaleX === 1 && scaleY === 1 && c0!.scaleX === 1 && c0!.scaleY === 1 && [c1!, c2!].every((c) => c.scaleX === 0.5 && c.scaleY === 0.5);
}

/**
 * jpegGray's pass for halved chroma: the same pixels, but a chroma pair is
 * looked up once for the two columns it covers (and its row once for two
 * rows), and samples are found by their place in the block rows rather than
 * through per-column offsets. Measured on the shared scans: 1.45× faster.
 */
function grayHalvedChroma(width: number, height: number, c0: JpegComponent, c1: JpegComponent, c2: JpegComponent, table: ChromaTable): GrayImage {
  const out = new Uint8Array(width * height);
  const half = (width + 1) >> 1;
  const pairs = new Int32Array(half);
  const fast = new Int32Array(half);
  for (let y = 0; y < height; y++) {
    if ((y & 1) === 0) halvedChromaRow(pairs, fast, table.fast, half, c1.output, blockRowStart(c1, y >> 1), c2.output, blockRowStart(c2, y >> 1));
    halvedLumaRow(out, y * width, width, c0.output, blockRowStart(c0, y), pairs, fast, table);
  }
  return { width, height, data: out, dpi: null };
}

function halvedChromaRow(pairs: Int32Array, fast: Int32Array, table: Int32Array, half: number, p1: Samples, b1: number, p2: Samples, b2: number): void {
  for (let x = 0; x < half; x++) {
    const at = inBlockRow(x);
    const pair = (p1[b1 + at]! << 8) | p2[b2 + at]!;
    pairs[x] = pair;
    fast[x] = table[pair]!;
  }
}

function halvedLumaRow(out: Uint8Array, start: number, width: number, p0: Samples, b0: number, pairs: Int32Array, fast: Int32Array, table: ChromaTable): void {
  for (let x = 0; x < width; x++) {
    const luma = p0[b0 + inBlockRow(x)]!;
    const packed = fast[x >> 1]!;
    if (luma >= (packed & 511) && luma < ((packed >> 9) & 511)) out[start + x] = luma + (packed >> 18) - 256;
    else out[start + x] = slowGray(luma, pairs[x >> 1]!, table);
  }
}

/** Each pixel's chroma pair ((cb << 8) | cr) and that pair's packed fast gray (see ChromaTable). */
function chromaRow(pairs: Int32Array, fast: Int32Array, table: Int32Array, width: number, p1: Samples, b1: number, o1: Int32Array, p2: Samples, b2: number, o2: Int32Array): void {
  for (let x = 0; x < width; x++) {
    const pair = (p1[b1 + o1[x]!]! << 8) | p2[b2 + o2[x]!]!;
    pairs[x] = pair;
    fast[x] = table[pair]!;
  }
}

/** One row of gray from luma and the row's chroma. */
function lumaRow(out: Uint8Array, start: number, width: number, p0: Samples, b0: number, o0: Int32Array, pairs: Int32Array, fast: Int32Array, table: ChromaTable): void {
  for (let x = 0; x < width; x++) {
    const luma = p0[b0 + o0[x]!]!;
    const packed = fast[x]!;
    if (luma >= (packed & 511) && luma < ((packed >> 9) & 511)) out[start + x] = luma + (packed >> 18) - 256;
    else out[start + x] = slowGray(luma, pairs[x]!, table);
  }
}

/** A pixel where a channel clamps or a term lies on a half. */
function slowGray(luma: number, pair: number, table: ChromaTable): number {
  const tr = table.red[pair & 255]!;
  const tg = table.green[pair]!;
  const tb = table.blue[pair >> 8]!;
  if (tr === ON_HALF || tg === ON_HALF || tb === ON_HALF) return exactYcc(luma, pair >> 8, pair & 255);
  return grayOf(clamp(luma + tr), clamp(luma + tg), clamp(luma + tb));
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** A chroma term this close to a half is rounded by the exact sum with luma, not ahead of it. */
const ON_HALF = -32768;

/**
 * pdf.js's chroma terms of each channel, rounded (ON_HALF where rounding ahead could differ), and
 * by chroma pair the fast gray: luma from lo (bits 0–8) to below hi (bits 9–17) gives gray
 * luma + add, add + 256 in bits 18 up (an empty range where a term lies on a half).
 */
interface ChromaTable {
  red: Int16Array;
  /** By (cb << 8) | cr. */
  green: Int16Array;
  blue: Int16Array;
  fast: Int32Array;
}

let chromaTables: ChromaTable | null = null;

function chromaTable(): ChromaTable {
  if (chromaTables) return chromaTables;
  const rounded = (term: number) => (Math.abs(term - Math.floor(term) - 0.5) < 1e-6 ? ON_HALF : Math.round(term));
  const red = new Int16Array(256);
  const blue = new Int16Array(256);
  const green = new Int16Array(65536);
  for (let c = 0; c < 256; c++) {
    red[c] = rounded(-179.456 + 1.402 * c);
    blue[c] = rounded(-226.816 + 1.772 * c);
    for (let cr = 0; cr < 256; cr++) green[(c << 8) | cr] = rounded(135.459 - 0.344 * c - 0.714 * cr);
  }
  const fast = new Int32Array(65536);
  for (let pair = 0; pair < 65536; pair++) {
    const tr = red[pair & 255]!;
    const tg = green[pair]!;
    const tb = blue[pair >> 8]!;
    if (tr === ON_HALF || tg === ON_HALF || tb === ON_HALF) continue; // lo = hi = 0: never fast
    const lo = Math.max(0, -tr, -tg, -tb);
    const hi = 256 - Math.max(0, tr, tg, tb);
    fast[pair] = lo | (Math.max(lo, hi) << 9) | ((grayOf(tr, tg, tb) + 256) << 18);
  }
  return (chromaTables = { red, green, blue, fast });
}

const exactRgb = new Uint8ClampedArray(3);

/** pdf.js's _convertYccToRgb, term for term, stored through a Uint8ClampedArray as it stores them. */
function exactYcc(luma: number, cb: number, cr: number): number {
  exactRgb[0] = luma - 179.456 + 1.402 * cr;
  exactRgb[1] = luma + 135.459 - 0.344 * cb - 0.714 * cr;
  exactRgb[2] = luma - 226.816 + 1.772 * cb;
  return grayOf(exactRgb[0]!, exactRgb[1]!, exactRgb[2]!);
}
