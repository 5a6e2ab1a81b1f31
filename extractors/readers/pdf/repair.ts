/**
 * Repairs of a PDF text layer's Vietnamese: pdf.js returns what the fonts map
 * to, which may be decomposed (NFD) or split inside a syllable with a space
 * ("ĐIỀ U", "Tr ình") where the producer positioned the pieces apart.
 */

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/gu;

// Vietnamese phonotactics, on a lower-case syllable without its tone mark.
const ONSET = "(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnpqrstvx])?";
// Rimes that may stand without a final consonant, may take one, or must take one.
const OPEN_RIME = "ai|ao|au|ay|âu|ây|eo|êu|iu|oi|ôi|ơi|ui|ưi|ưu|ươi|ươu|iêu|yêu|oai|oao|oay|oeo|uây|uôi|uya|uyu|ia|ya|ưa|ua|uơ";
const CODA_OPTIONAL = "a|e|ê|i|y|o|ô|ơ|u|ư|oa|oe|uê|uy";
const CODA_REQUIRED = "ă|â|iê|yê|uô|ươ|oă|uâ|uyê";
const CODA = "(?:ch|ng|nh|[cmnpt])";
const SYLLABLE = new RegExp(`^${ONSET}(?:(?:${OPEN_RIME})|(?:${CODA_OPTIONAL})${CODA}?|(?:${CODA_REQUIRED})${CODA})$`, "u");

const knownSyllables = new Map<string, boolean>();
/** Distinct words remembered at most; a letter uses a few hundred, so the cache rarely fills. */
const KNOWN_SYLLABLES_LIMIT = 20_000;

/** Whether a word (any case, with tone) is one well-formed Vietnamese syllable. */
export function isSyllable(word: string): boolean {
  // Two normalisations and a pattern per call, and every pair of adjacent words on a PDF line asks
  // about both: remembered, since a letter's words repeat.
  let known = knownSyllables.get(word);
  if (known === undefined) {
    const bare = word.normalize("NFD").replace(TONES, "").normalize("NFC").toLowerCase();
    known = SYLLABLE.test(bare);
    if (knownSyllables.size >= KNOWN_SYLLABLES_LIMIT) knownSyllables.clear();
    knownSyllables.set(word, known);
  }
  return known;
}

const LETTERS_AT_END = /[\p{L}]+$/u;
const LETTERS_AT_START = /^[\p{L}]+/u;

/**
 * Removes a space that splits one syllable: the two pieces are joined when
 * together they make a well-formed syllable and at least one of them cannot
 * stand alone ("ĐIỀ" needs a final consonant, "tr" has no vowel). Abbreviations
 * ("UBND tỉnh", "TP Huế") stay apart because their join is no syllable either.
 */
export function joinSplitSyllables(line: string): string {
  const tokens = line.split(" ");
  const out: string[] = [];
  for (const token of tokens) {
    const prev = out[out.length - 1];
    if (prev !== undefined && shouldJoin(prev, token)) out[out.length - 1] = prev + token;
    else out.push(token);
  }
  return out.join(" ");
}

function shouldJoin(a: string, b: string): boolean {
  // Only the letters at the seam: "(Tr" + "ình)" is still a split syllable.
  const left = LETTERS_AT_END.exec(a)?.[0];
  const right = LETTERS_AT_START.exec(b)?.[0];
  if (!left || !right) return false;
  // Two whole syllables stay apart: the common case, and the cheapest test (isSyllable remembers).
  if (isSyllable(left) && isSyllable(right)) return false;
  // Case must continue: "ĐIỀ U" or "Tr ình", never "tại Đà".
  const upperRight = right === right.toUpperCase();
  const upperLeft = left === left.toUpperCase();
  if (upperRight && !upperLeft) return false;
  if (upperLeft && !upperRight && left.length > 1) return false;
  return isSyllable(left + right);
}

const HAS_MARK = /\p{M}/u;

// Private-use bullets that Symbol/Wingdings fonts map to.
const PUA_BULLETS = /[\uF0A7\uF0B7\uF076\uF0D8\uF0FC\uF06C\uF0A8]/gu;

/**
 * NFC, a space before a combining mark removed ("Vie ̣t" → "Việt"), PUA
 * bullets mapped to "•", and split syllables joined.
 */
export function repairText(raw: string): string {
  // A space before a mark can only come from a mark in the text (a precomposed letter decomposes
  // to its base letter first): without one, the round trip through NFD is plain NFC.
  let s = HAS_MARK.test(raw) ? raw.normalize("NFD").replace(/(\p{L}\p{M}*)\s+(?=\p{M})/gu, "$1").normalize("NFC") : raw.normalize("NFC");
  s = s.replace(PUA_BULLETS, "•").replace(/\u00A0/g, " ");
  return joinSplitSyllables(s);
}
