/**
 * The number and the day of a letter are often written by hand into blanks
 * the typist left ("Số:  660 /TB-UBND", "ngày 31 tháng 12"). The page model
 * misreads them more than anything else ("6§0", "0+", "ngày0Đ"). When the
 * slot of the number line or of the date line holds no valid value or was
 * read unsure, that one row is read again on its own (a single text line,
 * psm 7) with the more accurate LSTM model of @tesseract.js-data/vie (the
 * "best" weights). Measured on the shared scans: of six handwritten slots,
 * the row re-read gave three correctly where the page read had none; the
 * others came back unusable and are then left as they were, or blank.
 */
import { cropImage, type GrayImage } from "./image.ts";
import { segments } from "./words.ts";
import type { OcrWord } from "./tsv.ts";
import { fold } from "../../text/normalize.ts";

/** Below this confidence (0–100) a slot's value is read again even when it looks valid. */
const SURE = 80;
/** A first reading this unsure, with no valid second one, is no reading: the slot is left blank. */
const GUESS = 30;

export type RowReader = (row: GrayImage) => Promise<OcrWord[]>;

interface SlotRow {
  words: OcrWord[];
  kind: "number" | "date";
}

const NUMBER_LABEL = /^[Ss5$§][^\s\d/]{0,2}[:;.]/u;

/** The value in a row's slot and whether it is one the format allows. */
function readSlot(raw: string, kind: "number" | "date"): { value: string; valid: boolean } | null {
  // Look-alikes of digits count as the digits they are read as later (repair.ts): "3|" is 31.
  const text = raw.replace(/(?<=\d)[Il|]|[Il|](?=\d)/gu, "1").replace(/(?<=\d)[Oo]|[Oo](?=\d)/gu, "0");
  if (kind === "number") {
    const m = /^[Ss5$§][^\s\d/]{0,2}[:;.]\s*([^/]*?)\s*\//u.exec(text);
    if (!m) return null;
    const value = m[1]!.replace(/[+*'`´^~°.,;:_…]+$/u, "");
    return { value, valid: /^\d{1,5}$/.test(value) };
  }
  const f = fold(text);
  const m = /ngay\s*(\S{0,4}?)\s*thang/u.exec(f);
  if (!m || !/nam\s*\d{4}/u.test(f)) return null;
  const value = m[1]!.replace(/^[._…·\-,]+|[._…·\-,]+$/gu, "");
  const n = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  return { value, valid: n >= 1 && n <= 31 };
}

/** The rows of the upper page that carry the number or the date. */
function slotRows(words: OcrWord[], height: number): SlotRow[] {
  const rows: SlotRow[] = [];
  for (const row of segments(words)) {
    if (row[0]!.top > height * 0.4) continue;
    const text = row.map((w) => w.text).join(" ");
    if (NUMBER_LABEL.test(text) && text.includes("/")) rows.push({ words: row, kind: "number" });
    // The date line: "<place>, ngày ... tháng ... năm ..." (a date cited in the body is no slot).
    else if (/^[^,]{2,40},\s*ngay/u.test(fold(text)) && /thang/u.test(fold(text))) rows.push({ words: row, kind: "date" });
  }
  return rows;
}

/** Confidence of the words that hold the slot's value (those between label and symbol, or ngày and tháng). */
function slotConfidence(row: OcrWord[], kind: "number" | "date"): number {
  const inside =
    kind === "number"
      ? row.filter((w, i) => i > 0 && !w.text.startsWith("/")).slice(0, 2)
      : row.filter((w) => /\d/.test(w.text) && !/^\d{4}$/.test(w.text)).slice(0, 1);
  // The label itself when the value is glued to it ("Số:04+", "ngày0Đ").
  const glued = row.filter((w) => (kind === "number" ? NUMBER_LABEL.test(w.text) && /\d/.test(w.text) : /^ng\S*\d/u.test(w.text)));
  const all = [...inside, ...glued];
  return all.length ? Math.min(...all.map((w) => w.conf)) : 100;
}

function crop(image: GrayImage, row: OcrWord[]): { image: GrayImage; left: number; top: number } {
  const h = Math.max(...row.map((w) => w.height));
  const left = Math.min(...row.map((w) => w.left)) - 0.5 * h;
  const top = Math.min(...row.map((w) => w.top)) - 0.3 * h;
  const right = Math.max(...row.map((w) => w.left + w.width)) + 0.5 * h;
  const bottom = Math.max(...row.map((w) => w.top + w.height)) + 0.3 * h;
  return cropImage(image, left, top, right, bottom);
}

/** The page's words with the number and date rows re-read where their slots are in doubt. */
export async function rereadSlots(image: GrayImage, words: OcrWord[], read: RowReader): Promise<OcrWord[]> {
  let out = words;
  for (const { words: row, kind } of slotRows(words, image.height)) {
    const first = readSlot(row.map((w) => w.text).join(" "), kind);
    if (!first) continue;
    const confidence = slotConfidence(row, kind);
    if (first.valid && confidence >= SURE) continue;
    const part = crop(image, row);
    const again = (await read(part.image)).map((w) => ({ ...w, left: w.left + part.left, top: w.top + part.top, line: row[0]!.line }));
    const second = readSlot(again.map((w) => w.text).join(" "), kind);
    const inRow = new Set(row);
    if (second?.valid) {
      out = [...out.filter((w) => !inRow.has(w)), ...again];
    } else if (!first.valid || confidence < GUESS) {
      // No reading to trust: the row stays, its slot value goes (a blank, as before filling in).
      const doubtful = new Set(row.filter((w) => w.conf < SURE && /\d/.test(w.text) && !/^\d{4}[,.]?$/.test(w.text)));
      out = out.flatMap((w) => (doubtful.has(w) ? stripDigits(w) : [w]));
    }
  }
  return out;
}

/** A word without its value: the label it was glued to stays ("ngày0Đ" → "ngày", "só:3/KH" → "só:/KH"). */
function stripDigits(w: OcrWord): OcrWord[] {
  if (fold(w.text).startsWith("ngay")) return [{ ...w, text: w.text.slice(0, 4) }];
  const text = w.text.replace(/[\d+*'`´^~°_…§]+/gu, "").trim();
  return /[\p{L}/]/u.test(text) ? [{ ...w, text }] : [];
}
