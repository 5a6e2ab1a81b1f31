/**
 * Mutations for the fuzz test (test/fuzz.test.ts): a seeded PRNG and ways to
 * damage a good letter the way transfers, tools and attackers do — flipped
 * bits, overwritten runs, truncation, duplicated or deleted chunks, two files
 * spliced, numbers in a PDF's syntax replaced by extreme ones, and for a DOCX
 * a part of the package rewritten or its compressed bytes corrupted.
 */
import JSZip from "jszip";

/** mulberry32: small, fast and the same on every platform, so a seed replays a run exactly. */
export function prng(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)]! };
}

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

type ByteMutation = (bytes: Uint8Array, r: Random, other: Uint8Array) => Uint8Array;

/** A random [start, end) range of at most `max` bytes. */
function range(length: number, r: Random, max: number): [number, number] {
  const start = r.int(Math.max(1, length));
  return [start, Math.min(length, start + 1 + r.int(max))];
}

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** Extreme values that break parsers that trust numbers: lengths, counts, offsets, sizes. */
const EXTREME_NUMBERS = ["0", "-1", "1", "2147483647", "4294967296", "99999999999999999999", "1e308", "-0", "3.5", "65535"];

export const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  "bit flips": (bytes, r) => {
    const out = new Uint8Array(bytes);
    for (let n = 1 + r.int(16); n > 0 && out.length; n--) out[r.int(out.length)]! ^= 1 << r.int(8);
    return out;
  },
  "byte run": (bytes, r) => {
    const out = new Uint8Array(bytes);
    const [start, end] = range(out.length, r, 512);
    const value = r.pick([0x00, 0xff, 0x20, 0x30, r.int(256)]);
    out.fill(value, start, end);
    return out;
  },
  "random run": (bytes, r) => {
    const out = new Uint8Array(bytes);
    const [start, end] = range(out.length, r, 256);
    for (let i = start; i < end; i++) out[i] = r.int(256);
    return out;
  },
  truncation: (bytes, r) => bytes.subarray(0, r.int(bytes.length)),
  "chunk duplication": (bytes, r) => {
    const [start, end] = range(bytes.length, r, 4096);
    const chunk = bytes.subarray(start, end);
    const copies = Array.from({ length: 1 + r.int(r.next() < 0.1 ? 200 : 3) }, () => chunk);
    const at = r.int(bytes.length + 1);
    return concat(bytes.subarray(0, at), ...copies, bytes.subarray(at));
  },
  "chunk deletion": (bytes, r) => {
    const [start, end] = range(bytes.length, r, 8192);
    return concat(bytes.subarray(0, start), bytes.subarray(end));
  },
  splice: (bytes, r, other) => concat(bytes.subarray(0, r.int(bytes.length + 1)), other.subarray(r.int(other.length + 1))),
  "extreme number": (bytes, r) => {
    // A number token of the file's syntax (a PDF's /Length, /Count, xref offsets; a DOCX's sizes) made extreme.
    const text = Buffer.from(bytes).toString("latin1");
    const numbers = [...text.matchAll(/(?<![\w.])\d+(?![\w.])/g)];
    if (!numbers.length) return bytes;
    const m = r.pick(numbers);
    return new Uint8Array(Buffer.from(text.slice(0, m.index) + r.pick(EXTREME_NUMBERS) + text.slice(m.index! + m[0].length), "latin1"));
  },
};

/** XML damage inside one part of a DOCX package. */
const XML_MUTATIONS: Record<string, (xml: string, r: Random) => string> = {
  "tag deletion": (xml, r) => {
    const tags = [...xml.matchAll(/<[^>]+>/g)];
    if (!tags.length) return xml;
    const m = r.pick(tags);
    return xml.slice(0, m.index) + xml.slice(m.index! + m[0].length);
  },
  "span deletion": (xml, r) => {
    const [start, end] = range(xml.length, r, 2000);
    return xml.slice(0, start) + xml.slice(end);
  },
  "deep nesting": (xml, r) => {
    const at = xml.indexOf("<w:body>");
    if (at < 0) return xml;
    const depth = 1 + r.int(5000);
    const cut = at + "<w:body>".length;
    return xml.slice(0, cut) + "<w:sdt><w:sdtContent>".repeat(depth) + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>".repeat(depth) + xml.slice(cut);
  },
  "attribute value": (xml, r) => {
    const values = [...xml.matchAll(/="([^"]*)"/g)];
    if (!values.length) return xml;
    const m = r.pick(values);
    const value = r.pick([...EXTREME_NUMBERS, "", "&#0;", "&#x110000;", "../../../../etc/passwd", "%1.%2.%3.%4.%5.%6.%7.%8.%9."]);
    return xml.slice(0, m.index) + `="${value}"` + xml.slice(m.index! + m[0].length);
  },
  "entity declaration": (xml) => xml.replace(/^(<\?xml[^>]*\?>)?/, (decl) => `${decl}<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>`),
  "many paragraphs": (xml, r) => xml.replace("<w:body>", "<w:body>" + "<w:p><w:r><w:t>1.</w:t></w:r></w:p>".repeat(1 + r.int(20000))),
};

/** Rewrites one XML part of a DOCX (document, numbering, styles, rels, content types) and zips it again. */
async function mutateDocxPart(bytes: Uint8Array, r: Random): Promise<{ bytes: Uint8Array; how: string }> {
  const zip = await JSZip.loadAsync(bytes);
  const parts = Object.keys(zip.files).filter((p) => /\.(xml|rels)$/.test(p));
  const part = r.pick(parts);
  const [how, mutate] = r.pick(Object.entries(XML_MUTATIONS));
  zip.file(part, mutate(await zip.file(part)!.async("string"), r));
  const out = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
  return { bytes: out, how: `${how} in ${part}` };
}

/** Damages the compressed bytes of one entry of a ZIP, leaving its headers intact. */
function corruptZipEntry(bytes: Uint8Array, r: Random): { bytes: Uint8Array; how: string } {
  const buf = Buffer.from(bytes);
  const entries: { name: string; start: number; end: number }[] = [];
  for (let p = buf.indexOf("PK\x03\x04", 0, "latin1"); p >= 0 && p + 30 <= buf.length; p = buf.indexOf("PK\x03\x04", p + 4, "latin1")) {
    const nameLength = buf.readUInt16LE(p + 26);
    const start = p + 30 + nameLength + buf.readUInt16LE(p + 28);
    entries.push({ name: buf.toString("utf8", p + 30, p + 30 + nameLength), start, end: Math.min(buf.length, start + buf.readUInt32LE(p + 18)) });
  }
  const entry = entries.length ? r.pick(entries) : null;
  if (!entry || entry.end <= entry.start) return { bytes, how: "zip entry corruption (no entry)" };
  for (let n = 1 + r.int(8); n > 0; n--) buf[entry.start + r.int(entry.end - entry.start)] = r.int(256);
  return { bytes: new Uint8Array(buf), how: `compressed bytes of ${entry.name} corrupted` };
}

/** One to three stacked mutations of `seed`; `how` says which, for the failure report. */
export async function mutate(seed: Seed, seeds: Seed[], r: Random): Promise<{ bytes: Uint8Array; how: string[] }> {
  let bytes = seed.bytes;
  const how: string[] = [];
  const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b;
  for (let n = 1 + r.int(3); n > 0; n--) {
    if (isZip(bytes) && r.next() < 0.5) {
      const result = r.next() < 0.6 ? await mutateDocxPart(bytes, r).catch(() => corruptZipEntry(bytes, r)) : corruptZipEntry(bytes, r);
      bytes = result.bytes;
      how.push(result.how);
      continue;
    }
    const [name, mutation] = r.pick(Object.entries(BYTE_MUTATIONS));
    const other = r.pick(seeds);
    bytes = mutation(bytes, r, other.bytes);
    how.push(name === "splice" ? `splice with ${other.name}` : name);
  }
  return { bytes, how };
}
