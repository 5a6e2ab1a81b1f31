/**
 * Normalisation of one line of text as the extractors see it: Unicode NFC,
 * converter markup removed (`**526**`, `~~1302~~`, `*Sao gửi kèm*`, `HCTC_(Ph)`,
 * `<http://...>`), odd spaces folded, whitespace collapsed.
 */

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const HAS_INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/;
const ODD_WHITESPACE = /[\t\n\r\v\f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
// `*` and `~~` are emphasis/strike-through in every converter's markdown; a lone
// leading "* " is a bullet and is kept for the outline reader.
const EMPHASIS = /\*+|~~/g;
// `_` is markup only at a word edge; inside a word (vp_sct@...) it is data.
const UNDERSCORE_MARKUP = /(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu;
const AUTOLINK = /<((?:https?|ftp|mailto):[^>\s]+)>/g;

const NEEDS_MARKUP_PASS = /[*~_<]/;

export function normalizeLine(raw: string, isNfc = false, plainSpaces = false): string {
  // \s covers NBSP and the other odd spaces; the collapse below turns them into plain spaces.
  // A reader that normalised the whole document to NFC (and odd spaces to plain ones) first says so
  // and skips those per-line passes.
  let s = isNfc ? raw : raw.normalize("NFC");
  if (HAS_INVISIBLE.test(s)) s = s.replace(INVISIBLE, "");
  const bullet = /^\s*\*\s+/.exec(s);
  if (bullet) s = s.slice(bullet[0].length);
  if (NEEDS_MARKUP_PASS.test(s)) s = s.replace(EMPHASIS, "").replace(UNDERSCORE_MARKUP, "").replace(AUTOLINK, "$1");
  if (s.includes("  ") || s.charCodeAt(0) === 32 || s.charCodeAt(s.length - 1) === 32 || (!plainSpaces && ODD_WHITESPACE.test(s))) {
    s = s.replace(/\s+/g, " ").trim();
  }
  return bullet && s ? `* ${s}` : s;
}

/** Collapses inner whitespace and trims; for values cut out of normalised text. */
export function cleanValue(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

// Folding table for the Basic Multilingual Plane: each code unit maps to one
// code unit (Vietnamese precomposed letters fold to their ASCII base), so the
// folded text keeps every offset. Built once; folding is then a table lookup.
const FOLD_TABLE = (() => {
  const table = new Uint16Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    let folded = code;
    if (code >= 65 && code <= 90) folded = code + 32;
    else if (code >= 0xc0 && !(code >= 0xd800 && code <= 0xdfff)) {
      const c = String.fromCharCode(code);
      const base = c === "đ" || c === "Đ" ? "d" : c.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
      folded = base.length === 1 ? base.charCodeAt(0) : c.toLowerCase().length === 1 ? c.toLowerCase().charCodeAt(0) : code;
    }
    table[code] = folded;
  }
  return table;
})();

const FOLD_CHARS = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code));
const recentFolds = new Map<string, string>();
const UTF16 = new TextDecoder("utf-16le");

/**
 * Diacritic- and case-folded copy of an NFC string with the SAME length, so a
 * match found in the folded text is at the same offsets in the original. It
 * lets one keyword pattern accept HÒA/HOÀ, ủy/uỷ and all-caps headers.
 */
/** fold() for a one-off window of text (a slice made for this call): not worth a cache entry. */
export function foldOnce(s: string): string {
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = FOLD_TABLE[s.charCodeAt(i)]!;
  return UTF16.decode(out);
}

export function fold(s: string): string {
  const cacheable = s.length > 64;
  if (!cacheable) {
    // Short keys and prefixes: concatenation beats allocating a buffer and a decoder call.
    let short = "";
    for (let i = 0; i < s.length; i++) short += FOLD_CHARS[FOLD_TABLE[s.charCodeAt(i)]!];
    return short;
  }
  const cached = recentFolds.get(s);
  if (cached !== undefined) return cached;
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = FOLD_TABLE[s.charCodeAt(i)]!;
  const folded = UTF16.decode(out);
  // The same block and item texts are folded by several extractors in one pass.
  if (cacheable) {
    if (recentFolds.size > 4096) recentFolds.clear();
    recentFolds.set(s, folded);
  }
  return folded;
}
