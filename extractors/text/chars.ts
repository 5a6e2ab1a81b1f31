/**
 * Character classes as tests on one UTF-16 code unit, for loops that walk a
 * text character by character: a table lookup instead of a regex call (and a
 * one-character string) per character. Each answers exactly what the regex
 * it stands for answers for `text[i]`.
 */

/** Per code unit: bit 1 = /\s/, bit 2 = /\p{L}/u, bit 4 = /\p{N}/u. */
const CLASSES = (() => {
  const table = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    const c = String.fromCharCode(code);
    table[code] = (/\s/.test(c) ? 1 : 0) | (/\p{L}/u.test(c) ? 2 : 0) | (/\p{N}/u.test(c) ? 4 : 0);
  }
  return table;
})();

/** `/\s/.test(text[i])` for code = text.charCodeAt(i). */
export function isSpaceCode(code: number): boolean {
  return (CLASSES[code]! & 1) !== 0;
}

/** `/\p{L}/u.test(text[i])` for code = text.charCodeAt(i) (a lone surrogate is no letter). */
export function isLetterCode(code: number): boolean {
  return (CLASSES[code]! & 2) !== 0;
}

/** Whether every code unit of `s` is a letter or a number on its own (no surrogate pairs, no marks, no punctuation). */
export function allLettersOrNumbers(s: string): boolean {
  for (let i = 0; i < s.length; i++) if ((CLASSES[s.charCodeAt(i)]! & 6) === 0) return false;
  return true;
}

/** `s.split(/\s+/).length > max`, counting the words only as far as it must. */
export function moreWordsThan(s: string, max: number): boolean {
  let words = 1; // split always gives at least one piece
  if (words > max) return true;
  for (let i = 0; i < s.length; i++) {
    if (!isSpaceCode(s.charCodeAt(i))) continue;
    if (++words > max) return true;
    while (i + 1 < s.length && isSpaceCode(s.charCodeAt(i + 1))) i++;
  }
  return false;
}

/**
 * `s.replace(/[\s<tail>]+$/u, "")`: the text without the white space and `tail` characters it ends
 * with, found from the end instead of by a pattern's scan of all of it.
 */
export function trimEndOf(s: string, tail: readonly number[]): string {
  let end = s.length;
  while (end > 0) {
    const code = s.charCodeAt(end - 1);
    if (!isSpaceCode(code) && !tail.includes(code)) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

const DASHES = [0x2d, 0x2013];
const STOPS = [0x2e, 0x3b, 0x2c, 0x3a];

/** `s.replace(/[\s\-–]+$/u, "")`: drops the spaces and dashes a phrase ends with. */
export const trimEndSpacesAndDashes = (s: string) => trimEndOf(s, DASHES);

/** `s.replace(/[\s.;,:]+$/u, "")`: drops the spaces and punctuation a value ends with. */
export const trimEndSpacesAndStops = (s: string) => trimEndOf(s, STOPS);

/** The index of the first character at or after `from` that is not white space (the length when none is). */
export function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
  return i;
}

/** `/\s/.test(s)`, by the table. */
export function hasSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isSpaceCode(s.charCodeAt(i))) return true;
  return false;
}

/** Whether `s.replace(/\s+/g, " ").trim()` gives `s` back: no space at either end, and only single plain spaces inside. */
export function isCollapsed(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  if (isSpaceCode(s.charCodeAt(0)) || isSpaceCode(s.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const code = s.charCodeAt(i);
    if (isSpaceCode(code) && (code !== 32 || isSpaceCode(s.charCodeAt(i + 1)))) return false;
  }
  return true;
}
