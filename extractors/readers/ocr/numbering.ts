/**
 * Item labels misread by OCR, repaired from the numbering itself. The labels
 * of a letter form sequences (I., II., III. for sections in capitals; 1., 2.
 * and 5.1., 5.2. for items), so a label that breaks its sequence in a way
 * one look-alike explains can only be the one the sequence expects.
 */
import { isAllCaps } from "../../text/vietnamese.ts";

const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];
const ROMAN_LABEL = /^(X?I{1,3}|I?V|VI{1,3}|I?X)\.\s+(.*)$/u;

/** Repairs the lines' labels in place (texts in document order). */
export function repairLabels(texts: string[]): void {
  for (let i = 0; i < texts.length; i++) texts[i] = repairMultilevel(texts[i]!);
  repairRoman(texts);
  repairArabicStops(texts);
  repairLetters(texts);
}

/** Letter labels in the order the letters use them: the Vietnamese alphabet, without f, j, w, z. */
const LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"];
const LETTER_LABEL = /^(\S)\)\s+(?=\p{Lu})/u;

/**
 * "ø) Củng cố ..." after "e)": a letter label misread as a sign no label
 * uses, or as a letter out of turn between its neighbours ("a) b) e) d)"),
 * is the letter the sequence expects.
 */
function repairLetters(texts: string[]): void {
  const labels: { index: number; letter: string }[] = [];
  texts.forEach((text, index) => {
    const m = LETTER_LABEL.exec(text);
    if (m && !/\d/.test(m[1]!)) labels.push({ index, letter: m[1]! });
  });
  labels.forEach((label, k) => {
    const prev = k > 0 ? LETTERS.indexOf(labels[k - 1]!.letter) : -1;
    const expected = LETTERS[prev + 1];
    if (prev < 0 || !expected || label.letter === expected) return;
    const next = labels[k + 1] ? LETTERS.indexOf(labels[k + 1]!.letter) : -1;
    const known = LETTERS.includes(label.letter);
    // An unknown sign takes the expected letter; a known letter only when its neighbours vouch for it.
    if (known && next !== prev + 2) return;
    if (!known && /[\p{L}]/u.test(label.letter) === false && !/[øœ@©®°]/u.test(label.letter)) return;
    texts[label.index] = `${expected}${texts[label.index]!.slice(1)}`;
    label.letter = expected;
  });
}

/**
 * Item numbers misread: "8, Chủ động" (the stop read as a comma), "ẩ. Triển
 * khai" or "`. Đẩy mạnh" (the digit read as a sign). Only where the sequence
 * asks for exactly that number: the item before is N and the next one N + 2,
 * or the misread keeps the digit N + 1 itself.
 */
function repairArabicStops(texts: string[]): void {
  const arabic = texts.map((t) => /^(\d{1,2})\.\s/u.exec(t)?.[1]).map((n) => (n ? Number(n) : null));
  let last = 0;
  texts.forEach((text, i) => {
    if (arabic[i] !== null) {
      last = arabic[i]!;
      return;
    }
    const m = /^(\S{1,2})[.,:;]\s+(?=\p{Lu})/u.exec(text);
    if (!m || last === 0) return;
    const next = arabic.slice(i + 1).find((n) => n !== null) ?? null;
    const sameDigit = m[1] === String(last + 1);
    if (sameDigit || (next === last + 2 && !/^\d+$/.test(m[1]!))) {
      texts[i] = `${last + 1}. ${text.slice(m[0].length)}`;
      arabic[i] = ++last;
    }
  });
}

/**
 * "$.2. Phòng Đào tạo": in a multi-level label ("5.2.") only digits stand
 * between the dots; $, S and § there are the 5 they look like, O the 0.
 */
function repairMultilevel(text: string): string {
  const m = /^([\d$S§O]{1,2}(?:\.[\d$S§O]{1,2})+)(\.?\s)/u.exec(text);
  if (!m || !/\d/.test(m[1]!) || !/[$S§O]/u.test(m[1]!)) return text;
  return m[1]!.replace(/[$S§]/gu, "5").replace(/O/gu, "0") + text.slice(m[1]!.length);
}

/**
 * Roman section headings (capitals) count up one by one. A second "I." in
 * sentence case after a section has begun is the item "1." ("I. Tăng cường
 * ..." under "II. NỘI DUNG"); a heading repeating the number before it where
 * the next heading leaves a gap ("II. KINH PHÍ" between "II." and "IV.") is
 * the number in the gap.
 */
function repairRoman(texts: string[]): void {
  const headings: { index: number; value: number; rest: string }[] = [];
  texts.forEach((text, index) => {
    const m = ROMAN_LABEL.exec(text);
    if (m) headings.push({ index, value: ROMAN.indexOf(m[1]!) + 1, rest: m[2]! });
  });
  // "L. Chỉ đạo chung ..." before the first "II.": the heading "I." with its stroke read as L, l or |.
  const firstRoman = headings[0];
  if (firstRoman?.value === 2) {
    for (let i = firstRoman.index - 1; i >= 0; i--) {
      const m = /^[Ll|]\.\s+(.*)$/u.exec(texts[i]!);
      if (!m) continue;
      texts[i] = `I. ${m[1]}`;
      headings.unshift({ index: i, value: 1, rest: m[1]! });
      break;
    }
  }
  let last = 0;
  for (const [k, h] of headings.entries()) {
    if (h.value === 1 && last >= 1 && !isAllCaps(h.rest)) {
      texts[h.index] = `1. ${h.rest}`;
      continue;
    }
    if (!isAllCaps(h.rest)) continue;
    const next = headings.slice(k + 1).find((n) => isAllCaps(n.rest));
    if (h.value === last && last < ROMAN.length && (!next || next.value > last + 1)) {
      h.value = last + 1;
      texts[h.index] = `${ROMAN[last]}. ${h.rest}`;
    }
    last = h.value;
  }
}
