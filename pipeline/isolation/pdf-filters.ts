/**
 * PDF stream filters as Node streams, for the decompression-bomb check
 * (pdf-inflate-check.ts): each turns a stream's data into what pdf.js would
 * decode it to, chunk by chunk, so a chain of filters can be measured without
 * holding its output. FlateDecode is zlib's; the others are not in any
 * library vanthu has (pdf.js keeps its decoders internal), so they are
 * written here after ISO 32000-1 §7.4. Image codecs (DCT, JPX, JBIG2,
 * CCITT) are not: pdf.js decodes an image only up to the size it declares.
 */
import { Transform, type TransformCallback } from "node:stream";
import { constants, createInflate } from "node:zlib";

export type FilterName = "FlateDecode" | "ASCIIHexDecode" | "ASCII85Decode" | "LZWDecode" | "RunLengthDecode";

/** Abbreviations (inline images use them, and pdf.js accepts them anywhere). */
const ABBREVIATIONS: Record<string, string> = { Fl: "FlateDecode", AHx: "ASCIIHexDecode", A85: "ASCII85Decode", LZW: "LZWDecode", RL: "RunLengthDecode" };
const DECODABLE = new Set<string>(["FlateDecode", "ASCIIHexDecode", "ASCII85Decode", "LZWDecode", "RunLengthDecode"]);

/** A name as pdf.js reads it: #xx escapes decoded ("/Fl#61teDecode" is FlateDecode), abbreviations expanded. */
export function filterName(raw: string): string {
  const name = raw.replace(/^\//, "").replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return ABBREVIATIONS[name] ?? name;
}

export const isDecodable = (name: string): name is FilterName => DECODABLE.has(name);

const CHUNK = 64 * 1024;
/** Input decoded between looks at the output's backlog. */
const SLICE = 1024;

/** A Transform whose `decode` turns each input chunk into output bytes, pushed in chunks of 64 KB. */
abstract class ByteDecoder extends Transform {
  private out = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  protected done = false;

  protected put(byte: number): void {
    this.out[this.used++] = byte;
    if (this.used === CHUNK) this.drain();
  }

  protected putBytes(source: Uint8Array, length: number): void {
    for (let at = 0; at < length; ) {
      const n = Math.min(length - at, CHUNK - this.used);
      this.out.set(source.subarray(at, at + n), this.used);
      this.used += n;
      at += n;
      if (this.used === CHUNK) this.drain();
    }
  }

  protected drain(): void {
    if (!this.used) return;
    this.push(Buffer.from(this.out.subarray(0, this.used)));
    this.used = 0;
  }

  protected abstract decode(chunk: Buffer): void;

  /**
   * Decodes the chunk a slice at a time and waits a turn whenever the output
   * is not being read fast enough: one slice of LZW can expand 2700×, and
   * pushing a whole chunk's output at once would hold it all in memory.
   */
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let at = 0;
    const step = () => {
      while (at < chunk.length && !this.done) {
        if (this.destroyed) return;
        const end = Math.min(chunk.length, at + SLICE);
        this.decode(chunk.subarray(at, end));
        this.drain();
        at = end;
        if (this.readableLength >= this.readableHighWaterMark) {
          setImmediate(step);
          return;
        }
      }
      callback();
    };
    step();
  }

  override _flush(callback: TransformCallback): void {
    this.finish();
    this.drain();
    callback();
  }

  protected finish(): void {}
}

const isWhite = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;

class AsciiHexDecoder extends ByteDecoder {
  private high = -1;

  protected decode(chunk: Buffer): void {
    for (const b of chunk) {
      if (b === 0x3e /* > */) {
        this.done = true;
        break;
      }
      const digit = b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x41 && b <= 0x46 ? b - 0x37 : b >= 0x61 && b <= 0x66 ? b - 0x57 : -1;
      if (digit < 0) continue; // white space (and, leniently like pdf.js, anything else)
      if (this.high < 0) this.high = digit;
      else {
        this.put((this.high << 4) | digit);
        this.high = -1;
      }
    }
  }

  protected override finish(): void {
    if (this.high >= 0) this.put(this.high << 4);
  }
}

class Ascii85Decoder extends ByteDecoder {
  private group: number[] = [];
  private tilde = false;

  protected decode(chunk: Buffer): void {
    for (const b of chunk) {
      if (this.tilde || b === 0x7e /* ~ */) {
        this.done = true;
        break;
      }
      if (isWhite(b)) continue;
      if (b === 0x7a /* z */ && this.group.length === 0) {
        for (let i = 0; i < 4; i++) this.put(0);
        continue;
      }
      if (b < 0x21 || b > 0x75) continue;
      this.group.push(b - 0x21);
      if (this.group.length === 5) this.flushGroup(4);
    }
  }

  private flushGroup(bytes: number): void {
    while (this.group.length < 5) this.group.push(84);
    let value = 0;
    for (const digit of this.group) value = value * 85 + digit;
    for (let i = 0; i < bytes; i++) this.put((value >>> (24 - 8 * i)) & 0xff);
    this.group = [];
  }

  protected override finish(): void {
    if (this.group.length > 1) this.flushGroup(this.group.length - 1);
  }
}

/**
 * LZW exactly as pdf.js decodes it (its LZWStream, step for step, down to
 * the 4096-entry typed arrays that silently drop writes past the end), so a
 * stream that pdf.js would expand cannot measure small here.
 */
class LzwDecoder extends ByteDecoder {
  private readonly values = new Uint8Array(4096);
  private readonly lengths = new Uint16Array(4096);
  private readonly prevCodes = new Uint16Array(4096);
  private readonly sequence = new Uint8Array(4096);
  private sequenceLength = 0;
  private nextCode = 258;
  private codeLength = 9;
  private prevCode = 0;
  private cached = 0;
  private bitsCached = 0;

  constructor(private readonly earlyChange: number) {
    super();
    for (let i = 0; i < 256; i++) {
      this.values[i] = i;
      this.lengths[i] = 1;
    }
  }

  protected decode(chunk: Buffer): void {
    for (const b of chunk) {
      this.cached = ((this.cached << 8) | b) & 0xffffff;
      this.bitsCached += 8;
      while (!this.done && this.bitsCached >= this.codeLength) {
        this.bitsCached -= this.codeLength;
        this.code((this.cached >>> this.bitsCached) & ((1 << this.codeLength) - 1));
      }
      if (this.done) return;
    }
  }

  private code(code: number): void {
    const hasPrev = this.sequenceLength > 0;
    if (code < 256) {
      this.sequence[0] = code;
      this.sequenceLength = 1;
    } else if (code >= 258) {
      if (code < this.nextCode) {
        this.sequenceLength = this.lengths[code]!;
        for (let j = this.sequenceLength - 1, q = code; j >= 0; j--) {
          this.sequence[j] = this.values[q]!;
          q = this.prevCodes[q]!;
        }
      } else {
        this.sequence[this.sequenceLength++] = this.sequence[0]!;
      }
    } else if (code === 256) {
      this.codeLength = 9;
      this.nextCode = 258;
      this.sequenceLength = 0;
      return;
    } else {
      this.done = true;
      return;
    }
    if (hasPrev) {
      this.prevCodes[this.nextCode] = this.prevCode;
      this.lengths[this.nextCode] = this.lengths[this.prevCode]! + 1;
      this.values[this.nextCode] = this.sequence[0]!;
      this.nextCode++;
      const n = this.nextCode + this.earlyChange;
      if ((n & (n - 1)) === 0) this.codeLength = Math.min(Math.log(n) / 0.6931471805599453 + 1, 12) | 0;
    }
    this.prevCode = code;
    this.putBytes(this.sequence, Math.min(this.sequenceLength, 4096));
    // Past the 4096-byte sequence buffer pdf.js copies undefined, which its buffer stores as 0.
    for (let j = 4096; j < this.sequenceLength; j++) this.put(0);
  }
}

class RunLengthDecoder extends ByteDecoder {
  private count = -1;
  private repeat = false;

  protected decode(chunk: Buffer): void {
    for (const b of chunk) {
      if (this.count < 0) {
        if (b === 128) {
          this.done = true;
          return;
        }
        this.repeat = b > 128;
        this.count = b > 128 ? 257 - b : b + 1;
        continue;
      }
      if (this.repeat) {
        for (let i = 0; i < this.count; i++) this.put(b);
        this.count = -1;
      } else if (--this.count >= 0) {
        this.put(b);
        if (this.count === 0) this.count = -1;
      }
    }
  }
}

export interface FilterOptions {
  /** LZW's /EarlyChange (default 1). */
  earlyChange?: number;
}

/** A decoding stream for one filter. */
export function createDecoder(name: FilterName, options: FilterOptions = {}): Transform {
  switch (name) {
    case "FlateDecode":
      // Damaged data ends the stream (pdf.js stops at the damage too); Z_SYNC_FLUSH lets a cut-short stream end quietly.
      return createInflate({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: CHUNK });
    case "ASCIIHexDecode":
      return new AsciiHexDecoder();
    case "ASCII85Decode":
      return new Ascii85Decoder();
    case "LZWDecode":
      return new LzwDecoder(options.earlyChange ?? 1);
    case "RunLengthDecode":
      return new RunLengthDecoder();
  }
}
