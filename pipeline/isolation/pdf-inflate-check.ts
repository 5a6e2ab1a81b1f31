/**
 * A PDF decompression-bomb check, run before pdf.js sees the file.
 *
 * pdf.js keeps a decoded stream in one growing Uint8Array. That memory lives
 * outside the V8 heap, so a worker's `resourceLimits` do not cap it, and the
 * decoding is synchronous, so the worker's own memory watch cannot run while
 * it happens: a few KB of Flate-in-Flate that inflate to 1 GB of whitespace
 * took pdf.js 23 s and 1.6 GB of RSS on this machine. Flate can shrink data
 * about 1000× per layer, LZW about 2700×, and filters can be chained, so the
 * size on disk says nothing.
 *
 * Every stream (found as pdf.js would read it: pdf-streams.ts) is decoded
 * here through the filters that can expand it (pdf-filters.ts), counting
 * bytes and keeping none, and the file is refused (`too_large`) as soon as
 * one stream or all of them together pass a limit. A stream whose filter
 * cannot be known from the text is sniffed: its zlib layers are peeled while
 * the data starts with a zlib header.
 *
 * Image XObjects are measured against the per-stream limit only: pdf.js
 * decodes an image just up to the size its width and height declare (and not
 * at all above `maxImageSize`), so a long scan is not a bomb, but a content
 * stream merely labelled /Image would be decoded whole.
 *
 * The check cannot see into encrypted streams (they do not inflate until
 * decrypted); those are left to the worker's memory cap and the timeout.
 */
import { Readable, Writable, pipeline } from "node:stream";
import { constants, createInflate, inflateSync } from "node:zlib";
import { ReadError } from "../../extractors/errors.ts";
import { createDecoder, type FilterName } from "./pdf-filters.ts";
import { findPdfStreams, type PdfStreamInfo } from "./pdf-streams.ts";

export { findPdfStreams, type PdfStreamInfo } from "./pdf-streams.ts";

export interface PdfInflateLimits {
  /** Most bytes one stream may inflate to. */
  streamBytes: number;
  /** Most bytes all (non-image) streams together may inflate to. */
  totalBytes: number;
}

/** Deflate's ceiling: 258-byte matches in 2-bit codes give about 1032 output bytes per input byte. */
const MAX_FLATE_RATIO = 1032;
const SYNC_BOUND = 16 * 1024 * 1024;
/** Layers peeled off a stream whose filter is unknown, at most. */
const MAX_SNIFFED_LAYERS = 8;

/**
 * Bytes `data` decodes to through `chain`, counting up to `cap` + 1 and
 * keeping nothing. Damaged data counts what decoded before the damage:
 * telling it is damaged is pdf.js's job.
 */
export async function decodedSize(data: Uint8Array, chain: FilterName[], cap: number, earlyChange = 1): Promise<number> {
  // Most streams (fonts, page contents) are plain Flate and small enough that even a worst-case
  // ratio stays small: inflate those in one synchronous call, far cheaper than a stream pipeline.
  if (chain.every((f) => f === "FlateDecode") && flateWorstCase(data.length, chain.length) <= SYNC_BOUND) return inflatedSizeSync(data, chain.length);
  return new Promise((resolve) => {
    let total = 0;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve(total);
    };
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
    const source = Readable.from(slices(data, 64 * 1024));
    pipeline([source, ...chain.map((name) => createDecoder(name, { earlyChange })), counter], () => finish());
  });
}

function* slices(data: Uint8Array, size: number): Generator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield Buffer.from(data.buffer, data.byteOffset + at, Math.min(size, data.length - at));
}

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

/** A zlib header: deflate method, a window of at most 32 KB, and the check bits. */
const isZlibHeader = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && (a & 0x0f) === 8 && a >> 4 <= 7 && ((a << 8) | b) % 31 === 0;

/**
 * The Flate layers a stream of unknown filter seems to have: while the data
 * (or the start of what it inflates to) begins with a zlib header, one more.
 */
export async function sniffFlateLayers(data: Uint8Array): Promise<FilterName[]> {
  const chain: FilterName[] = [];
  let head: Uint8Array = data.subarray(0, HEAD_BYTES);
  while (chain.length < MAX_SNIFFED_LAYERS && isZlibHeader(head[0], head[1])) {
    chain.push("FlateDecode");
    head = await inflateHead(head);
  }
  return chain;
}

const HEAD_BYTES = 64 * 1024;

/** The first 64 KB (or less) that `data` inflates to; damage ends it early. */
function inflateHead(data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const inflate = createInflate({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 16 * 1024 });
    const done = () => {
      inflate.destroy();
      resolve(Buffer.concat(chunks).subarray(0, HEAD_BYTES));
    };
    inflate.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= HEAD_BYTES) done();
    });
    inflate.on("end", done);
    inflate.on("error", done);
    inflate.end(data);
  });
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * The most a stream can decode to whatever its data holds, when that is known: Flate-only chains,
 * by deflate's ceiling per layer. Other filters and
 * sniffed streams are unbounded here: they are always decoded.
 */
export function worstDecodedSize(stream: PdfStreamInfo): number {
  if (stream.sniff) return Infinity;
  let worst = 0;
  for (const chain of stream.chains) {
    if (!chain.every((f) => f === "FlateDecode")) return Infinity;
    worst = Math.max(worst, flateWorstCase(stream.end - stream.start, chain.length));
  }
  return worst;
}

/** The most `length` bytes can inflate to through `layers` Flate layers (one byte more per layer covers rounding). */
function flateWorstCase(length: number, layers: number): number {
  let size = length;
  for (let layer = 0; layer < layers; layer++) size = (size + 1) * MAX_FLATE_RATIO;
  return size;
}

/**
 * The streams whose decoding can decide the verdict. When even the worst case of every stream
 * together stays within the total limit, the total cannot be passed, so only the streams whose own
 * worst case passes the per-stream limit need decoding: most text PDFs (fonts and page contents of
 * tens of KB) need none. Otherwise every stream is decoded, as the total needs their real sizes.
 */
function streamsToDecode(streams: PdfStreamInfo[], limits: PdfInflateLimits): PdfStreamInfo[] {
  const worst = streams.map(worstDecodedSize);
  const worstTotal = worst.reduce((sum, size, i) => (streams[i]!.image ? sum : sum + size), 0);
  if (worstTotal > limits.totalBytes) return streams;
  return streams.filter((_, i) => worst[i]! > limits.streamBytes);
}

/** Refuses a PDF with a stream (or all streams together) decoding past the limits: `too_large`. */
export async function checkPdfInflation(bytes: Uint8Array, limits: PdfInflateLimits, fileName?: string): Promise<void> {
  let total = 0;
  for (const stream of streamsToDecode(findPdfStreams(bytes), limits)) {
    const data = bytes.subarray(stream.start, stream.end);
    const chains = stream.sniff ? [...stream.chains, await sniffFlateLayers(data)] : stream.chains;
    // An image does not count towards the total (see above); anything else shares the total's budget.
    const cap = stream.image ? limits.streamBytes : Math.min(limits.streamBytes, limits.totalBytes - total);
    let largest = 0;
    for (const chain of chains.filter((c) => c.length)) {
      const size = await decodedSize(data, chain, cap, stream.earlyChange);
      if (size > cap) {
        const what = cap < limits.streamBytes
          ? `its compressed streams inflate to more than ${mb(limits.totalBytes)} together`
          : `a compressed stream at byte ${stream.start} (${chain.join(", ")}) inflates to more than ${mb(limits.streamBytes)}`;
        throw new ReadError("too_large", `${what}, far more than a letter holds: refused as a decompression bomb`, fileName);
      }
      largest = Math.max(largest, size);
    }
    if (!stream.image) total += largest;
  }
}
