/**
 * The signer's name under the seal. The seal is pressed over the left third
 * of the signature and often over the first letters of the name below it
 * (ND 30/2020, Phụ lục I: the seal covers about a third of the signature,
 * to the left). Even with the red dropped, the seal's ring and text leave
 * grey ink that tesseract takes into the first word's box: the page read
 * gives that word at next to no confidence ("'Trân", box twice a letter's
 * height), and the closing rules drop it as seal noise, leaving half a name.
 *
 * When the name row of the closing (right column, below "Nơi nhận") has
 * such a word beside words read sure, that one row is read again on its
 * own (a single text line) in a box only as tall as the sure words' type,
 * which leaves most of the ring outside. The second reading is taken when it
 * is a name (capitalised syllables) that keeps the sure words in order.
 */
import { fold } from "../../text/normalize.ts";
import { isSyllable } from "../pdf/repair.ts";
import { cropImage, type GrayImage } from "./image.ts";
import type { RowReader } from "./slots.ts";
import type { OcrWord } from "./tsv.ts";
import { median, segments } from "./words.ts";

/** Confidence (0–100) of a word read sure; the seal's word is far below it. */
const SURE = 80;
/** A Vietnamese personal name: family name, middle names, given name. */
const MIN_NAME_WORDS = 2;
const MAX_NAME_WORDS = 5;

/** A word of a name: a capitalised syllable, not a title in capitals. */
const nameWord = (text: string) => /^\p{Lu}\p{Ll}/u.test(text) && isSyllable(text);
const bare = (text: string) => text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");

/** The name row: the lowest row of the closing's right column whose sure words are all name words. */
function nameRow(words: OcrWord[], width: number): OcrWord[] | null {
  const label = words.find((w) => w.left < width / 2 && fold(w.text).startsWith("nhan") && words.some((v) => v.line === w.line && fold(v.text) === "noi"));
  if (!label) return null;
  const rows = segments(words).filter((row) => row[0]!.top > label.top && Math.min(...row.map((w) => w.left)) > width * 0.45);
  let found: OcrWord[] | null = null;
  for (const row of rows) {
    const sure = row.filter((w) => w.conf >= SURE);
    if (!sure.length || sure.length > MAX_NAME_WORDS || !sure.every((w) => nameWord(bare(w.text)))) continue;
    if (!found || row[0]!.top > found[0]!.top) found = row;
  }
  return found;
}

/** The re-read words when they make a name that keeps the sure words of the first reading, in order. */
function acceptable(again: OcrWord[], sure: OcrWord[]): OcrWord[] | null {
  const named = again.map((w) => ({ ...w, text: bare(w.text) })).filter((w) => w.text);
  if (named.length < MIN_NAME_WORDS || named.length > MAX_NAME_WORDS || !named.every((w) => nameWord(w.text))) return null;
  let k = 0;
  for (const w of named) if (k < sure.length && w.text === bare(sure[k]!.text)) k++;
  return k === sure.length && named.length > sure.length ? named : null;
}

/** The page's words with the signer's name row read again when the seal took a word of it. */
export async function rereadSignerName(image: GrayImage, words: OcrWord[], read: RowReader): Promise<OcrWord[]> {
  const row = nameRow(words, image.width);
  if (!row) return words;
  const sure = row.filter((w) => w.conf >= SURE).sort((a, b) => a.left - b.left);
  if (sure.length === row.length || sure.length >= MAX_NAME_WORDS) return words;
  // The box of the sure words' type: tall enough for the marks above a capital, no taller.
  const h = median(sure.map((w) => w.height))!;
  const top = Math.min(...sure.map((w) => w.top)) - 0.45 * h;
  const bottom = Math.max(...sure.map((w) => w.top + w.height)) + 0.25 * h;
  const left = Math.min(...row.map((w) => w.left)) - 0.5 * h;
  const right = Math.max(...row.map((w) => w.left + w.width)) + 0.5 * h;
  const part = cropImage(image, left, top, right, bottom);
  const again = (await read(part.image)).map((w) => ({ ...w, left: w.left + part.left, top: w.top + part.top, line: row[0]!.line }));
  const name = acceptable(again, sure);
  if (!name) return words;
  const inRow = new Set(row);
  return [...words.filter((w) => !inRow.has(w)), ...name];
}
