/**
 * Normalisation of one line of text as the extractors see it: Unicode NFC,
 * converter markup removed (`**526**`, `~~1302~~`, `*Sao gửi kèm*`, `HCTC_(Ph)`,
 * `<http://...>`), odd spaces folded, whitespace collapsed.
 */

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const ODD_SPACE = /[\t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
// `*` and `~~` are emphasis/strike-through in every converter's markdown; a lone
// leading "* " is a bullet and is kept for the outline reader.
const EMPHASIS = /\*+|~~/g;
// `_` is markup only at a word edge; inside a word (vp_sct@...) it is data.
const UNDERSCORE_MARKUP = /(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu;
const AUTOLINK = /<((?:https?|ftp|mailto):[^>\s]+)>/g;

export function normalizeLine(raw: string): string {
  let s = raw.normalize("NFC").replace(INVISIBLE, "").replace(ODD_SPACE, " ");
  const bullet = /^\s*\*\s+/.exec(s);
  if (bullet) s = s.slice(bullet[0].length);
  s = s.replace(EMPHASIS, "").replace(UNDERSCORE_MARKUP, "").replace(AUTOLINK, "$1");
  s = s.replace(/\s+/g, " ").trim();
  return bullet && s ? `* ${s}` : s;
}

/** Collapses inner whitespace and trims; for values cut out of normalised text. */
export function cleanValue(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

const foldCache = new Map<string, string>();

function foldChar(c: string): string {
  let f = foldCache.get(c);
  if (f === undefined) {
    const base = c.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    f = c === "đ" || c === "Đ" ? "d" : base.length === 1 ? base : c.toLowerCase().slice(0, 1) || c;
    foldCache.set(c, f);
  }
  return f;
}

/**
 * Diacritic- and case-folded copy of an NFC string with the SAME length, so a
 * match found in the folded text is at the same offsets in the original. It
 * lets one keyword pattern accept HÒA/HOÀ, ủy/uỷ and all-caps headers.
 */
export function fold(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    out += code < 0x80 ? (code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : s[i]!) : foldChar(s[i]!);
  }
  return out;
}
