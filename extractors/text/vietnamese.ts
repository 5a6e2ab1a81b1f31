import { fold } from "./normalize.ts";
import { allLettersOrNumbers, isLetterCode } from "./chars.ts";

/**
 * Casing for Vietnamese text. (JavaScript's `\b` and `\w` are
 * ASCII-only even with the `u` flag: word edges in this project are Unicode
 * property lookarounds.)
 */

/** True when the text has letters and none of them is lower case (a header line). */
export function isAllCaps(s: string): boolean {
  return !HAS_LOWER.test(s) && TWO_UPPER.test(s);
}
const HAS_LOWER = /\p{Ll}/u;
const TWO_UPPER = /\p{Lu}[^]*\p{Lu}/u;

export function capitalizeFirst(s: string): string {
  // Most texts start with a letter of the BMP: the search is needed only when they do not.
  const i = isLetterCode(s.charCodeAt(0)) ? 0 : s.search(/\p{L}/u);
  if (i < 0) return s;
  const upper = s[i]!.toUpperCase();
  // Most names already start with a capital: no need to build the same string again.
  return upper === s[i] ? s : s.slice(0, i) + upper + s.slice(i + 1);
}

const ABBREVIATIONS = new Set(["TP", "TP.", "TW", "CP", "VN"]);

/**
 * Administrative-level words (tỉnh, huyện...) are lower case and the place name
 * after them is Title Case: "UBND TỈNH QUẢNG TRỊ" → "UBND tỉnh Quảng Trị".
 */
const ADMIN_LEVEL = new Set(["tỉnh", "huyện", "xã", "quận", "phường", "thị", "thành", "trấn", "phố"]);
/** Head nouns of a body's name: the name after them starts with a capital (Sở Kế hoạch và Đầu tư). */
const BODY_HEAD = new Set(["sở", "bộ", "ban", "cục", "vụ", "trường", "phòng", "viện", "tổng", "chi", "đài", "báo", "hội", "và"]);
/** Multi-word proper names of bodies whose every syllable is capitalised. */
const PROPER = ["Ủy ban nhân dân", "Uỷ ban nhân dân", "Chính phủ", "Quốc hội", "Công Thương", "Trung ương", "Tỉnh ủy", "Tỉnh uỷ", "Thủ tướng", "Nhà nước", "Việt Nam"];

// Onset + vowel nucleus + coda of a Vietnamese syllable, on diacritic-folded text.
const SYLLABLE = /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$/;
const ROMAN = /^[IVXLC]+$/;

/** A token written in capitals that is an abbreviation (UBND, SKHĐT, XII), not a syllable. */
export function isAbbreviation(token: string): boolean {
  // Most tokens are letters only: nothing to strip.
  const core = allLettersOrNumbers(token) ? token : token.replace(/[^\p{L}\p{N}]/gu, "");
  if (!core) return false;
  if (ABBREVIATIONS.has(token) || /\d/.test(core) || ROMAN.test(core)) return true;
  return !SYLLABLE.test(fold(core));
}

/**
 * Converts an all-caps body name to how it is written in running text: first
 * syllable capitalised, abbreviations kept, place names after an
 * administrative level in Title Case.
 */
export function nameCase(allCaps: string): string {
  const words = allCaps.trim().split(/\s+/);
  const out: string[] = [];
  let titleRest = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (isAbbreviation(w)) {
      out.push(w);
      continue;
    }
    const lower = w.toLowerCase();
    const previous = out[out.length - 1] ?? "";
    const afterBreak = /[-–,(]$/.test(previous) || BODY_HEAD.has(previous.toLowerCase());
    out.push(i === 0 || titleRest || afterBreak ? capitalizeFirst(lower) : lower);
    if (ADMIN_LEVEL.has(lower) && !ADMIN_LEVEL.has(words[i + 1]?.toLowerCase() ?? "")) titleRest = true;
  }
  return applyProperNames(out.join(" "));
}

const PROPER_PATTERNS = PROPER.map((p) => [new RegExp(`(?<![\\p{L}])${p}(?![\\p{L}])`, "giu"), p] as const);
/** Any of the proper names: one scan tells whether the per-name passes can change anything. */
const ANY_PROPER = new RegExp(`(?<![\\p{L}])(?:${PROPER.join("|")})(?![\\p{L}])`, "iu");

function applyProperNames(s: string): string {
  if (!ANY_PROPER.test(s)) return s;
  for (const [re, p] of PROPER_PATTERNS) s = s.replace(re, p);
  return s;
}

/** "PHÓ GIÁM ĐỐC" → "Phó Giám đốc"; "KT. CHỦ TỊCH" → "KT. Chủ tịch" (the contract's sentence case for titles). */
export function titleCase(allCaps: string): string {
  return allCaps
    .split(/\s*,\s*/)
    .map((part) => {
      const words = part.trim().split(/\s+/);
      const out: string[] = [];
      let capitalizeNext = true;
      for (const w of words) {
        if (/^(KT|TM|TL|TUQ|Q)\.$/u.test(w)) {
          out.push(w);
          capitalizeNext = true;
          continue;
        }
        const lower = w.toLowerCase();
        out.push(capitalizeNext ? capitalizeFirst(lower) : lower);
        // "Phó Giám đốc", "Chánh Văn phòng", "Phó Hiệu trưởng": the office after a rank prefix keeps its capital.
        capitalizeNext = lower === "phó" || lower === "chánh" || lower === "tổng";
      }
      return applyProperNames(out.join(" ")).replace(/(?<![\p{L}])Ủy Ban Nhân Dân(?![\p{L}])/giu, "Ủy ban nhân dân");
    })
    .join(", ");
}
