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

/**
 * Each part of the word is a number, a Vietnamese syllable or an abbreviation in capitals (UBND,
 * QĐ). Abbreviations of bodies run long in Nơi nhận lists: a committee and its level in one word
 * ("UBMTTQVNTP", Ủy ban MTTQ Việt Nam thành phố) is ten capitals and more.
 */
export function plausible(text: string): boolean {
  // Letters and digits apart: "ngày0Đ" (a word and a handwritten day run together) is two parts.
  const parts = text.split(/[^\p{L}\p{N}]+|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u).filter(Boolean);
  return parts.length > 0 && parts.every((p) => /^\d+$/.test(p) || isSyllable(p) || /^\p{Lu}{1,12}\d{0,4}$/u.test(p));
}
const alnumCount = (text: string) => [...text].filter((c) => ALNUM.test(c)).length;

/**
 * Words that are no text: specks read as a letter (a box far smaller than the
 * page's letters), marks read at next to no confidence, and the second reading
 * of the same ink (tesseract sometimes reads an underlined row twice, as two
 * overlapping lines): of two boxes that mostly overlap the more confident stays.
 */
export function cleanWords(input: OcrWord[]): OcrWord[] {
  const letterHeights = input.filter((w) => alnumCount(w.text) >= 2).map((w) => w.height);
  const typical = median(letterHeights) ?? 0;
  const { words, bullets } = markBullets(input, typical);
  const kept = words.filter((w) => {
    if (bullets.has(w)) return true;
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

/**
 * Dash bullets. A list item's "-" is a short flat stroke that tesseract reads
 * unsure and as any dash or as "~", "_", "=" (seen at confidence 1 to 90 on
 * the shared scans); dropped as noise, the item would run into the one before.
 * A flat mark opening a line, left of a word, is the bullet "-".
 * (`bullets` holds the words kept whatever their confidence. A set rather than
 * a property added to those words: words of one shape keep V8's optimised
 * code for the layout from being thrown away on every page.)
 */
function markBullets(words: OcrWord[], typical: number): { words: OcrWord[]; bullets: Set<OcrWord> } {
  const firstOfLine = new Map<string, OcrWord>();
  for (const w of words) {
    const first = firstOfLine.get(w.line);
    if (!first || w.left < first.left) firstOfLine.set(w.line, w);
  }
  const bullets = new Set<OcrWord>();
  const marked = words.map((w) => {
    const flat = w.height < 0.5 * typical && w.width < 1.5 * typical && w.width > w.height;
    if (firstOfLine.get(w.line) === w && flat && /^[-–—~_=‐−]+$/u.test(w.text)) {
      const bullet = { ...w, text: "-" };
      bullets.add(bullet);
      return bullet;
    }
    // A short mark with a stop opening a line ("ẩ." read at confidence 0 where "3." stands) is an
    // item label misread: kept for the numbering repair (numbering.ts) to put right.
    if (firstOfLine.get(w.line) === w && /^[^\s.,]{1,2}[.,]$/u.test(w.text)) bullets.add(w);
    return w;
  });
  return { words: marked, bullets };
}

/**
 * tesseract's lines cut into rows at wide gaps. With one-column segmentation
 * a row of the left header column and a row of the right one may come as one
 * line although they do not share a baseline (the columns are set
 * independently); each part gets its own baseline.
 */
export function segments(words: OcrWord[]): OcrWord[][] {
  const byLine = new Map<string, OcrWord[]>();
  for (const w of words) {
    const list = byLine.get(w.line);
    if (list) list.push(w);
    else byLine.set(w.line, [w]);
  }
  const out: OcrWord[][] = [];
  for (const list of byLine.values()) {
    const sorted = [...list].sort((a, b) => a.left - b.left);
    const height = median(sorted.map((w) => w.height))!;
    const parts: OcrWord[][] = [[]];
    for (const w of sorted) {
      const current = parts[parts.length - 1]!;
      const prev = current[current.length - 1];
      if (prev && w.left - (prev.left + prev.width) > 2 * height) parts.push([w]);
      else current.push(w);
    }
    // A label or bullet set off by a tab ("6.", "-", "a)") is no row of its own: it stays with
    // the text it opens, or its one box would have to define a baseline and a type size alone.
    for (let i = 0; i < parts.length; i++) {
      if (parts.length > 1 && parts[i]!.length === 1 && parts[i]![0]!.text.length <= 3) {
        const into = i + 1 < parts.length ? i + 1 : i - 1;
        parts[into] = i < into ? [...parts[i]!, ...parts[into]!] : [...parts[into]!, ...parts[i]!];
        parts.splice(i, 1);
        i--;
      }
    }
    out.push(...parts.filter((p) => p.length));
  }
  return out;
}
