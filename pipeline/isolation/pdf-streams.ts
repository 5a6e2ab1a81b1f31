/**
 * Finding a PDF's streams and their filter chains lexically, without a PDF
 * parser, for the decompression-bomb check (pdf-inflate-check.ts).
 *
 * The scan must see every stream the way pdf.js will read it, or a bomb
 * slips past by being written differently. So it follows pdf.js where a
 * naive scan would not:
 * - names are compared after their #xx escapes ("/Fl#61teDecode"), and
 *   abbreviations count (/Fl, /AHx, /A85, /LZW, /RL; /F for /Filter);
 * - /Filter may be an indirect object, and so may each element of its
 *   array; /Length may be indirect too;
 * - comments may stand between a key and its value;
 * - the data starts after the end of the line that holds "stream" (junk
 *   before the line break is skipped), and ends at /Length when that is
 *   where "endstream" is, else at the first "endstream";
 * - every /Filter in the dictionary is taken as a candidate, so a decoy
 *   cannot hide the real one;
 * - where the filter cannot be known (a reference to an object inside a
 *   compressed object stream, a dictionary too long to be real), the data
 *   itself is to be sniffed for zlib layers (pdf-inflate-check.ts).
 */
import { filterName, isDecodable, type FilterName } from "./pdf-filters.ts";

export interface PdfStreamInfo {
  /** Offset of the stream data in the file. */
  start: number;
  end: number;
  /** Filter chains the dictionary may mean, each cut at its first filter that is not decoded here (image codecs). */
  chains: FilterName[][];
  /** The filter could not be known from the text: the data is to be sniffed for Flate layers. */
  sniff: boolean;
  /** Marked /Subtype /Image: pdf.js decodes it only up to its declared size. */
  image: boolean;
  /** LZW's /EarlyChange. */
  earlyChange: number;
}

/** PDF white space (NUL included) and comments, between tokens. */
const WS = String.raw`(?:[\s\0]|%[^\r\n]*[\r\n])*`;
const REF = String.raw`(\d+)${WS}(\d+)${WS}R`;
const NAME_END = String.raw`(?![^\s\0\/\[\]<>(){}%])`;
const NAME = String.raw`\/[^\s\0\/\[\]<>(){}%]*`;
const FILTER_KEY = new RegExp(String.raw`\/(?:Filter|F)${NAME_END}${WS}(\[[^\]]*\]|${NAME}|${REF})`, "g");
const LENGTH_KEY = new RegExp(String.raw`\/Length${NAME_END}${WS}(?:${REF}|(\d+))`);
const IMAGE = new RegExp(String.raw`\/Subtype${WS}\/Image${NAME_END}`);
const EARLY_CHANGE_0 = new RegExp(String.raw`\/EarlyChange${WS}0(?!\d)`);
const OBJ_HEADER = new RegExp(String.raw`(?<![\d.])(\d+)[\s\0]+(\d+)[\s\0]+obj${NAME_END}`, "g");
/** A stream dictionary longer than this is not a real one: its data is sniffed instead. */
const MAX_DICT_CHARS = 1024 * 1024;

/** Decodes #xx escapes, the way pdf.js reads names (in keys and values alike). */
const unescapeNames = (text: string) => text.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/** The streams of a PDF file with their data ranges and filter chains. */
export function findPdfStreams(bytes: Uint8Array): PdfStreamInfo[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const objects = new ObjectIndex(buf);
  const streams: PdfStreamInfo[] = [];
  for (let at = 0; ; ) {
    const keyword = buf.indexOf("stream", at, "latin1");
    if (keyword < 0) break;
    at = keyword + 6;
    if (buf[keyword - 1] === 0x64 /* d: endstream */) continue;
    // A stream is an indirect object: without a header before it, pdf.js cannot reach it either.
    const headerEnd = objects.headerEndBefore(keyword);
    if (headerEnd < 0) continue;
    const start = dataStart(buf, keyword + 6);
    if (start < 0) continue;
    const tooLong = keyword - headerEnd > MAX_DICT_CHARS;
    const dict = tooLong ? "" : unescapeNames(buf.toString("latin1", headerEnd, keyword));
    const end = dataEnd(buf, start, dict, objects);
    const { chains, unresolved } = filterChains(dict, objects);
    const sniff = tooLong || unresolved;
    if (chains.length || sniff) streams.push({ start, end, chains, sniff, image: IMAGE.test(dict), earlyChange: EARLY_CHANGE_0.test(dict) ? 0 : 1 });
    at = Math.max(at, end);
  }
  return streams;
}

/** Like pdf.js: the data starts after the next line break following "stream" (CR LF counts as one). */
function dataStart(buf: Buffer, afterKeyword: number): number {
  for (let p = afterKeyword; p < buf.length && p < afterKeyword + 1024; p++) {
    if (buf[p] === 0x0a) return p + 1;
    if (buf[p] === 0x0d) return buf[p + 1] === 0x0a ? p + 2 : p + 1;
  }
  return -1;
}

/** At /Length when "endstream" follows there (pdf.js trusts a correct length), else at the first "endstream". */
function dataEnd(buf: Buffer, start: number, dict: string, objects: ObjectIndex): number {
  const m = LENGTH_KEY.exec(dict);
  const indirect = m && m[1] !== undefined ? objects.body(Number(m[1]), Number(m[2]))?.match(/^[\s\0]*(\d+)/)?.[1] : undefined;
  const length = Number(m?.[3] ?? indirect ?? NaN);
  if (Number.isSafeInteger(length) && start + length <= buf.length) {
    const after = buf.toString("latin1", start + length, Math.min(buf.length, start + length + 16));
    if (/^[\s\0]*endstream/.test(after)) return start + length;
  }
  const endKeyword = buf.indexOf("endstream", start, "latin1");
  return endKeyword < 0 ? buf.length : endKeyword;
}

/**
 * Every filter chain the dictionary's /Filter (or /F) keys give, cut at the
 * first filter not decoded here; `unresolved` when a reference in them
 * points at no object in the file's text.
 */
function filterChains(dict: string, objects: ObjectIndex): { chains: FilterName[][]; unresolved: boolean } {
  const chains: FilterName[][] = [];
  let unresolved = false;
  FILTER_KEY.lastIndex = 0;
  for (let m = FILTER_KEY.exec(dict); m; m = FILTER_KEY.exec(dict)) {
    const value = m[2] !== undefined ? objects.body(Number(m[2]), Number(m[3])) : m[1]!;
    const names = value === null ? null : filterValues(value, objects);
    if (names === null) {
      unresolved = true;
      continue;
    }
    const chain: FilterName[] = [];
    for (const name of names) {
      if (!isDecodable(name)) break;
      chain.push(name);
    }
    if (chain.length) chains.push(chain);
  }
  return { chains, unresolved };
}

/** The names of a /Filter value (one name, or an array of names and references to names); null if a reference is unresolved. */
function filterValues(value: string, objects: ObjectIndex): string[] | null {
  const trimmed = value.replace(new RegExp(`^${WS}`), "");
  const isArray = trimmed.startsWith("[");
  const text = isArray ? trimmed.slice(0, trimmed.indexOf("]") + 1 || undefined) : trimmed;
  const tokens = new RegExp(String.raw`${REF}|${NAME}`, "g");
  const names: string[] = [];
  for (let m = tokens.exec(text); m; m = tokens.exec(text)) {
    if (m[1] !== undefined) {
      const target = objects.body(Number(m[1]), Number(m[2]))?.match(new RegExp(NAME))?.[0];
      if (!target) return null;
      names.push(filterName(target));
    } else names.push(filterName(m[0]));
    if (!isArray) break;
  }
  return names;
}

/**
 * The file's object headers ("12 0 obj"), found in one pass: where each
 * object's body starts, by number (the last definition wins, as in an
 * updated file), and which header precedes a given offset.
 */
class ObjectIndex {
  private readonly ends: number[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly buf: Buffer) {
    const text = buf.toString("latin1");
    OBJ_HEADER.lastIndex = 0;
    for (let m = OBJ_HEADER.exec(text); m; m = OBJ_HEADER.exec(text)) {
      const end = m.index + m[0].length;
      this.ends.push(end);
      this.byKey.set(`${Number(m[1])} ${Number(m[2])}`, end);
    }
  }

  /** The end of the last object header before `offset`, or -1. */
  headerEndBefore(offset: number): number {
    let lo = 0;
    let hi = this.ends.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! <= offset) {
        found = this.ends[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The text of object `num gen` up to "endobj" (at most 4 KB), names unescaped; null when the file has no such header. */
  body(num: number, gen: number): string | null {
    const key = `${num} ${gen}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    const start = this.byKey.get(key);
    let found: string | null = null;
    if (start !== undefined) {
      const end = this.buf.indexOf("endobj", start, "latin1");
      found = unescapeNames(this.buf.toString("latin1", start, Math.min(end < 0 ? this.buf.length : end, start + 4096)));
    }
    this.cache.set(key, found);
    return found;
  }
}
