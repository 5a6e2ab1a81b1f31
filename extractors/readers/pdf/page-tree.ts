/**
 * A PDF's page tree read from its bytes, without pdf.js: the page objects in
 * page order, and the dictionary of any object. It exists so that placing a
 * signature widget on its page (signature-pages.ts) does not cost an
 * extraction worker pdf.js (~65 MB a thread, for good) when poppler reads the
 * text.
 *
 * Objects are found by scanning the file, as pdf.js does when it has to
 * rebuild a damaged cross-reference table: every "N G obj" outside stream
 * data, and every object inside a Flate-compressed object stream (/ObjStm).
 * Incremental updates append new versions, so of two definitions of an object
 * the later one in the file wins (an object stream counts at its own place).
 * The tree is then walked from the trailer's /Root, and trusted only when it
 * holds exactly the pages its root's /Count says: anything else (a broken or
 * encrypted file, a predictor on an object stream, a cycle) gives null, and
 * the caller asks pdf.js.
 */
import { inflateSync } from "node:zlib";

export interface ObjectRef {
  num: number;
  gen: number;
}

export interface PageTree {
  /** The page objects, in page order. */
  pages: ObjectRef[];
  /** The text of an object's dictionary (or array) as last defined in the file; null when it is not there. */
  object(ref: ObjectRef): string | null;
}

/** Most pages walked: far past what a letter has (the readers stop at MAX_PDF_PAGES). */
const MAX_PAGES = 10_000;
/** Deepest page tree walked (pdf.js's writers nest a few levels; a deeper one is broken or hostile). */
const MAX_DEPTH = 64;
/** Most bytes one object stream may inflate to. The pipeline measures every stream before a reader runs; this bounds direct callers. */
const MAX_OBJECT_STREAM_BYTES = 32 * 1024 * 1024;

const OBJ_HEADER = /(?<![\d.])(\d+)[\s\0]+(\d+)[\s\0]+obj(?![^\s\0/[\]<>(){}%])/g;
const REF = String.raw`(\d+)\s+(\d+)\s+R\b`;

interface Entry {
  gen: number;
  body: string;
}

export function readPageTree(bytes: Uint8Array): PageTree | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const objects = indexObjects(text);
  const object = (ref: ObjectRef) => {
    const entry = objects.get(ref.num);
    return entry && entry.gen === ref.gen ? entry.body : null;
  };
  const root = lastRoot(text);
  const catalog = root ? object(root) : null;
  const pagesRef = catalog ? refOf(catalog, "Pages") : null;
  const top = pagesRef ? object(pagesRef) : null;
  if (!pagesRef || !top) return null;
  const count = Number(new RegExp(String.raw`/Count\s+(\d+)`).exec(top)?.[1] ?? NaN);
  const pages: ObjectRef[] = [];
  const seen = new Set<number>();
  const walk = (ref: ObjectRef, depth: number): boolean => {
    if (depth > MAX_DEPTH || seen.has(ref.num) || pages.length > MAX_PAGES) return false;
    seen.add(ref.num);
    const node = object(ref);
    if (node === null) return false;
    const kids = kidsOf(node, object);
    if (kids === null) {
      pages.push(ref);
      return true;
    }
    return kids.every((kid) => walk(kid, depth + 1));
  };
  if (!walk(pagesRef, 0) || pages.length !== count) return null;
  return { pages, object };
}

/** The references in an object's /Annots array (inline or indirect); empty without one. */
export function annotationRefs(page: string, object: PageTree["object"]): ObjectRef[] {
  const inline = /\/Annots\s*\[([^\]]*)\]/.exec(page)?.[1];
  if (inline !== undefined) return refsIn(inline);
  const ref = refOf(page, "Annots");
  const array = ref ? object(ref) : null;
  return array ? refsIn(/^\s*\[([^\]]*)\]/.exec(array)?.[1] ?? "") : [];
}

/** An object's /Rect, when it has one of four numbers. */
export function rectOf(dict: string): number[] | null {
  const rect = /\/Rect\s*\[([^\]]*)\]/.exec(dict)?.[1]?.trim().split(/\s+/).map(Number);
  return rect && rect.length === 4 && rect.every(Number.isFinite) ? rect : null;
}

/** A node's kids (a /Pages node), or null for a leaf (a page: no /Kids). */
function kidsOf(node: string, object: PageTree["object"]): ObjectRef[] | null {
  const inline = /\/Kids\s*\[([^\]]*)\]/.exec(node)?.[1];
  if (inline !== undefined) return refsIn(inline);
  const ref = refOf(node, "Kids");
  if (!ref) return null;
  const array = object(ref);
  return refsIn(array ? (/^\s*\[([^\]]*)\]/.exec(array)?.[1] ?? "") : "");
}

function refOf(dict: string, key: string): ObjectRef | null {
  const m = new RegExp(String.raw`/${key}\s*${REF}`).exec(dict);
  return m ? { num: Number(m[1]), gen: Number(m[2]) } : null;
}

function refsIn(text: string): ObjectRef[] {
  return [...text.matchAll(new RegExp(REF, "g"))].map((m) => ({ num: Number(m[1]), gen: Number(m[2]) }));
}

/** The latest trailer's (or cross-reference stream's) /Root. */
function lastRoot(text: string): ObjectRef | null {
  let root: ObjectRef | null = null;
  for (const m of text.matchAll(new RegExp(String.raw`/Root\s*${REF}`, "g"))) root = { num: Number(m[1]), gen: Number(m[2]) };
  return root;
}

/**
 * Every object's last definition. A stream's data is skipped (its bytes could
 * spell "1 0 obj"); an object stream's objects are read out of it.
 */
function indexObjects(text: string): Map<number, Entry> {
  const objects = new Map<number, Entry>();
  OBJ_HEADER.lastIndex = 0;
  for (let m = OBJ_HEADER.exec(text); m; m = OBJ_HEADER.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf("endobj", start);
    const stream = streamKeyword(text, start, end < 0 ? text.length : end);
    const isStream = stream >= 0;
    const body = text.slice(start, isStream ? stream : end < 0 ? text.length : end);
    objects.set(Number(m[1]), { gen: Number(m[2]), body });
    if (!isStream) {
      if (end < 0) break;
      OBJ_HEADER.lastIndex = end;
      continue;
    }
    const dataEnd = text.indexOf("endstream", stream + 6);
    if (/\/Type\s*\/ObjStm\b/.test(body)) {
      for (const [num, inner] of objectStream(text, body, stream + 6, dataEnd < 0 ? text.length : dataEnd)) objects.set(num, { gen: 0, body: inner });
    }
    if (dataEnd < 0) break;
    OBJ_HEADER.lastIndex = dataEnd;
  }
  return objects;
}

/** Where the keyword "stream" that follows a dictionary stands between `from` and `to`, or -1. */
function streamKeyword(text: string, from: number, to: number): number {
  for (let at = text.indexOf("stream", from); at >= 0 && at < to; at = text.indexOf("stream", at + 6)) {
    if (/>>[\s\0]*$/.test(text.slice(Math.max(from, at - 64), at))) return at;
  }
  return -1;
}

/** The objects of an object stream (/N of them, from /First on), or none when it cannot be decoded here. */
function objectStream(text: string, dict: string, afterKeyword: number, dataEnd: number): [number, string][] {
  const n = Number(/\/N\s+(\d+)/.exec(dict)?.[1] ?? NaN);
  const first = Number(/\/First\s+(\d+)/.exec(dict)?.[1] ?? NaN);
  const filters = /\/Filter\s*(\[[^\]]*\]|\/\w+)/.exec(dict)?.[1]?.match(/\/\w+/g) ?? [];
  // Only what writers use for object streams: Flate (or nothing), without a predictor.
  const flate = filters.length === 1 && (filters[0] === "/FlateDecode" || filters[0] === "/Fl");
  if (!Number.isFinite(n) || !Number.isFinite(first) || (filters.length && !flate) || /\/Predictor\s+(?!1\b)\d/.test(dict)) return [];
  let start = afterKeyword;
  if (text[start] === "\r") start++;
  if (text[start] === "\n") start++;
  let data = text.slice(start, dataEnd);
  try {
    if (flate) data = inflateSync(Buffer.from(data, "latin1"), { maxOutputLength: MAX_OBJECT_STREAM_BYTES }).toString("latin1");
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
