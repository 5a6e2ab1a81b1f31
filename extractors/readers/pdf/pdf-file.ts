/**
 * A PDF's objects and pages read from its bytes, without pdf.js: the scan
 * reader finds page images with it (ocr/pdf-placement.ts; pdf.js's operator
 * list decodes every image it meets, ~0.3 s a JPEG page in JavaScript), and
 * signature widgets are placed on their pages with it (signature-pages.ts;
 * loading pdf.js for that alone costs an extraction worker ~65 MB for good).
 *
 * Objects are found by scanning the file for "N G obj", as pdf.js does when
 * it rebuilds a damaged cross-reference table, and inside Flate object
 * streams; of two definitions the later one in the file wins (incremental
 * updates append). The page tree is walked from the last /Root and trusted
 * only when it holds the pages its /Count says. Whatever this does not read
 * (an encrypted file, a predictor on an object stream, a broken tree) gives
 * null, and pdf.js takes the file.
 */
import { constants, inflateSync } from "node:zlib";
import { isDict, isName, isRef, Lexer, parseObject, type PdfValue, type Ref } from "./pdf-objects.ts";

export type Dict = Map<string, PdfValue>;

export interface PdfPage {
  ref: Ref;
  dict: Dict;
  /** /Resources and /Rotate, inherited from the page's ancestors when it has none of its own. */
  resources: Dict;
  rotate: number;
}

export interface PdfFile {
  pages: PdfPage[];
  /** An object, references followed; undefined when it is not in the file. */
  resolve(value: PdfValue | undefined): PdfValue | undefined;
  /** A stream object's dictionary, its data as stored, and decoded on demand (throws on a filter not read here); null when it is no stream. */
  stream(ref: Ref): { dict: Dict; raw: Buffer; data(): Buffer } | null;
}

/** Far past what a letter has; a deeper or larger tree is broken or hostile. */
const MAX_PAGES = 10_000;
const MAX_DEPTH = 64;
/** Most bytes one stream may inflate to (content streams of a scan are a few hundred bytes). */
const MAX_STREAM_BYTES = 32 * 1024 * 1024;

const OBJ_HEADER = /(?<![\d.])(\d+)[\s\0]+(\d+)[\s\0]+obj(?![^\s\0/[\]<>(){}%])/g;

interface Entry {
  gen: number;
  /** Where the object's value starts in `text`, or its text when it came out of an object stream. */
  at: number | string;
  data?: [number, number];
}

export function openPdfFile(bytes: Uint8Array): PdfFile | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString("latin1");
  if (/\/Encrypt\b/.test(text)) return null;
  const objects = indexObjects(text);
  const cache = new Map<number, PdfValue>();
  const get = (ref: Ref): PdfValue | undefined => {
    const entry = objects.get(ref.num);
    if (!entry || entry.gen !== ref.gen) return undefined;
    if (!cache.has(ref.num)) cache.set(ref.num, parseObject(typeof entry.at === "string" ? entry.at : text.slice(entry.at, entry.data?.[0] ?? text.length)));
    return cache.get(ref.num);
  };
  const resolve = (value: PdfValue | undefined) => (isRef(value) ? get(value) : value);
  const stream = (ref: Ref) => {
    const entry = objects.get(ref.num);
    const dict = get(ref);
    if (!entry?.data || !isDict(dict)) return null;
    const raw = buffer.subarray(...entry.data);
    return { dict, raw, data: () => decode(raw, dict, resolve) };
  };
  try {
    const pages = readPages(text, resolve);
    return pages ? { pages, resolve, stream } : null;
  } catch {
    return null;
  }
}

function readPages(text: string, resolve: PdfFile["resolve"]): PdfPage[] | null {
  let root: Ref | null = null;
  for (const m of text.matchAll(/\/Root\s*(\d+)\s+(\d+)\s+R\b/g)) root = { num: Number(m[1]), gen: Number(m[2]) };
  const catalog = root ? resolve(root) : undefined;
  const top = isDict(catalog) ? catalog.get("Pages") : undefined;
  const topDict = resolve(top);
  if (!isRef(top) || !isDict(topDict)) return null;
  const pages: PdfPage[] = [];
  const seen = new Set<number>();
  const walk = (ref: Ref, depth: number, resources: Dict, rotate: number): boolean => {
    if (depth > MAX_DEPTH || seen.has(ref.num) || pages.length > MAX_PAGES) return false;
    seen.add(ref.num);
    const node = resolve(ref);
    if (!isDict(node)) return false;
    const own = resolve(node.get("Resources"));
    const here = isDict(own) ? own : resources;
    const turn = resolve(node.get("Rotate"));
    const angle = typeof turn === "number" ? turn : rotate;
    const kids = resolve(node.get("Kids"));
    if (!Array.isArray(kids)) {
      pages.push({ ref, dict: node, resources: here, rotate: angle });
      return true;
    }
    return kids.every((kid) => isRef(kid) && walk(kid, depth + 1, here, angle));
  };
  const count = resolve(topDict.get("Count"));
  if (!walk(top, 0, new Map(), 0) || pages.length !== count) return null;
  return pages;
}

/** Every object's last definition: where its value starts, and a stream's data (never searched for objects). */
function indexObjects(text: string): Map<number, Entry> {
  const objects = new Map<number, Entry>();
  OBJ_HEADER.lastIndex = 0;
  for (let m = OBJ_HEADER.exec(text); m; m = OBJ_HEADER.exec(text)) {
    const at = m.index + m[0].length;
    const entry: Entry = { gen: Number(m[2]), at };
    objects.set(Number(m[1]), entry);
    let end: number;
    try {
      const lexer = new Lexer(text);
      lexer.pos = at;
      const value = lexer.next();
      const after = /^[\s\0]*stream(\r\n|\r|\n)?/.exec(text.slice(lexer.pos, lexer.pos + 32));
      if (!after || !isDict(value)) {
        end = lexer.pos;
      } else {
        const start = lexer.pos + after[0].length;
        const length = value.get("Length");
        const stop = typeof length === "number" && /^[\s\0]*endstream/.test(text.slice(start + length, start + length + 32)) ? start + length : text.indexOf("endstream", start);
        end = stop < 0 ? text.length : stop;
        entry.data = [start, end];
        if (isName(value.get("Type")) && (value.get("Type") as { name: string }).name === "ObjStm") {
          for (const [num, inner] of objectStream(Buffer.from(text.slice(start, end), "latin1"), value)) objects.set(num, { gen: 0, at: inner });
        }
      }
    } catch {
      end = at;
    }
    OBJ_HEADER.lastIndex = Math.max(end, at);
  }
  return objects;
}

/** The objects of an object stream (/N of them, from /First on); none when it cannot be decoded here. */
function objectStream(raw: Buffer, dict: Map<string, PdfValue>): [number, string][] {
  const n = dict.get("N");
  const first = dict.get("First");
  if (typeof n !== "number" || typeof first !== "number") return [];
  let data: string;
  try {
    data = decode(raw, dict, (v) => v).toString("latin1");
  } catch {
    return [];
  }
  const header = data.slice(0, first).trim().split(/\s+/).map(Number);
  if (header.length < 2 * n || header.some((v) => !Number.isInteger(v))) return [];
  const out: [number, string][] = [];
  for (let i = 0; i < n; i++) {
    const from = first + header[2 * i + 1]!;
    const to = i + 1 < n ? first + header[2 * i + 3]! : data.length;
    out.push([header[2 * i]!, data.slice(from, to)]);
  }
  return out;
}

/** A stream's data through its filters: Flate without a predictor, or none; anything else throws. */
function decode(raw: Buffer, dict: Map<string, PdfValue>, resolve: PdfFile["resolve"]): Buffer {
  const filter = resolve(dict.get("Filter"));
  const filters = filter === undefined || filter === null ? [] : Array.isArray(filter) ? filter.map((f) => resolve(f)) : [filter];
  const parms = resolve(dict.get("DecodeParms"));
  const parm = Array.isArray(parms) ? resolve(parms[0]) : parms;
  if (isDict(parm) && (resolve(parm.get("Predictor")) ?? 1) !== 1) throw new Error("a predictor");
  let data = raw;
  for (const f of filters) {
    if (!isName(f) || (f.name !== "FlateDecode" && f.name !== "Fl")) throw new Error(`filter ${isName(f) ? f.name : "?"}`);
    // Sync flush: a stream cut short by a writer still gives what it holds, as pdf.js reads it.
    data = inflateSync(data, { maxOutputLength: MAX_STREAM_BYTES, finishFlush: constants.Z_SYNC_FLUSH });
  }
  return data;
}
