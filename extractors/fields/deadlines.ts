import { fold } from "../text/normalize.ts";
import { allMatches } from "../text/regex.ts";
import { findDates, periodEnd } from "./dates.ts";

/**
 * A task's deadline: a concrete date the item sets for its own completion.
 * "trước ngày 30/11/2018" → 2018-11-30; "từ nay đến hết năm 2023" → 2023-12-31;
 * "hoàn thành trong quý II/2020" → 2020-06-30. A bare period without
 * completion wording ("Thời gian thực hiện: Năm 2025", "trong năm 2021"),
 * recurring dates ("trước ngày 20 hàng tháng") and durations ("trong 05 ngày
 * làm việc") set no deadline. Citation dates ("Quyết định số ... ngày ...")
 * are never deadlines: a date counts only after a completion word.
 */

// Completion words that may stand right before a date (on folded text).
const BEFORE_DATE = /(?:truoc|cham nhat(?: la)?|han chot(?: la)?|thoi han(?: hoan thanh)?(?: la)?|hoan thanh(?: truoc| vao| trong)?|xong(?: truoc)?|ket thuc(?: truoc)?|(?:den|toi)(?: het)?|nop(?: truoc)?)\s*:?\s*(?:(?:vao|la)\s*)?(?:ngay\s*)?$/;
const STRONG_BEFORE_DATE = /(?:truoc|cham nhat(?: la)?|han chot(?: la)?|thoi han(?: hoan thanh)?(?: la)?|hoan thanh(?: truoc| vao)?|xong(?: truoc)?)\s*:?\s*(?:(?:vao|la)\s*)?(?:ngay\s*)?$/;
// A cheap gate (substring test, no word edges): the precise patterns below decide.
const ANY_TRIGGER = /truoc|cham nhat|han chot|thoi han|hoan thanh|xong|ket thuc|den|toi|nop/;
const RECURRING_AFTER = /^\s*(?:hang|hằng|moi)\s*(?:thang|nam|quy|tuan)/;
const COMPLETION = "(?:hoan thanh|xong|ket thuc|truoc|cham nhat)";

// Each period pattern with a word it cannot match without: where the word is missing, its scan is skipped.
const PERIOD_PATTERNS: { re: RegExp; needs: string[]; end: (m: RegExpMatchArray) => string | null }[] = [
  // "(từ nay) đến hết năm 2023", "hết năm 2023", "trước 31/12" is a date.
  {
    re: /(?:(?:den|toi|truoc)\s+)?het\s+nam\s+(\d{4})|(?:den|toi|truoc)\s+cuoi\s+nam\s+(\d{4})/g,
    needs: ["het", "cuoi"],
    end: (m) => periodEnd("year", "", Number(m[1] ?? m[2])),
  },
  // "hoàn thành trong quý II/2020", "xong trước quý III năm 2024"
  {
    // The completion word may govern a short object first: "hoàn thành số hóa hồ sơ trong quý II/2020".
    re: new RegExp(`${COMPLETION}(?:\\s+[^\\s.;]+){0,8}?(?:\\s+(?:trong|truoc|vao|trong thoi gian))?\\s+quy\\s+(i{1,3}|iv|[1-4])\\s*(?:\\/|nam)\\s*(\\d{4})`, "g"),
    needs: ["quy"],
    end: (m) => periodEnd("quarter", m[1]!, Number(m[2])),
  },
  // "hoàn thành trong tháng 6/2020", "hoàn thành trong tháng 6 năm 2020"
  {
    re: new RegExp(`${COMPLETION}(?:\\s+(?:trong|vao))?\\s+thang\\s+(\\d{1,2})\\s*(?:\\/|nam)\\s*(\\d{4})`, "g"),
    needs: ["thang"],
    end: (m) => periodEnd("month", m[1]!, Number(m[2])),
  },
  // "hoàn thành trong năm 2021"
  { re: new RegExp(`${COMPLETION}(?:\\s+(?:trong|vao))?\\s+nam\\s+(\\d{4})`, "g"), needs: ["nam"], end: (m) => periodEnd("year", "", Number(m[1])) },
];

export interface DeadlineOptions {
  /** Accept only the strongest wording ("trước ngày", "hoàn thành"): for paragraphs outside a list. */
  strict?: boolean;
}

// Every date and every period pattern above ends in a four-digit year.
const YEAR = /\d{4}/;

/** The item's deadline; `folded` is fold(text) when the caller has it. */
export function deadlineIn(text: string, options: DeadlineOptions = {}, folded?: string): string | null {
  const both = deadlinesIn(text, folded);
  return options.strict ? both.strict : both.loose;
}

/**
 * The deadline read both ways (`strict` as deadlineIn with { strict: true }, `loose` as without):
 * one reading of the text for a caller that needs both.
 */
export function deadlinesIn(text: string, folded?: string): { strict: string | null; loose: string | null } {
  // Most items name no year at all: nothing below can match, so they skip the fold and every pattern.
  if (!YEAR.test(text)) return NONE;
  folded ??= fold(text);
  const strict: string[] = [];
  const loose: string[] = [];
  const gates = gatesOf(folded);
  for (const d of gates.trigger ? findDates(text) : []) {
    if (d.iso.length !== 10) continue;
    const before = folded.slice(Math.max(0, d.index - 30), d.index);
    const strong = STRONG_BEFORE_DATE.test(before);
    const weak = BEFORE_DATE.test(before);
    if ((!strong && !weak) || RECURRING_AFTER.test(folded.slice(d.end, d.end + 20))) continue;
    if (strong) strict.push(d.iso);
    if (weak) loose.push(d.iso);
  }
  const periodWords = gates.completion && /het nam|cuoi nam|quy [iv\d]|thang \d|nam \d/.test(folded);
  for (const { re, needs, end } of periodWords ? PERIOD_PATTERNS : []) {
    if (!needs.some((word) => folded.includes(word))) continue;
    for (const m of allMatches(re, folded)) {
      const iso = end(m);
      if (!iso) continue;
      if (/hoan thanh|xong|truoc|cham nhat/.test(m[0])) strict.push(iso);
      loose.push(iso);
    }
  }
  return { strict: latest(strict), loose: latest(loose) };
}

const NONE = { strict: null, loose: null };

/** The item's own completion is its latest concrete date. */
const latest = (candidates: string[]) => (candidates.length ? candidates.sort().at(-1)! : null);

// The two gates' words in one pattern: a completion word answers both, and a text with none of
// the words (most items) is scanned once instead of twice. Words that share a first letter are
// grouped after it (V8 scans that faster); no two of them can start at the same place, so the
// word found is the one the plain alternation finds.
const GATE_WORDS = /h(?:oan thanh|et nam|an chot)|xong|ket thuc|t(?:ruoc|hoi han|oi)|c(?:ham nhat|uoi nam)|den|nop/;
const COMPLETION_WORDS = new Set(["hoan thanh", "xong", "ket thuc", "truoc", "cham nhat"]);
const PERIOD_WORDS = new Set(["het nam", "cuoi nam"]);
const COMPLETION_OR_PERIOD = /hoan thanh|xong|ket thuc|truoc|cham nhat|het nam|cuoi nam/;

/** Whether the folded text has ANY_TRIGGER's words (`trigger`), and COMPLETION_OR_PERIOD's (`completion`). */
function gatesOf(folded: string): { trigger: boolean; completion: boolean } {
  const m = GATE_WORDS.exec(folded);
  if (!m) return { trigger: false, completion: false };
  if (COMPLETION_WORDS.has(m[0])) return { trigger: true, completion: true };
  if (PERIOD_WORDS.has(m[0])) return { trigger: ANY_TRIGGER.test(folded), completion: true };
  return { trigger: true, completion: COMPLETION_OR_PERIOD.test(folded) };
}
