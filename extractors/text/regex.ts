/**
 * Every match of a global pattern, as `[...text.matchAll(re)]` gives them.
 * matchAll clones the pattern on each call, which costs more than the match
 * itself on the short texts the field extractors search thousands of times.
 * All matches are collected before the caller sees any, so a loop body may use
 * the same pattern again. `re` must have the g flag; it is left with lastIndex 0.
 */
export function allMatches(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m);
    // An empty match would be found again at the same place: step past it as matchAll does.
    if (m[0] === "") re.lastIndex = advance(text, re.lastIndex, re.unicode || re.flags.includes("v"));
  }
  return out;
}

/** The index after `index`, stepping over a whole surrogate pair in Unicode mode. */
function advance(text: string, index: number, unicode: boolean): number {
  if (!unicode || index + 1 >= text.length) return index + 1;
  const first = text.charCodeAt(index);
  const second = text.charCodeAt(index + 1);
  return first >= 0xd800 && first <= 0xdbff && second >= 0xdc00 && second <= 0xdfff ? index + 2 : index + 1;
}
