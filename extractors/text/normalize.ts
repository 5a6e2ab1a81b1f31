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
const BULLET = /^\s*\*\s+/;

export function normalizeLine(raw: string, isNfc = false, plainSpaces = false): string {
  // \s covers NBSP and the other odd spaces; the collapse below turns them into plain spaces.
  // A reader that normalised the whole document to NFC (and odd spaces to plain ones) first says so
  // and skips those per-line passes.
  return tidyLine(isNfc ? raw : raw.normalize("NFC"), plainSpaces, true, true);
}

/** A document's text after the passes that need doing only once for all of it. */
export interface PreparedText {
  /** NFC, with odd spaces (tab, NBSP, thin space...) made plain spaces. */
  text: string;
  /** Whether the text has an invisible character (zero-width space, soft hyphen...) for lines to drop. */
  invisible: boolean;
  /** Whether the text has a markup character (* ~ _ <): without one no line needs the markup pass. */
  markup: boolean;
}

const ODD_SPACES = /[\t\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;
// The odd spaces and invisible characters above U+0100. V8 scans a class that mixes control
// characters with high code points several times slower than this one, so the gate below tests
// the low ones (tab, vertical tab, NBSP, soft hyphen) one by one.
const HIGH_SPECIALS = /[\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/;

function hasSpecials(text: string): boolean {
  return text.includes("\t") || text.includes("\v") || text.includes("\u00a0") || text.includes("\u00ad") || HIGH_SPECIALS.test(text);
}

/**
 * The whole-document passes for a reader that has all the text at once (NFC, odd
 * spaces to plain ones), and what its lines can need, for normalizePreparedLine.
 */
export function prepareText(raw: string): PreparedText {
  let text = raw.normalize("NFC");
  let invisible = false;
  if (hasSpecials(text)) {
    text = text.replace(ODD_SPACES, " ");
    invisible = HAS_INVISIBLE.test(text);
  }
  return { text, invisible, markup: NEEDS_MARKUP_PASS.test(text) };
}

/** normalizeLine for a line of a prepared text: the same result, with the passes the text cannot need skipped. */
export function normalizePreparedLine(line: string, prepared: PreparedText): string {
  return tidyLine(line, true, prepared.invisible, prepared.markup);
}

function tidyLine(nfc: string, plainSpaces: boolean, invisible: boolean, markup: boolean): string {
  let s = nfc;
  if (invisible && HAS_INVISIBLE.test(s)) s = s.replace(INVISIBLE, "");
  // A bullet is a "*", a markup character: a text without any has none.
  const bullet = markup ? BULLET.exec(s) : null;
  if (bullet) s = s.slice(bullet[0].length);
  if (markup && NEEDS_MARKUP_PASS.test(s)) s = s.replace(EMPHASIS, "").replace(UNDERSCORE_MARKUP, "").replace(AUTOLINK, "$1");
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

const recentFolds = new Map<string, string>();
const UTF16 = new TextDecoder("utf-16le");
/** Up to this length the folded codes become a string through fromCharCode (cheapest); longer ones through the decoder. */
const SHORT_FOLD = 1024;

/**
 * The folded copy, uncached. `wellFormed`: a lone surrogate becomes U+FFFD, as the
 * UTF-16 decoder makes it; cached and one-off folds have always been decoded that way.
 */
function foldCodes(s: string, wellFormed: boolean): string {
  const n = s.length;
  if (n > SHORT_FOLD) {
    const out = new Uint16Array(n);
    for (let i = 0; i < n; i++) out[i] = FOLD_TABLE[s.charCodeAt(i)]!;
    return UTF16.decode(out);
  }
  const codes: number[] = new Array(n);
  let surrogate = false;
  for (let i = 0; i < n; i++) {
    const code = FOLD_TABLE[s.charCodeAt(i)]!;
    codes[i] = code;
    if (code >= 0xd800 && code <= 0xdfff) surrogate = true;
  }
  if (surrogate && wellFormed) return UTF16.decode(Uint16Array.from(codes));
  return String.fromCharCode.apply(null, codes);
}

/**
 * Diacritic- and case-folded copy of an NFC string with the SAME length, so a
 * match found in the folded text is at the same offsets in the original. It
 * lets one keyword pattern accept HÒA/HOÀ, ủy/uỷ and all-caps headers.
 * Each code unit folds on its own, so fold(s).slice(a, b) is fold(s.slice(a, b)):
 * a caller that holds the fold of a whole text slices it rather than folding a piece again.
 */
export function fold(s: string): string {
  // Short keys and prefixes are not worth a cache entry.
  if (s.length <= 64) return foldCodes(s, false);
  const cached = recentFolds.get(s);
  if (cached !== undefined) return cached;
  const folded = foldCodes(s, true);
  // The same block and item texts are folded by several extractors in one pass.
  if (recentFolds.size > 4096) recentFolds.clear();
  recentFolds.set(s, folded);
  return folded;
}

/** fold() for a one-off window of text (a slice made for this call): not worth a cache entry. */
export function foldOnce(s: string): string {
  return foldCodes(s, true);
}
