/**
 * Repairs of OCR confusions where the letter format (Nghị định 30/2020,
 * Phụ lục I and III) leaves only one reading. Each rule is general: it names
 * the slot of the letter it applies in and the look-alike characters tesseract
 * puts there, never a particular letter's text. What the format does not pin
 * (a misread handwritten day "34" for "31") is left alone: guessing would hide
 * the doubt, and the low confidence of such a line is reported instead.
 */
import { fold } from "../../text/normalize.ts";
import { restorePhrases } from "./phrases.ts";

/** Look-alikes of 1 and 0 inside a digit run ("I2", "2O24", "l0"). */
const ONE_LIKE = /[Il|]/g;
const ZERO_LIKE = /[Oo]/g;

export function repairOcrLine(line: string): string {
  let s = line;
  // Icelandic eth (Ð, ð) is not Vietnamese: it is always a misread Đ/đ.
  s = s.replace(/Ð/g, "Đ").replace(/ð/g, "đ");
  s = repairDigits(s);
  s = repairSymbols(s);
  s = repairNumberLabel(s);
  s = repairDateWords(s);
  s = repairSubjectLabel(s);
  s = repairFilingLine(s);
  s = repairPortal(s);
  return restorePhrases(s);
}

/**
 * Digits: a run of digits and their look-alikes (I, l, | for 1; O, o for 0)
 * that stands apart from letters and holds at least one real digit is a
 * number ("ngày 3I tháng I2 năm 2O24", "24/I2/2024"). Dates (d/m/yyyy) are
 * repaired as a whole, so a lone look-alike between the slashes counts too.
 */
function repairDigits(s: string): string {
  const toDigits = (run: string) => run.replace(ONE_LIKE, "1").replace(ZERO_LIKE, "0");
  s = s.replace(/(?<![\p{L}\p{N}])[\dIlO|o]{1,2}[/.][\dIlO|o]{1,2}[/.][\dIlO|o]{4}(?![\p{L}\p{N}])/gu, (m) => (/\d/.test(m) ? toDigits(m) : m));
  return s.replace(/(?<![\p{L}\p{N}])[\dIlO|o]*\d[\dIlO|o]*(?![\p{L}\p{N}])/gu, (m) => (/[IlO|o]/.test(m) ? toDigits(m) : m));
}

/** Document-type abbreviations of Phụ lục III that contain Đ, as tesseract reads them without the bar (or doubled). */
const BARLESS: Record<string, string> = { QD: "QĐ", ND: "NĐ", CD: "CĐ", DA: "ĐA", QyD: "QyĐ", QĐĐ: "QĐ", NĐĐ: "NĐ" };
// A ký hiệu: capitals (and digits, &) in segments joined by "-" or "/", with at least one "-".
const SYMBOL = /(?<![\p{L}\p{N}])(?:\d+\/)*[A-ZĐƯ][\p{L}\d&]*(?:[-–/][\p{L}\d&]+)*[-–][\p{L}\d&]+(?:[-–/][\p{L}\d&]+)*/gu;

/**
 * Symbols (ký hiệu): "660 I TB-UBND" — the slash between the number and the
 * symbol read as I, l or |; "QD-UBND" — Đ read without its bar; "TB-UBNĐ",
 * "ƯBND" — diacritics on letters of an abbreviation that has none.
 */
function repairSymbols(s: string): string {
  // Number, look-alike of "/", capitals of a symbol ("-" or end of the abbreviation follows).
  s = s.replace(/(\d)\s?[|Il]\s?(?=[A-ZĐ][A-ZĐa-z&]{0,9}[-–][A-ZĐ])/gu, "$1/");
  // The slash itself lost: "76NQ-CP". A number glued to a symbol's capitals is no form the
  // format knows (Party documents put a hyphen there: "08-NQ/TU").
  s = s.replace(/(?<![\p{L}\p{N}/])(\d{1,5})(?=[A-ZĐ]{1,6}[-–][A-ZĐ])/gu, "$1/");
  // With the number left blank for hand-filling: "Số: I TB-UBND".
  s = s.replace(/(Số:?\s+)[|Il]\s?(?=[A-ZĐ][A-ZĐa-z&]{0,9}[-–][A-ZĐ])/gu, "$1/");
  s = s.replace(SYMBOL, (symbol) =>
    symbol
      .split(/([-–/])/)
      .map((part) => BARLESS[part] ?? (fold(part) === "ubnd" ? "UBND" : part))
      .join(""),
  );
  // UBND standing alone, with a stray diacritic or split by a space: "ƯBND", "UBNĐ tỉnh", "UBN D".
  return s.replace(/(?<![\p{L}\p{N}])[UƯỦ]\s?B\s?N\s?[DĐ](?![\p{L}\p{N}])/gu, "UBND");
}

/**
 * "Số:" opening the number line: S6:, Sô:, Sỗ, 5ố:, $ố... before a number or
 * a symbol. Only at the start of a line (where the format puts it) and only
 * before what a number line holds, so "Sở Tài chính" is never touched.
 */
function repairNumberLabel(s: string): string {
  // A lower-case "s" only with the colon ("só:"): "sở" opens many a body line.
  const m = /^(?:[S5$§][ốôoóòỏõọồổỗộớờởỡợơ06éèêếề]\s?[:;.,]?|s[ốôoóòỏõọồổỗộớờởỡợơ6]\s?[:;])(?=\s*(?:\d|[/|]|[A-ZĐ]{1,8}[-–][A-ZĐ]))/u.exec(s);
  if (m && m[0] !== "Sở") {
    const rest = s.slice(m[0].length);
    s = `Số:${/^\s/.test(rest) ? "" : " "}${rest}`;
  }
  if (s.startsWith("Số:")) {
    // The number slot holds digits only: a stray mark after a handwritten number ("04+ /CT") goes.
    s = s.replace(/^(Số:\s*)[._…]*(\d+)[+*'`´^~°.,;:_…]*(?=\s*\/)/u, "$1$2");
    // Digits mixed with marks no number has ("6§0": a handwritten 660) are no reading of the
    // number: the slot is left blank, as for a number not yet filled in, and the symbol still reads.
    return s.replace(/^(Số:\s*)(?=[\d§$#@%&*+?!'"`´^~°]*\d)(?=[\d§$#@%&*+?!'"`´^~°]*[^\d\s/])[\d§$#@%&*+?!'"`´^~°]+\s*(?=\/)/u, "$1");
  }
  // "số" citing a document in the body: "sô 21/2024/QĐ-TTg", "sỗ 10/CT-UBND".
  return s.replace(/(?<![\p{L}])s[ốôoóòỏõọồổỗộớờởỡợ6](?=\s+\d+\/)/gu, "số");
}

/**
 * The date phrase "ngày D tháng M năm YYYY" (the date line, and dates in the
 * body): its three words misread ("ngay", "thảng", "nãm", "nắm") are put back
 * when all three stand in order around a day, a month and a year. The day and
 * month may be blank (left to be filled by hand). Each word alone is no
 * proof: "ngay" (at once) and "nam" (south) are words of their own.
 */
const DATE_PHRASE =
  /(?<![\p{L}])(\p{L}{3,5})(\s+(?:\d{1,2}\s+)?)(\p{L}{4,6})(\s+(?:\d{1,2}\s+)?)(\p{L}{2,4})(?=\s*\d{4}(?!\d))/gu;

function repairDateWords(s: string): string {
  // "ngày0Đ tháng", "ngày? tháng": a number or a mark glued to the word is its own token.
  s = s.replace(/(?<![\p{L}])(ngày|tháng)(?=[^\s\p{L}]|[Il](?![\p{L}]))/gu, "$1 ");
  s = s.replace(DATE_PHRASE, (whole, day: string, a: string, month: string, b: string, year: string) => {
    if (!["ngay", "ngav"].includes(fold(day)) || fold(month) !== "thang" || fold(year) !== "nam") return whole;
    // The first letter keeps its case ("Ngày 24 tháng 12 năm 2024, ...").
    const dayWord = /^\p{Lu}/u.test(day) ? "Ngày" : "ngày";
    return `${dayWord}${a}tháng${b}năm`;
  });
  return s.replace(DATE_SLOTS, (whole, day: string | undefined, month: string | undefined, rest: string) => {
    return `ngày ${slot(day, 31)}tháng ${slot(month, 12)}${rest}`.replace(/ {2,}/g, " ");
  });
}

/** The day and month of a date phrase, each whatever stands in its slot (a number, a mark, nothing). */
const DATE_SLOTS = /(?<![\p{L}])ngày\s+(?:(\S{1,4})\s+)?tháng\s+(?:(\S{1,4})\s+)?(năm\s+\d{4})/gu;

/**
 * A day or month slot: look-alikes of digits read as digits ("II" → 11:
 * Roman numerals are never used in dates), and what is still no possible
 * day or month (a handwritten day misread as "45" or "đ") is left blank, as
 * a blank for hand-filling is written, rather than given as a wrong date.
 */
function slot(value: string | undefined, max: number): string {
  // A blank for hand-filling is often a dotted or ruled line; what is written on it stands on the dots.
  value = value?.replace(/^[._…·\-–—,]+|[._…·\-–—,]+$/gu, "");
  if (!value) return "";
  // In a day or month slot a capital L is a 1 as well ("ngày L5").
  const digits = /^[\dIlLO|o]+$/u.test(value) ? value.replace(/[IlL|]/g, "1").replace(ZERO_LIKE, "0") : value;
  const n = /^\d{1,2}$/.test(digits) ? Number(digits) : NaN;
  return n >= 1 && n <= max ? `${digits} ` : "";
}

/** "V/v" opening the subject line: V/V, VIv, Vlv, V|v, W/v, V/y, "V/ v". */
function repairSubjectLabel(s: string): string {
  return s.replace(/^[VW]\s?[/|Il1]\s?[vVy](?=\s)/u, "V/v");
}

/**
 * "- Lưu: VT; VP." — the filing line lists its units with commas (the
 * semicolon ends the Nơi nhận item); a semicolon between two of its
 * abbreviations is a misread comma.
 */
function repairFilingLine(s: string): string {
  if (!/^[-–]?\s*Lưu\s*:/u.test(s)) return s;
  return s.replace(/(?<=[\p{Lu}\d)])\s*;\s*(?=[\p{Lu}(])/gu, ", ");
}

/**
 * "Cổng TTĐT" (the body's web portal, cổng thông tin điện tử), a fixture of Nơi nhận lists, read
 * without the hook as "Công TTĐT": "công" before that abbreviation has no reading of its own.
 */
function repairPortal(s: string): string {
  return s.replace(/(?<![\p{L}])(C|c)ông(?=\s+TTĐT)/gu, "$1ổng");
}
