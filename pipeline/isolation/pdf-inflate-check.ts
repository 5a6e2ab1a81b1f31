/**
 * A PDF decompression-bomb check, run before pdf.js sees the file.
 *
 * pdf.js keeps a decoded stream in one growing Uint8Array. That memory lives
 * outside the V8 heap, so a worker's `resourceLimits` do not cap it: a few KB
 * of Flate-in-Flate that inflate to 1 GB of whitespace took pdf.js 23 s and
 * 1.6 GB of RSS on this machine. Flate can shrink data about 1000× per layer,
 * and filters can be chained, so the size on disk says nothing.
 *
 * Every stream whose filter chain starts with FlateDecode is inflated here
 * through its leading Flate layers, counting bytes and keeping none, and the
 * file is refused (`too_large`) as soon as one stream or all of them together
 * pass a limit. Image XObjects are skipped: pdf.js decodes an image only up to
 * the size its width and height declare, and not at all above `maxImageSize`.
 *
 * The scan is lexical (the `stream` keyword and the dictionary before it), so
 * it also sees streams that the xref does not list. It cannot see into
 * encrypted streams (they do not inflate until decrypted); those are left to
 * the worker's memory cap and the timeout, as are other filters.
 */
import { Writable, pipeline } from "node:stream";
import { Readable } from "node:stream";
import { constants, createInflate, inflateSync } from "node:zlib";
import { ReadError } from "../../extractors/errors.ts";

export interface PdfInflateLimits {
  /** Most bytes one stream may inflate to. */
  streamBytes: number;
  /** Most bytes all Flate streams together may inflate to. */
  totalBytes: number;
}

export interface PdfStreamInfo {
  /** Offset of the stream data in the file. */
  start: number;
  end: number;
  /** The number of leading FlateDecode filters. */
  flateLayers: number;
  image: boolean;
}

const FILTER = /\/Filter\s*(?:\[([^\]]*)\]|\/([A-Za-z0-9#.]+))/;
const IMAGE = /\/Subtype\s*\/Image\b/;
/** How far back from `stream` the dictionary may start. */
const DICT_WINDOW = 64 * 1024;

/** The streams of a PDF file with their data ranges and leading Flate layers. */
export function findPdfStreams(bytes: Uint8Array): PdfStreamInfo[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const streams: PdfStreamInfo[] = [];
  let at = 0;
  for (;;) {
    const keyword = buf.indexOf("stream", at, "latin1");
    if (keyword < 0) break;
    at = keyword + 6;
    if (buf[keyword - 1] === 0x64 /* d: endstream */) continue;
    let start = keyword + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] !== 0x0a && buf[start - 1] !== 0x0d) continue;
    if (buf[start] === 0x0a) start++;
    const dictStart = buf.lastIndexOf("obj", keyword, "latin1");
    if (dictStart < 0 || keyword - dictStart > DICT_WINDOW) continue;
    const dict = buf.toString("latin1", dictStart, keyword);
    const m = FILTER.exec(dict);
    if (!m) continue;
    const names = (m[1] ?? `/${m[2]}`).split("/").map((s) => s.trim()).filter(Boolean);
    let flateLayers = 0;
    while (flateLayers < names.length && (names[flateLayers] === "FlateDecode" || names[flateLayers] === "Fl")) flateLayers++;
    if (flateLayers === 0) continue;
    const endKeyword = buf.indexOf("endstream", start, "latin1");
    const end = endKeyword < 0 ? buf.length : endKeyword;
    streams.push({ start, end, flateLayers, image: IMAGE.test(dict) });
    at = Math.max(at, end);
  }
  return streams;
}

/**
 * Bytes `data` inflates to through `layers` Flate layers, counting up to
 * `cap` + 1 and keeping nothing. Damaged data counts what inflated before the
 * damage: telling it is damaged is pdf.js's job.
 */
export async function inflatedSize(data: Uint8Array, layers: number, cap: number): Promise<number> {
  // Most streams (fonts, page contents) are small enough that even a worst-case ratio stays
  // small: inflate those in one synchronous call, far cheaper than a stream pipeline.
  if (data.length * MAX_FLATE_RATIO ** layers <= SYNC_BOUND) return inflatedSizeSync(data, layers);
  return new Promise((resolve) => {
    let total = 0;
    let settled = false;
    const inflaters = Array.from({ length: layers }, () =>
      createInflate({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 64 * 1024 }),
    );
    const counter = new Writable({
      write(chunk: Buffer, _encoding, done) {
        total += chunk.length;
        if (total > cap) {
          finish();
          done(new Error("over"));
          return;
        }
        done();
      },
    });
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve(total);
    };
    const source = Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
    pipeline([source, ...inflaters, counter], () => finish());
  });
}

/** Deflate's ceiling: 258-byte matches in 2-bit codes give about 1032 output bytes per input byte. */
const MAX_FLATE_RATIO = 1032;
const SYNC_BOUND = 16 * 1024 * 1024;

function inflatedSizeSync(data: Uint8Array, layers: number): number {
  let out: Uint8Array = data;
  for (let i = 0; i < layers; i++) {
    try {
      out = inflateSync(out, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: SYNC_BOUND + 1 });
    } catch {
      return i === 0 ? 0 : out.length; // damaged: what inflated before the damage
    }
  }
  return out.length;
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** Refuses a PDF with a stream (or all streams together) inflating past the limits: `too_large`. */
export async function checkPdfInflation(bytes: Uint8Array, limits: PdfInflateLimits, fileName?: string): Promise<void> {
  let total = 0;
  for (const stream of findPdfStreams(bytes)) {
    if (stream.image) continue;
    const cap = Math.min(limits.streamBytes, limits.totalBytes - total);
    const size = await inflatedSize(bytes.subarray(stream.start, stream.end), stream.flateLayers, cap);
    if (size > cap) {
      const what = cap < limits.streamBytes
        ? `its compressed streams inflate to more than ${mb(limits.totalBytes)} together`
        : `a compressed stream at byte ${stream.start} inflates to more than ${mb(limits.streamBytes)}`;
      throw new ReadError("too_large", `${what}, far more than a letter holds: refused as a decompression bomb`, fileName);
    }
    total += size;
  }
}
