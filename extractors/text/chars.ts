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
