/**
 * Who signed a digitally signed PDF, and when. pdf.js drops a signature
 * field's value (the /Sig dictionary) from what it returns, so the dictionary
 * is read from the file's bytes: /M is the signing time, and the signer is the
 * common name of the certificate that signed (found in the PKCS#7 /Contents),
 * else /Name. Everything here is best effort: a field it cannot resolve (an
 * object stream, an odd encoding) yields nulls, never an error.
 */
import { X509Certificate } from "node:crypto";

export interface SignatureInfo {
  signer: string | null;
  /** ISO 8601 with offset, from /M ("D:20250109100916+07'00'"). */
  signedAt: string | null;
  rect: number[];
  page: number;
}

export interface RawSignature {
  rect: number[];
  /** The widget's page (its /P reference), when it names one: which page it is on needs the page tree. */
  pageRef: { num: number; gen: number } | null;
  name: string | null;
  time: string | null;
  certName: string | null;
}

/**
 * Reads every signature field's /Sig dictionary, keyed by the widget's
 * rectangle. A widget redefined by an incremental update is one widget: its
 * last definition wins.
 */
export function readRawSignatures(bytes: Uint8Array): RawSignature[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  if (!text.includes("/Sig")) return [];
  const byWidget = new Map<string, RawSignature>();
  for (const m of text.matchAll(/\/FT\s*\/Sig\b/g)) {
    const widget = enclosingObject(text, m.index);
    if (!widget) continue;
    const { id, body } = widget;
    const rect = /\/Rect\s*\[([^\]]*)\]/.exec(body)?.[1]?.trim().split(/\s+/).map(Number);
    const ref = /\/V\s+(\d+)\s+(\d+)\s+R/.exec(body);
    if (!rect || rect.length !== 4 || !ref) continue;
    const sig = lastObject(text, Number(ref[1]), Number(ref[2]));
    if (!sig) continue;
    const contents = /\/Contents\s*<([0-9a-fA-F\s]+)>/.exec(sig)?.[1];
    const top = topLevel(sig.replace(/\/Contents\s*<[0-9a-fA-F\s]*>/, ""));
    const page = /\/P\s+(\d+)\s+(\d+)\s+R/.exec(body);
    byWidget.set(id ?? `at ${m.index}`, {
      rect,
      pageRef: page ? { num: Number(page[1]), gen: Number(page[2]) } : null,
      name: pdfString(/\/Name\s*(\((?:\\.|[^\\)])*\)|<[0-9a-fA-F\s]*>)/.exec(top)?.[1]),
      time: pdfDate(pdfString(/\/M\s*(\((?:\\.|[^\\)])*\))/.exec(top)?.[1])),
      certName: contents ? signerCommonName(Buffer.from(contents.replace(/\s+/g, ""), "hex")) : null,
    });
  }
  return [...byWidget.values()];
}

/** The raw signature whose widget has this rectangle (pdf.js normalises it; compare loosely). */
export function matchSignature(raw: RawSignature[], rect: number[]): RawSignature | null {
  const norm = (r: number[]) => [Math.min(r[0]!, r[2]!), Math.min(r[1]!, r[3]!), Math.max(r[0]!, r[2]!), Math.max(r[1]!, r[3]!)];
  const want = norm(rect);
  return raw.find((s) => norm(s.rect).every((v, i) => Math.abs(v - want[i]!) < 1)) ?? null;
}

export function signerOf(raw: RawSignature | null): string | null {
  return raw?.certName ?? raw?.name ?? null;
}

/** The object around `at`: its number and generation ("153 0", when they can be read) and its body. */
function enclosingObject(text: string, at: number): { id: string | null; body: string } | null {
  const start = text.lastIndexOf(" obj", at);
  const end = text.indexOf("endobj", at);
  if (start < 0 || end < 0 || at - start > 4000) return null;
  const header = /(\d+)\s+(\d+)$/.exec(text.slice(Math.max(0, start - 24), start));
  return { id: header ? `${header[1]} ${header[2]}` : null, body: text.slice(start + 4, end) };
}

/**
 * The last definition of an object wins: incremental updates append new
 * versions. Writers put one space in "146 0 obj", found by a plain search from
 * the end (a regular expression over a signed file's megabyte of hex took
 * ~1 ms per object); other white space by the expression.
 */
function lastObject(text: string, num: number, gen: number): string | null {
  const needle = `${num} ${gen} obj`;
  let at = text.lastIndexOf(needle);
  while (at >= 0 && (/\d/.test(text[at - 1] ?? "") || /\w/.test(text[at + needle.length] ?? ""))) at = at > 0 ? text.lastIndexOf(needle, at - 1) : -1;
  let last = at >= 0 ? at + needle.length : -1;
  if (last < 0) {
    const re = new RegExp(`(?:^|[^0-9])${num}\\s+${gen}\\s+obj\\b`, "g");
    for (const m of text.matchAll(re)) last = m.index + m[0].length;
  }
  if (last < 0) return null;
  const end = text.indexOf("endobj", last);
  return end < 0 ? null : text.slice(last, end);
}

/** The dictionary's own entries: nested dictionaries (/Prop_Build's app /Name) removed. */
function topLevel(dict: string): string {
  let s = dict.trim().replace(/^<<|>>\s*$/g, "");
  for (let i = 0; i < 10 && /<<[^<>]*>>/.test(s); i++) s = s.replace(/<<[^<>]*>>/g, " ");
  return s;
}

/** A PDF string literal or hex string: UTF-16BE with a BOM, else PDFDocEncoding (≈ Latin-1). */
function pdfString(raw: string | undefined): string | null {
  if (!raw) return null;
  let bytes: number[];
  if (raw.startsWith("<")) {
    const hex = raw.slice(1, -1).replace(/\s+/g, "");
    bytes = (hex.match(/../g) ?? []).map((h) => parseInt(h, 16));
  } else {
    bytes = [];
    const s = raw.slice(1, -1);
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (c !== "\\") {
        bytes.push(c.charCodeAt(0) & 0xff);
        continue;
      }
      const n = s[++i] ?? "";
      const oct = /^[0-7]{1,3}/.exec(s.slice(i, i + 3));
      if (oct) {
        bytes.push(parseInt(oct[0], 8) & 0xff);
        i += oct[0].length - 1;
      } else bytes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[n] ?? n.charCodeAt(0));
    }
  }
  const buf = Buffer.from(bytes);
  const value = buf[0] === 0xfe && buf[1] === 0xff ? buf.subarray(2).swap16().toString("utf16le") : buf.toString("latin1");
  return value.trim() || null;
}

/** "D:20250109100916+07'00'" → "2025-01-09T10:09:16+07:00". */
export function pdfDate(raw: string | null): string | null {
  const m = raw ? /^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?/.exec(raw) : null;
  if (!m) return null;
  const [, y, mo = "01", d = "01", h = "00", mi = "00", s = "00", sign, oh, om = "00"] = m;
  const zone = sign === "+" || sign === "-" ? `${sign}${oh ?? "00"}:${om}` : sign ? "Z" : "";
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`;
}

// ---- PKCS#7 / CMS: just enough DER to find the signing certificate's subject CN.

interface Tlv {
  tag: number;
  start: number;
  end: number;
  /** Offset of the tag byte, so the whole element can be cut out. */
  at: number;
}

function readTlv(buf: Buffer, at: number): Tlv | null {
  if (at + 2 > buf.length) return null;
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[p + i] ?? 0);
    p += n;
  }
  return p + len <= buf.length ? { tag, start: p, end: p + len, at } : null;
}

function children(buf: Buffer, node: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = node.start; at < node.end; ) {
    const c = readTlv(buf, at);
    if (!c) break;
    out.push(c);
    at = c.end;
  }
  return out;
}

/**
 * ContentInfo → [0] SignedData → certificates [0] and signerInfos; the signer
 * is the certificate whose serial number the first SignerInfo names.
 */
function signerCommonName(der: Buffer): string | null {
  try {
    const info = readTlv(der, 0);
    const explicit = info ? children(der, info)[1] : undefined;
    const signedData = explicit ? children(der, explicit)[0] : undefined;
    if (!signedData) return null;
    const parts = children(der, signedData);
    const certNode = parts.find((p) => p.tag === 0xa0);
    const signerInfos = parts[parts.length - 1];
    const certs = certNode ? children(der, certNode).map((c) => new X509Certificate(der.subarray(c.at, c.end))) : [];
    if (!certs.length) return null;
    let serial: string | null = null;
    const first = signerInfos ? children(der, signerInfos)[0] : undefined;
    const sid = first ? children(der, first)[1] : undefined;
    if (sid && sid.tag === 0x30) {
      const serialNode = children(der, sid)[1];
      if (serialNode) serial = der.subarray(serialNode.start, serialNode.end).toString("hex").replace(/^(?:00)+/, "").toUpperCase();
    }
    const cert =
      certs.find((c) => serial !== null && c.serialNumber.replace(/^0+/, "").toUpperCase() === serial.replace(/^0+/, "")) ??
      certs.find((c) => !certs.some((other) => other !== c && other.issuer === c.subject)) ??
      certs[0]!;
    return commonName(cert.subject);
  } catch {
    return null;
  }
}

function commonName(subject: string): string | null {
  const cn = subject.split("\n").find((part) => part.startsWith("CN="));
  return cn ? cn.slice(3).trim() || null : null;
}
