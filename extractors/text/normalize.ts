/**
 * Normalisation of one line of text as the extractors see it: Unicode NFC,
 * converter markup removed (`**526**`, `~~1302~~`, `*Sao gửi kèm*`, `HCTC_(Ph)`,
 * `<http://...>`), odd spaces folded, whitespace collapsed.
 */

import { isCollapsed } from "./chars.ts";

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
  /** The markup characters the text holds, so a line is searched for those alone. */
  markupChars: string;
}

const ODD_SPACES = /[\t\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;

// What one pass over a document learns of each code unit, as bits of a lookup table.
/** The unit lies outside NFC_STABLE_RANGES (or changes under NFC on its own): the text needs the NFC pass. */
const MAY_CHANGE_UNDER_NFC = 1;
/** An odd space or invisible character: tab, vertical tab, NBSP, soft hyphen and those above U+0100. */
const SPECIAL = 2;
/** A markup character: * ~ _ <. */
const MARKUP = 4;

/**
 * Code units that NFC leaves alone in any text made only of such units: each is its own NFC,
 * decomposes to a starter first and composes with none of the others (a vitest checks every
 * pair). Latin with the Vietnamese letters, general punctuation, arrows and the bullet shapes.
 */
export const NFC_STABLE_RANGES: readonly [number, number][] = [
  [0x0000, 0x02ff],
  [0x1e00, 0x1eff],
  [0x2000, 0x206f],
  [0x2190, 0x21ff],
  [0x25a0, 0x25ff],
];

const SPECIAL_UNITS = "\t\v\u00a0\u00ad\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff";

const MARKUP_CHARS = ["*", "~", "_", "<"];

const TEXT_TRAITS = (() => {
  const table = new Uint8Array(0x10000).fill(MAY_CHANGE_UNDER_NFC);
  for (const [from, to] of NFC_STABLE_RANGES) {
    for (let code = from; code <= to; code++) {
      const c = String.fromCharCode(code);
      if (c.normalize("NFC") === c) table[code] = 0;
    }
  }
  for (let i = 0; i < SPECIAL_UNITS.length; i++) table[SPECIAL_UNITS.charCodeAt(i)]! |= SPECIAL;
  for (const c of MARKUP_CHARS) table[c.charCodeAt(0)]! |= MARKUP;
  return table;
})();

/** The traits of all of a text's code units, or-ed together: one walk instead of a pass per question. */
function textTraits(text: string): number {
  let traits = 0;
  for (let i = 0; i < text.length; i++) traits |= TEXT_TRAITS[text.charCodeAt(i)]!;
  return traits;
}

/**
 * The whole-document passes for a reader that has all the text at once (NFC, odd
 * spaces to plain ones), and what its lines can need, for normalizePreparedLine.
 */
export function prepareText(raw: string): PreparedText {
  // A text of NFC-stable units only is its own NFC, and normalising it would only copy it.
  const rawTraits = textTraits(raw);
  let text = rawTraits & MAY_CHANGE_UNDER_NFC ? raw.normalize("NFC") : raw;
  const traits = text === raw ? rawTraits : textTraits(text);
  let invisible = false;
  if (traits & SPECIAL) {
    text = text.replace(ODD_SPACES, " ");
    invisible = HAS_INVISIBLE.test(text);
  }
  const markupChars = traits & MARKUP ? MARKUP_CHARS.filter((c) => text.includes(c)).join("") : "";
  return { text, invisible, markup: markupChars !== "", markupChars };
}

/** normalizeLine for a line of a prepared text: the same result, with the passes the text cannot need skipped. */
export function normalizePreparedLine(line: string, prepared: PreparedText): string {
  // Most lines of a text with markup have none: a search for the few characters the text holds
  // (often only the "_" of an e-mail address) spares them the markup pattern's scan.
  return tidyLine(line, true, prepared.invisible, prepared.markup && hasAnyOf(line, prepared.markupChars));
}

function hasAnyOf(text: string, chars: string): boolean {
  for (let i = 0; i < chars.length; i++) if (text.includes(chars[i]!)) return true;
  return false;
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
  // Most values are clean already: a look at their spaces spares building the same string again.
  return isCollapsed(s) ? s : s.replace(/\s+/g, " ").trim();
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
