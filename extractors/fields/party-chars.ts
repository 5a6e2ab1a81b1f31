import { isLetterCode, isSpaceCode, skipSpaces } from "../text/chars.ts";

/**
 * Character tests the party rules run on every candidate, written as walks over
 * character codes. Each answers exactly what the regex named in its comment
 * answers; a regex call costs more than the whole walk on these short texts.
 */

/** `/^[\p{L}]/u.test(s)`. */
export function startsWithLetter(s: string): boolean {
  const first = s.charCodeAt(0);
  // A letter outside the BMP is a surrogate pair: the code-unit table does not know it, the regex does.
  if (first >= 0xd800 && first <= 0xdbff) return /^\p{L}/u.test(s);
  return isLetterCode(first);
}

/** `/^\S+\s?/u.exec(s)[0].length` for a text that starts with a non-space: its first word and one space after it. */
export function firstWordAndSpace(s: string): number {
  let i = 0;
  while (i < s.length && !isSpaceCode(s.charCodeAt(i))) i++;
  return i < s.length ? i + 1 : i;
}

/** Code units of "," ";" "-" "–": with white space, what partyAt trims from a party's end (trimEndOf). */
export const PARTY_TAIL = [0x2c, 0x3b, 0x2d, 0x2013];
/** And "." ":" as well: what tidyParty trims. */
export const TIDY_TAIL = [0x2e, 0x2c, 0x3b, 0x3a, 0x2d, 0x2013];

/**
 * The length of the separator at `from` between two parties of a list, or -1:
 * `/^\s*[,;]\s*|^\s+và\s+/u.exec(text.slice(from))?.[0].length`.
 */
export function listSeparatorLength(text: string, from: number): number {
  const i = skipSpaces(text, from);
  const code = text.charCodeAt(i);
  if (code === 0x2c || code === 0x3b) return skipSpaces(text, i + 1) - from;
  // "và" needs white space on both sides (no "vào").
  if (i > from && text.startsWith("và", i) && isSpaceCode(text.charCodeAt(i + 2))) return skipSpaces(text, i + 2) - from;
  return -1;
}

/** `part.split(/(\s*,\s*|\s+và\s+)/u)`: the pieces of a list with the separators between them (odd indices). */
export function splitListSeparators(part: string): string[] {
  const out: string[] = [];
  let pieceStart = 0;
  for (let sep = nextListSeparator(part, 0); sep; sep = nextListSeparator(part, pieceStart)) {
    out.push(part.slice(pieceStart, sep[0]), part.slice(sep[0], sep[1]));
    pieceStart = sep[1];
  }
  out.push(part.slice(pieceStart));
  return out;
}

/**
 * The leftmost "," or "và" separator at or after `from`, as [start, end), found from the next
 * comma and the next "và" instead of trying every position. A separator starts where the white
 * space before its comma or "và" starts (no later one can start before it: those are not spaces).
 */
function nextListSeparator(text: string, from: number): [number, number] | null {
  const comma = text.indexOf(",", from);
  let va = text.indexOf("và", from);
  // "và" separates only with white space on both sides (no "vào").
  while (va >= 0 && !(va > from && isSpaceCode(text.charCodeAt(va - 1)) && isSpaceCode(text.charCodeAt(va + 2)))) va = text.indexOf("và", va + 1);
  if (comma < 0 && va < 0) return null;
  const atComma = va < 0 || (comma >= 0 && comma < va);
  const anchor = atComma ? comma : va;
  let start = anchor;
  while (start > from && isSpaceCode(text.charCodeAt(start - 1))) start--;
  return [start, skipSpaces(text, anchor + (atComma ? 1 : 2))];
}
