/**
 * TIFF pages → grayscale images, for the formats scanners and fax software
 * write: uncompressed, PackBits, LZW and Deflate (decoded here; short and
 * exact), CCITT Group 3/4 (the usual bilevel scan: decoded by pdf.js's CCITT
 * decoder through a one-image PDF, since the TIFF and PDF parameters are the
 * same), and JPEG (pdf.js's JPEG decoder). Each IFD is a page. Tiled and
 * planar-separated files, 16-bit samples and old-style JPEG are refused
 * with a message that says so.
 */
import { inflateSync } from "node:zlib";
import { grayFromPixels, IMAGE_KIND, type GrayImage } from "./image.ts";
import { openPdfImages } from "./pdf-images.ts";

const TAG = {
  width: 256, height: 257, bitsPerSample: 258, compression: 259, photometric: 262, fillOrder: 266,
  stripOffsets: 273, samplesPerPixel: 277, rowsPerStrip: 278, stripByteCounts: 279, xResolution: 282,
  planar: 284, t4Options: 292, resolutionUnit: 296, predictor: 317, colorMap: 320, tileWidth: 322, jpegTables: 347,
} as const;

/** Pages above this are not read: a letter, even scanned one page per image, is never that long. */
const MAX_PAGES = 300;

type Fields = Map<number, number[]>;

/**
 * The pages of a TIFF, each decoded only when asked for: a long fax or a
 * scanned annex is never held in memory whole.
 */
export function tiffPages(bytes: Uint8Array, decodeJpeg: (b: Uint8Array) => Promise<GrayImage>): (() => Promise<GrayImage>)[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 0x49;
  const u16 = (p: number) => view.getUint16(p, little);
  const u32 = (p: number) => view.getUint32(p, little);
  if (bytes.length < 8) throw new Error("the TIFF is truncated");
  const pages: (() => Promise<GrayImage>)[] = [];
  const seen = new Set<number>();
  for (let ifd = u32(4); ifd && !seen.has(ifd) && pages.length < MAX_PAGES; ) {
    seen.add(ifd);
    const fields: Fields = new Map();
    const count = u16(ifd);
    for (let i = 0; i < count; i++) {
      const e = ifd + 2 + i * 12;
      fields.set(u16(e), readValues(view, little, u16(e + 2), u32(e + 4), e + 8));
    }
    pages.push(() => decodePage(bytes, fields, decodeJpeg));
    ifd = u32(ifd + 2 + count * 12);
  }
  if (!pages.length) throw new Error("the TIFF has no pages");
  return pages;
}

function readValues(view: DataView, little: boolean, type: number, count: number, at: number): number[] {
  const size = ({ 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8 } as Record<number, number>)[type] ?? 0;
  if (!size || count > 1 << 24) return [];
  const base = size * count <= 4 ? at : view.getUint32(at, little);
  const out: number[] = [];
  for (let i = 0; i < count && base + (i + 1) * size <= view.byteLength; i++) {
    const p = base + i * size;
    if (size === 1) out.push(view.getUint8(p));
    else if (size === 2) out.push(view.getUint16(p, little));
    else if (size === 4) out.push(view.getUint32(p, little));
    else out.push(view.getUint32(p, little) / (view.getUint32(p + 4, little) || 1));
  }
  return out;
}

async function decodePage(bytes: Uint8Array, f: Fields, decodeJpeg: (b: Uint8Array) => Promise<GrayImage>): Promise<GrayImage> {
  const one = (tag: number, fallback: number) => f.get(tag)?.[0] ?? fallback;
  const width = one(TAG.width, 0);
  const height = one(TAG.height, 0);
  const bps = one(TAG.bitsPerSample, 1);
  const spp = one(TAG.samplesPerPixel, 1);
  const compression = one(TAG.compression, 1);
  const photometric = one(TAG.photometric, compression >= 2 && compression <= 4 ? 0 : 1);
  if (!width || !height) throw new Error("the TIFF page has no size");
  if (f.has(TAG.tileWidth)) throw new Error("tiled TIFF is not supported");
  if (spp > 1 && one(TAG.planar, 1) === 2) throw new Error("TIFF with separate colour planes is not supported");
  if (bps !== 1 && bps !== 8) throw new Error(`TIFF with ${bps}-bit samples is not supported`);
  const rowsPerStrip = Math.min(height, one(TAG.rowsPerStrip, height));
  const offsets = f.get(TAG.stripOffsets) ?? [];
  const counts = f.get(TAG.stripByteCounts) ?? [];
  const strips = offsets.map((o, i) => bytes.subarray(o, o + (counts[i] ?? bytes.length - o)));
  const fillReversed = one(TAG.fillOrder, 1) === 2;

  let image: GrayImage;
  if (compression === 2 || compression === 3 || compression === 4) {
    image = await ccittPages(strips.map((s) => (fillReversed ? reverseBits(s) : s)), width, height, rowsPerStrip, compression, one(TAG.t4Options, 0), photometric);
  } else if (compression === 7) {
    const tables = f.get(TAG.jpegTables);
    const parts = await Promise.all(strips.map((s) => decodeJpeg(tables ? mergeJpegTables(Uint8Array.from(tables), s) : s)));
    image = stack(parts, width, height);
  } else {
    const rowBytes = (width * spp * bps + 7) >> 3;
    const raw = new Uint8Array(rowBytes * height);
    let at = 0;
    for (const strip of strips) {
      const data = decompress(strip, compression);
      raw.set(data.subarray(0, Math.min(data.length, raw.length - at)), at);
      at += Math.min(data.length, rowsPerStrip * rowBytes);
    }
    if (one(TAG.predictor, 1) === 2 && bps === 8) undoPredictor(raw, rowBytes, spp);
    image = toGray(raw, width, height, bps, spp, photometric, f.get(TAG.colorMap));
  }
  const xRes = one(TAG.xResolution, 0);
  const unit = one(TAG.resolutionUnit, 2);
  image.dpi = xRes > 0 && unit !== 1 ? Math.round(unit === 3 ? xRes * 2.54 : xRes) : null;
  return image;
}

function decompress(strip: Uint8Array, compression: number): Uint8Array {
  if (compression === 1) return strip;
  if (compression === 8 || compression === 32946) return inflateSync(strip);
  if (compression === 32773) return unpackBits(strip);
  if (compression === 5) return lzw(strip);
  throw new Error(`TIFF compression ${compression} is not supported`);
}

function unpackBits(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < src.length; ) {
    const n = (src[i++]! << 24) >> 24;
    if (n >= 0) for (let k = 0; k <= n && i < src.length; k++) out.push(src[i++]!);
    else if (n !== -128) for (let k = 0, b = src[i++]!; k <= -n; k++) out.push(b);
  }
  return Uint8Array.from(out);
}

/** TIFF LZW (MSB-first codes, 9–12 bits, early change): the PDF LZWDecode scheme. */
function lzw(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let dict: number[][] = [];
  const reset = () => {
    dict = Array.from({ length: 258 }, (_, i) => (i < 256 ? [i] : []));
  };
  reset();
  let bits = 9;
  let pos = 0;
  let prev: number[] | null = null;
  const read = () => {
    let code = 0;
    for (let i = 0; i < bits; i++, pos++) code = (code << 1) | ((src[pos >> 3]! >> (7 - (pos & 7))) & 1);
    return code;
  };
  while (pos + bits <= src.length * 8) {
    const code = read();
    if (code === 257) break;
    if (code === 256) {
      reset();
      bits = 9;
      prev = null;
      continue;
    }
    const entry: number[] | undefined = code < dict.length ? dict[code] : prev ? [...prev, prev[0]!] : undefined;
    if (!entry) break;
    for (const b of entry) out.push(b);
    if (prev) dict.push([...prev, entry[0]!]);
    prev = entry;
    if (dict.length + 1 >= 1 << bits && bits < 12) bits++;
  }
  return Uint8Array.from(out);
}

function undoPredictor(raw: Uint8Array, rowBytes: number, spp: number): void {
  for (let row = 0; row < raw.length; row += rowBytes) {
    for (let i = spp; i < rowBytes; i++) raw[row + i] = (raw[row + i]! + raw[row + i - spp]!) & 0xff;
  }
}

function toGray(raw: Uint8Array, width: number, height: number, bps: number, spp: number, photometric: number, colorMap?: number[]): GrayImage {
  if (bps === 1) {
    // Packed 1 = white is what grayFromPixels takes; WhiteIsZero (photometric 0) is inverted first.
    const packed = photometric === 0 ? raw.map((b) => ~b & 0xff) : raw;
    return grayFromPixels(width, height, packed, IMAGE_KIND.GRAYSCALE_1BPP);
  }
  const n = width * height;
  if (photometric <= 1 && spp >= 1) {
    const gray = new Uint8Array(n);
    for (let i = 0; i < n; i++) gray[i] = photometric === 0 ? 255 - raw[i * spp]! : raw[i * spp]!;
    return { width, height, data: gray, dpi: null };
  }
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    if (photometric === 2) {
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = raw[i * spp + c]!;
    } else if (photometric === 3 && colorMap) {
      const k = raw[i]!;
      const size = colorMap.length / 3;
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = colorMap[c * size + k]! >> 8;
    } else if (photometric === 5 && spp >= 4) {
      const k = raw[i * spp + 3]!;
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = 255 - Math.min(255, raw[i * spp + c]! + k);
    } else throw new Error(`TIFF photometric interpretation ${photometric} is not supported`);
  }
  return grayFromPixels(width, height, rgb, IMAGE_KIND.RGB_24BPP);
}

/** Strip images one under the other. */
function stack(parts: GrayImage[], width: number, height: number): GrayImage {
  const data = new Uint8Array(width * height).fill(255);
  let row = 0;
  for (const part of parts) {
    for (let y = 0; y < part.height && row < height; y++, row++) {
      data.set(part.data.subarray(y * part.width, y * part.width + Math.min(width, part.width)), row * width);
    }
  }
  return { width, height, data, dpi: null };
}

function reverseBits(strip: Uint8Array): Uint8Array {
  return strip.map((b) => {
    let r = 0;
    for (let i = 0; i < 8; i++) r = (r << 1) | ((b >> i) & 1);
    return r;
  });
}

/** A JPEG-in-TIFF strip with the shared tables put in front (both lose the marker at the seam). */
function mergeJpegTables(tables: Uint8Array, strip: Uint8Array): Uint8Array {
  const out = new Uint8Array(tables.length - 2 + strip.length - 2);
  out.set(tables.subarray(0, tables.length - 2));
  out.set(strip.subarray(2), tables.length - 2);
  return out;
}

/**
 * CCITT strips decoded by pdf.js: one PDF page per strip, each drawing one
 * /CCITTFaxDecode image with the TIFF's parameters. TIFF compression 2 is
 * Modified Huffman with byte-aligned rows (K 0, EncodedByteAlign), 3 is
 * Group 3 (2-D when T4Options says so), 4 is Group 4 (K -1).
 */
async function ccittPages(strips: Uint8Array[], width: number, height: number, rowsPerStrip: number, compression: number, t4: number, photometric: number): Promise<GrayImage> {
  const k = compression === 4 ? -1 : compression === 3 && t4 & 1 ? 1 : 0;
  const align = compression === 2 || (compression === 3 && (t4 & 4) !== 0);
  const objects: (string | Uint8Array)[][] = [];
  const pageRefs: string[] = [];
  strips.forEach((strip, i) => {
    const rows = Math.min(rowsPerStrip, height - i * rowsPerStrip);
    const base = 3 + i * 3;
    pageRefs.push(`${base} 0 R`);
    const content = `q ${width} 0 0 ${rows} 0 0 cm /Im0 Do Q`;
    // With photometric 1 (BlackIsZero) the code's white runs are black pixels: the Decode array inverts.
    const decode = photometric === 1 ? " /Decode [1 0]" : "";
    objects.push(
      [`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${rows}] /Resources << /XObject << /Im0 ${base + 2} 0 R >> >> /Contents ${base + 1} 0 R >>`],
      [`<< /Length ${content.length} >>\nstream\n${content}\nendstream`],
      [
        `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${rows} /ColorSpace /DeviceGray /BitsPerComponent 1${decode}` +
          ` /Filter /CCITTFaxDecode /DecodeParms << /K ${k} /Columns ${width} /Rows ${rows}${align ? " /EncodedByteAlign true" : ""} >> /Length ${strip.length} >>\nstream\n`,
        strip,
        "\nendstream",
      ],
    );
  });
  const pdf = buildPdf([["<< /Type /Catalog /Pages 2 0 R >>"], [`<< /Type /Pages /Kids [${pageRefs.join(" ")}] /Count ${strips.length} >>`], ...objects]);
  const source = await openPdfImages(pdf);
  try {
    const parts: GrayImage[] = [];
    for (let n = 1; n <= source.pageCount; n++) {
      const page = await source.pageImage(n);
      if (!page) throw new Error("a CCITT strip of the TIFF could not be decoded");
      parts.push(page.image);
    }
    return stack(parts, width, height);
  } finally {
    await source.close();
  }
}

function buildPdf(objects: (string | Uint8Array)[][]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const push = (part: string | Uint8Array) => {
    const bytes = typeof part === "string" ? Buffer.from(part, "latin1") : part;
    chunks.push(bytes);
    length += bytes.length;
  };
  push("%PDF-1.4\n");
  const offsets: number[] = [];
  objects.forEach((parts, i) => {
    offsets.push(length);
    push(`${i + 1} 0 obj\n`);
    for (const part of parts) push(part);
    push("\nendobj\n");
  });
  const xref = length;
  push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  for (const o of offsets) push(`${String(o).padStart(10, "0")} 00000 n \n`);
  push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(chunks);
}
