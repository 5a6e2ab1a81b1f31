import { describe, expect, it } from "vitest";
import { isLetterCode, isSpaceCode, trimEndOf } from "../extractors/text/chars.ts";
import { fold } from "../extractors/text/normalize.ts";
import { allMatches } from "../extractors/text/regex.ts";
import { capitalizeFirst } from "../extractors/text/vietnamese.ts";
import { findDates, periodEnd } from "../extractors/fields/dates.ts";
import { deadlineIn, deadlinesIn } from "../extractors/fields/deadlines.ts";
import { sameFold } from "../extractors/fields/folded.ts";
import { buildOutline, flatten, foldedText, isMetadataLine } from "../extractors/fields/outline.ts";
import { readPlainText } from "../extractors/readers/text.ts";
import { firstWordAndSpace, listSeparatorLength, PARTY_TAIL, splitListSeparators, startsWithLetter, TIDY_TAIL } from "../extractors/fields/party-chars.ts";
import { PREDICATES, predicateIndex } from "../extractors/fields/predicates.ts";
import { endsWithColon, withoutGluedPunctuation, withoutTrailingMark } from "../extractors/fields/tasks.ts";

// The tasks stage's fast paths stand in for regexes and repeated passes: each must answer exactly
// as the plain definition it replaces, written out here, on generated texts.

/** Texts of `count` pieces drawn from `pool` (a fixed seed: the same texts every run). */
function generated(pool: string[], texts: number, maxPieces: number): string[] {
  let seed = 12345;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const out: string[] = [];
  for (let t = 0; t < texts; t++) {
    let s = "";
    for (let k = next(maxPieces + 1); k > 0; k--) s += pool[next(pool.length)];
    out.push(s);
  }
  return out;
}

const SPACES = [" ", " ", " ", "  ", "\t", "\u00a0", "\u2003"];
const PUNCTUATION = [",", ".", ";", ":", "-", "–", "*", "+", "'", "`", "(", "!", "?", "\ufffd", "\ud83d", "\ud83d\ude00", "𝐀"];
const WORDS = ["Sở", "sở", "các", "Các", "phòng", "và", "vào", "cùng", "với", "Văn", "công", "lập", "chủ", "trì", "phối", "hợp", "x", "ab", "Ủy", "ban", "a", "z", "đã"];
const MIXED = generated([...SPACES, ...PUNCTUATION, ...WORDS], 4000, 12);

describe("party character walks", () => {
  it("startsWithLetter is /^[\\p{L}]/u", () => {
    for (const s of MIXED) expect(startsWithLetter(s), JSON.stringify(s)).toBe(/^[\p{L}]/u.test(s));
  });

  it("firstWordAndSpace is /^\\S+\\s?/u's length on a text that starts with a non-space", () => {
    for (const s of MIXED.filter((t) => /^\S/u.test(t))) expect(firstWordAndSpace(s), JSON.stringify(s)).toBe(/^\S+\s?/u.exec(s)![0].length);
  });

  it("trimEndOf is the trailing-class replace partyAt and tidyParty ran", () => {
    for (const s of MIXED) {
      expect(trimEndOf(s, PARTY_TAIL), JSON.stringify(s)).toBe(s.replace(/[\s,;\-–]+$/u, ""));
      expect(trimEndOf(s, TIDY_TAIL), JSON.stringify(s)).toBe(s.replace(/[\s.,;:\-–]+$/u, ""));
    }
  });

  it("listSeparatorLength is the separator pattern's match length at every position", () => {
    for (const s of MIXED) {
      for (let from = 0; from <= s.length; from++) {
        const m = /^\s*[,;]\s*|^\s+và\s+/u.exec(s.slice(from));
        expect(listSeparatorLength(s, from), `${JSON.stringify(s)} @${from}`).toBe(m ? m[0].length : -1);
      }
    }
  });

  it("splitListSeparators is split(/(\\s*,\\s*|\\s+và\\s+)/u)", () => {
    for (const s of MIXED) expect(splitListSeparators(s), JSON.stringify(s)).toEqual(s.split(/(\s*,\s*|\s+và\s+)/u));
  });

  it("capitalizeFirst is the search for the first letter", () => {
    const plain = (s: string) => {
      const i = s.search(/\p{L}/u);
      return i < 0 ? s : s.slice(0, i) + s[i]!.toUpperCase() + s.slice(i + 1);
    };
    for (const s of MIXED) expect(capitalizeFirst(s), JSON.stringify(s)).toBe(plain(s));
  });
});

describe("item text walks", () => {
  const pool = [...SPACES, ...PUNCTUATION, ...WORDS.map(fold), "muc", "dich", "cong", "nhan", "A"];
  const texts = generated(pool, 4000, 10);

  it("withoutGluedPunctuation is the lookbehind replace", () => {
    for (const s of texts) expect(withoutGluedPunctuation(s), JSON.stringify(s)).toBe(s.replace(/(?<=[a-z])[,.;:'`](?= [a-z])/g, ""));
  });

  it("endsWithColon is /:\\s*$/u", () => {
    for (const s of MIXED) expect(endsWithColon(s), JSON.stringify(s)).toBe(/:\s*$/u.test(s));
  });

  it("withoutTrailingMark is the trailing-mark replace", () => {
    for (const s of MIXED) expect(withoutTrailingMark(s), JSON.stringify(s)).toBe(s.replace(/\s[-–*+]\s*$/u, ""));
  });

  it("sameFold of pieces of a long text's fold is the fold of the piece", () => {
    // Folding keeps white space white space, so trimming before or after it cuts the same piece.
    for (let code = 0; code < 0x10000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const c = String.fromCharCode(code);
      expect(/\s/.test(fold(c)), code.toString(16)).toBe(/\s/.test(c));
    }
    for (const s of MIXED) {
      const text = `${s} ${"Đoạn văn bản dài để vượt qua ngưỡng bộ nhớ đệm của hàm fold. ".repeat(2)}${s}`;
      const folded = fold(text);
      for (const [a, b] of [[0, 48], [3, 27], [text.length - s.length, text.length]] as const) {
        expect(sameFold(text.slice(a, b).trim(), folded.slice(a, b).trim())).toBe(fold(text.slice(a, b).trim()));
      }
    }
  });
});

describe("predicateIndex", () => {
  // The walk as first written: every word after a space sliced and looked up.
  const byFirstWord = new Map<string, string[]>();
  for (const p of PREDICATES) {
    const first = p.split(" ")[0]!;
    byFirstWord.set(first, [...(byFirstWord.get(first) ?? []), p].sort((a, b) => b.length - a.length));
  }
  const wordBefore = (text: string, at: number) => {
    let j = at;
    while (j > 0 && !/\s/.test(text[j - 1]!)) j--;
    return text.slice(j, at);
  };
  const plain = (text: string, from: number): number => {
    for (let i = from; i < text.length; i++) {
      const c = text[i]!;
      if (c === "(" || (c === ":" && !(/(?:^|\s)các(?:\s+\p{L}+){1,2}\s*$/u.test(text.slice(Math.max(0, i - 30), i)) && /^:\s*\p{Lu}/u.test(text.slice(i, i + 4))))) return i;
      if (".!?".includes(c) && (i + 1 === text.length || /\s/.test(text[i + 1]!))) return i;
      if (!/\s/.test(c)) continue;
      const next = text[i + 1] ?? "";
      if (next === ":" || next === "(") return i;
      if ((next === "-" || next === "–") && i + 2 < text.length && !/\s/.test(text[i + 2]!)) return i;
      let end = i + 1;
      while (end < text.length && isLetterCode(text.charCodeAt(end))) end++;
      const word = text.slice(i + 1, end);
      const candidates = byFirstWord.get(word);
      if (!candidates || ["các", "những", "mỗi", "Các", "Những", "Mỗi"].includes(wordBefore(text, i))) continue;
      if (word === "lập" && ["công", "độc", "tư"].includes(wordBefore(text, i).toLowerCase())) continue;
      for (const p of candidates) {
        const after = i + 1 + p.length;
        if (text.startsWith(p, i + 1) && (after >= text.length || !isLetterCode(text.charCodeAt(after)))) return i;
      }
    }
    return -1;
  };
  const pool = [...SPACES, ...PUNCTUATION, ...WORDS, ...PREDICATES, "Bình Sơn", "tiếp", "tụcx", "những", "Tổng hợp", "thực hiệnx"];

  it("answers as the plain walk on generated texts", () => {
    for (const s of generated(pool, 6000, 14)) {
      for (const from of [0, 1, 3]) expect(predicateIndex(s, from), `${JSON.stringify(s)} @${from}`).toBe(plain(s, from));
    }
    expect(isSpaceCode(0x20)).toBe(true);
  });
});

describe("deadlinesIn", () => {
  // deadlineIn as first written: two gate scans, every period pattern scanned, strict and loose apart.
  const BEFORE = /(?:truoc|cham nhat(?: la)?|han chot(?: la)?|thoi han(?: hoan thanh)?(?: la)?|hoan thanh(?: truoc| vao| trong)?|xong(?: truoc)?|ket thuc(?: truoc)?|(?:den|toi)(?: het)?|nop(?: truoc)?)\s*:?\s*(?:(?:vao|la)\s*)?(?:ngay\s*)?$/;
  const STRONG = /(?:truoc|cham nhat(?: la)?|han chot(?: la)?|thoi han(?: hoan thanh)?(?: la)?|hoan thanh(?: truoc| vao)?|xong(?: truoc)?)\s*:?\s*(?:(?:vao|la)\s*)?(?:ngay\s*)?$/;
  const C = "(?:hoan thanh|xong|ket thuc|truoc|cham nhat)";
  const periods: [RegExp, (m: RegExpMatchArray) => string | null][] = [
    [/(?:(?:den|toi|truoc)\s+)?het\s+nam\s+(\d{4})|(?:den|toi|truoc)\s+cuoi\s+nam\s+(\d{4})/g, (m) => periodEnd("year", "", Number(m[1] ?? m[2]))],
    [new RegExp(`${C}(?:\\s+[^\\s.;]+){0,8}?(?:\\s+(?:trong|truoc|vao|trong thoi gian))?\\s+quy\\s+(i{1,3}|iv|[1-4])\\s*(?:\\/|nam)\\s*(\\d{4})`, "g"), (m) => periodEnd("quarter", m[1]!, Number(m[2]))],
    [new RegExp(`${C}(?:\\s+(?:trong|vao))?\\s+thang\\s+(\\d{1,2})\\s*(?:\\/|nam)\\s*(\\d{4})`, "g"), (m) => periodEnd("month", m[1]!, Number(m[2]))],
    [new RegExp(`${C}(?:\\s+(?:trong|vao))?\\s+nam\\s+(\\d{4})`, "g"), (m) => periodEnd("year", "", Number(m[1]))],
  ];
  const plain = (text: string, strict: boolean): string | null => {
    if (!/\d{4}/.test(text)) return null;
    const folded = fold(text);
    const out: string[] = [];
    for (const d of /truoc|cham nhat|han chot|thoi han|hoan thanh|xong|ket thuc|den|toi|nop/.test(folded) ? findDates(text) : []) {
      if (d.iso.length !== 10 || !(strict ? STRONG : BEFORE).test(folded.slice(Math.max(0, d.index - 30), d.index))) continue;
      if (/^\s*(?:hang|hằng|moi)\s*(?:thang|nam|quy|tuan)/.test(folded.slice(d.end, d.end + 20))) continue;
      out.push(d.iso);
    }
    const periodWords = /hoan thanh|xong|ket thuc|truoc|cham nhat|het nam|cuoi nam/.test(folded) && /het nam|cuoi nam|quy [iv\d]|thang \d|nam \d/.test(folded);
    for (const [re, end] of periodWords ? periods : []) {
      for (const m of allMatches(re, folded)) {
        if (strict && !/hoan thanh|xong|truoc|cham nhat/.test(m[0])) continue;
        const iso = end(m);
        if (iso) out.push(iso);
      }
    }
    return out.length ? out.sort().at(-1)! : null;
  };
  const pool = [
    " ", " ", "  ", ", ", ". ", ": ", "; ",
    "hoàn thành", "xong", "kết thúc", "trước", "chậm nhất", "chậm nhất là", "hạn chót", "thời hạn", "đến", "tới", "nộp", "hết", "cuối", "năm", "năm 2023", "2024",
    "quý II/2020", "quý", "IV", "3/", "tháng 6/2021", "tháng", "6", "ngày", "ngày 30/11/2018", "15/02/2023", "ngày 5 tháng 7 năm 2022", "hằng tháng", "hàng năm",
    "số liệu", "báo cáo", "trong", "vào", "Sở", "het nam 2025", "cuoi nam 2026",
  ];

  it("reads both ways as the plain deadlineIn on generated texts", () => {
    for (const s of generated(pool, 5000, 12)) {
      const both = deadlinesIn(s);
      expect(both.strict, JSON.stringify(s)).toBe(plain(s, true));
      expect(both.loose, JSON.stringify(s)).toBe(plain(s, false));
      expect(deadlineIn(s, { strict: true }, fold(s))).toBe(both.strict);
    }
  });
});

describe("foldedText", () => {
  const pool = ["1. ", "a) ", "- ", "Điều 2. ", "Cơ quan thực hiện: ", "Sở Tài chính ", "chủ trì ", "ĐỀ NGHỊ ", "Ủy ban ", "\n", "\n", "\n", "x".repeat(70), " ", "\ud83d", "\ude00", "😀", "\ufffd", "Thời gian thực hiện: năm 2025 "];

  it("isMetadataLine reads a piece of the caller's fold as it reads its own", () => {
    for (const s of generated(pool, 3000, 6)) {
      const long = `${s}${"x".repeat(70)}`;
      for (const text of [s, long, long.slice(5)]) expect(isMetadataLine(text, fold(text)), JSON.stringify(text)).toBe(isMetadataLine(text));
      expect(isMetadataLine(long.slice(5), fold(long).slice(5)), JSON.stringify(long)).toBe(isMetadataLine(long.slice(5)));
    }
  });

  it("is the fold of each node's text, trimmed or not, on generated letters", () => {
    for (const doc of generated(pool, 400, 30)) {
      const nodes = flatten(buildOutline(readPlainText(doc, { encoding: "utf-8" }).blocks));
      for (const node of nodes) {
        expect(foldedText(node), JSON.stringify(node.text)).toBe(fold(node.text));
        expect(foldedText(node, true), JSON.stringify(node.text)).toBe(fold(node.text.trim()));
      }
    }
  });
});
