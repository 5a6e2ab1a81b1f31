/**
 * Which OCR words are text. tesseract reads whatever ink it finds: specks,
 * strokes of a signature, a seal, and at times the same row twice. These
 * are recognised by shape (box size), confidence and whether the word could
 * be a word of the language at all.
 */
import { isSyllable } from "../pdf/repair.ts";
import type { OcrWord } from "./tsv.ts";

export const median = (values: number[]): number | null => quantile(values, 0.5);

export function quantile(values: number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) * q)]!;
}

export const ALNUM = /[\p{L}\p{N}]/u;
/** Below this confidence (0–100) a word must at least look like Vietnamese, a number or an abbreviation. */
const JUNK_CONFIDENCE = 45;

/** Each part of the word is a number, a Vietnamese syllable or an abbreviation in capitals (UBND, QĐ). */
export function plausible(text: string): boolean {
  // Letters and digits apart: "ngày0Đ" (a word and a handwritten day run together) is two parts.
  const parts = text.split(/[^\p{L}\p{N}]+|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u).filter(Boolean);
  return parts.length > 0 && parts.every((p) => /^\d+$/.test(p) || isSyllable(p) || /^\p{Lu}{1,8}\d{0,4}$/u.test(p));
}
const alnumCount = (text: string) => [...text].filter((c) => ALNUM.test(c)).length;

/**
 * Words that are no text: specks read as a letter (a box far smaller than the
 * page's letters), marks read at next to no confidence, and the second reading
 * of the same ink (tesseract sometimes reads an underlined row twice, as two
 * overlapping lines): of two boxes that mostly overlap the more confident stays.
 */
export function cleanWords(words: OcrWord[]): OcrWord[] {
  const letterHeights = words.filter((w) => alnumCount(w.text) >= 2).map((w) => w.height);
  const typical = median(letterHeights) ?? 0;
  const kept = words.filter((w) => {
    const alnum = alnumCount(w.text);
    if (alnum > 0 && w.height < 0.4 * typical) return false;
    if (w.conf < 20 && alnum < 2) return false;
    // Punctuation taller than a letter, or anything three letters tall read unsure: seal and signature strokes.
    if (alnum === 0 && w.height > 1.5 * typical) return false;
    if (w.height > 3 * typical && w.conf < 60) return false;
    // A signature's strokes or a seal read as letters: unsure, and no word of the language.
    if (w.conf < JUNK_CONFIDENCE && !plausible(w.text)) return false;
    return true;
  });
  const dropped = new Set<OcrWord>();
  const byTop = [...kept].sort((a, b) => a.top - b.top);
  for (let i = 0; i < byTop.length; i++) {
    const a = byTop[i]!;
    for (let j = i + 1; j < byTop.length && byTop[j]!.top < a.top + a.height; j++) {
      const b = byTop[j]!;
      if (a.line === b.line || dropped.has(a) || dropped.has(b)) continue;
      const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
      const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
      if (w <= 0 || h <= 0) continue;
      if (w * h > 0.5 * Math.min(a.width * a.height, b.width * b.height)) dropped.add(a.conf >= b.conf ? b : a);
    }
  }
  return kept.filter((w) => !dropped.has(w));
}

