import { allMatches } from "../text/regex.ts";

/**
 * Dates as Vietnamese letters write them: "24/5/2023", "26/03/2021",
 * "21-02-2018", "ngày 22 tháng 12 năm 2020", and with the day left blank for
 * hand-filling, "ngày   tháng 04 năm 2021" → "2021-04".
 */

export interface FoundDate {
  /** ISO "YYYY-MM-DD", or "YYYY-MM" when the day is blank. */
  iso: string;
  index: number;
  end: number;
}

const pad = (n: number) => String(n).padStart(2, "0");

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-12) of the Gregorian calendar: arithmetic rather than a Date per date read. */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

export function isoDate(year: number, month: number, day?: number): string | null {
  if (year < 1945 || year > 2100 || month < 1 || month > 12) return null;
  if (day === undefined) return `${year}-${pad(month)}`;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

export function lastDayOfMonth(year: number, month: number): string {
  return `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
}

// "ngày 22 tháng 12 năm 2020"; the day (and even "ngày") may be blank.
const WORDED = /(?:ngày\s*(\d{1,2})?\s*[,]?\s*)?tháng\s*(\d{1,2})\s*[,/]?\s*năm\s*(\d{4})/giu;
// "24/5/2023", "21-02-2018", "08.12.2020".
const HAS_NUMERIC = /\d[/.-]\s?\d/;
const NUMERIC = /(?<![\p{N}/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\2\s?(\d{4})(?![\p{N}])/gu;

/** Every full or month-precision date in the text, in order. */
export function findDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  // Cheap gates: most paragraphs have no worded date, many have no numeric one.
  const worded = text.includes("tháng") || text.includes("THÁNG") || text.includes("Tháng");
  for (const m of worded ? allMatches(WORDED, text) : []) {
    const iso = wordedIso(m);
    if (iso) found.push({ iso, index: m.index, end: m.index + m[0].length });
  }
  for (const m of HAS_NUMERIC.test(text) ? allMatches(NUMERIC, text) : []) {
    const iso = numericIso(m);
    if (iso) found.push({ iso, index: m.index, end: m.index + m[0].length });
  }
  return found.sort((a, b) => a.index - b.index);
}

const DATE_LEAD = /^[\s,]*(?:ban hành\s+)?(?:ngày\s*)?/iu;

/** The date that starts at (or just after a few spaces/commas from) `index`, if any. */
export function dateAt(text: string, index: number, slack = 4): FoundDate | null {
  const window = text.slice(index, index + 40 + slack);
  const lead = DATE_LEAD.exec(window)![0].length;
  if (lead > slack + 16) return null;
  const first = firstDateBy(text.slice(index, index + 60), Math.max(lead, slack));
  return first ? { ...first, index: first.index + index, end: first.end + index } : null;
}

/**
 * `findDates(text).find((d) => d.index <= limit)`: the dates come sorted, so that is the
 * earliest date when it starts by `limit`. Each pattern's matches come in order, so each
 * search stops at its first date or past the limit. (The two kinds never start at one place:
 * one starts with a word, the other with a digit; a tie would go to the worded one, found first.)
 */
export function firstDateBy(text: string, limit: number): FoundDate | null {
  const worded = text.includes("tháng") || text.includes("THÁNG") || text.includes("Tháng") ? firstMatchBy(WORDED, text, limit, wordedIso) : null;
  const numeric = HAS_NUMERIC.test(text) ? firstMatchBy(NUMERIC, text, limit, numericIso) : null;
  return numeric && (!worded || numeric.index < worded.index) ? numeric : worded;
}

const wordedIso = (m: RegExpExecArray) => isoDate(Number(m[3]), Number(m[2]), m[1] ? Number(m[1]) : undefined);
const numericIso = (m: RegExpExecArray) => isoDate(Number(m[4]), Number(m[3]), Number(m[1]));

/** The first match of a global date pattern that reads as a date, if it starts by `limit`. */
function firstMatchBy(re: RegExp, text: string, limit: number, iso: (m: RegExpExecArray) => string | null): FoundDate | null {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null && m.index <= limit; m = re.exec(text)) {
    const value = iso(m);
    if (value) {
      re.lastIndex = 0;
      return { iso: value, index: m.index, end: m.index + m[0].length };
    }
  }
  re.lastIndex = 0;
  return null;
}

const ROMAN_QUARTER: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, "1": 1, "2": 2, "3": 3, "4": 4 };

/** Last day of a period named in the text: "quý II/2020", "tháng 6/2020", "năm 2023", "6 tháng đầu năm 2024". */
export function periodEnd(kind: "quarter" | "month" | "year" | "half", value: string, year: number): string | null {
  switch (kind) {
    case "quarter": {
      const q = ROMAN_QUARTER[value.toLowerCase()];
      return q ? lastDayOfMonth(year, q * 3) : null;
    }
    case "month": {
      const m = Number(value);
      return m >= 1 && m <= 12 ? lastDayOfMonth(year, m) : null;
    }
    case "half":
      return lastDayOfMonth(year, value === "first" ? 6 : 12);
    case "year":
      return `${year}-12-31`;
  }
}
