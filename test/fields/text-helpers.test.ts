import { describe, expect, it } from "vitest";
import { allLettersOrNumbers, isLetterCode, isSpaceCode, moreWordsThan } from "../../extractors/text/chars.ts";
import { allMatches } from "../../extractors/text/regex.ts";
import { fold, NFC_STABLE_RANGES, normalizeLine, normalizePreparedLine, prepareText } from "../../extractors/text/normalize.ts";
import { isoDate } from "../../extractors/fields/dates.ts";

// The scanning helpers stand in for regexes and whole-line passes: each must answer exactly as what it replaces.

describe("character tests", () => {
  it("agree with \\s, \\p{L} and [\\p{L}\\p{N}] on every code unit", () => {
    const mismatches: number[] = [];
    for (let code = 0; code < 0x10000; code++) {
      const c = String.fromCharCode(code);
      if (isSpaceCode(code) !== /\s/.test(c) || isLetterCode(code) !== /\p{L}/u.test(c) || allLettersOrNumbers(c) !== /^[\p{L}\p{N}]$/u.test(c)) mismatches.push(code);
    }
    expect(mismatches).toEqual([]);
  });

  it("count words as split(/\\s+/) does, leading and trailing spaces included", () => {
    for (const s of ["", "a", "a b", " a b ", "a  \u00a0 b\tc", "Sở Tài chính, Sở Xây dựng ", "\u2003x"]) {
      for (const max of [0, 1, 2, 3, 5]) expect(moreWordsThan(s, max), `${JSON.stringify(s)} > ${max}`).toBe(s.split(/\s+/).length > max);
    }
  });
});

describe("allMatches", () => {
  it("finds what matchAll finds, empty matches and surrogate pairs included", () => {
    const cases: [RegExp, string][] = [
      [/\d+/g, "số 12, 345 và 6"],
      [/x*/g, "axxbx"],
      [/(?:)/gu, "a😀b"],
      [/\p{Lu}/gu, "Sở Nội Vụ 😀 𝐀"],
    ];
    for (const [re, text] of cases) {
      const expected = [...text.matchAll(re)].map((m) => [m.index, m[0]]);
      expect(allMatches(re, text).map((m) => [m.index, m[0]])).toEqual(expected);
      expect(re.lastIndex).toBe(0);
    }
  });
});

describe("prepared text", () => {
  it("gives each line what normalizeLine gives it", () => {
    const doc = "Sở\u00a0Công  Thương\u200b\n* **Rà soát** thủ tục\n  thụt lề \u2003 \n_Kính gửi:_ Sở Nội vụ\nvp_sct@quangtri.gov.vn\n*  ~~1302~~ <http://x.vn>\n  \u00ad*  mục";
    const prepared = prepareText(doc);
    const lines = prepared.text.split("\n");
    expect(lines.map((l) => normalizePreparedLine(l, prepared))).toEqual(doc.normalize("NFC").split("\n").map((l) => normalizeLine(l)));
  });

  it("notes whether any line can need the invisible-character and markup passes", () => {
    expect(prepareText("Sở Nội vụ\nPhòng Tổ chức")).toMatchObject({ invisible: false, markup: false });
    expect(prepareText("Sở Nội\u00ad vụ")).toMatchObject({ invisible: true, markup: false });
    expect(prepareText("**526**/VP")).toMatchObject({ invisible: false, markup: true });
  });
});

describe("prepareText's single pass", () => {
  const stable: string[] = [];
  for (const [from, to] of NFC_STABLE_RANGES) {
    for (let code = from; code <= to; code++) {
      const c = String.fromCharCode(code);
      if (c.normalize("NFC") === c) stable.push(c);
    }
  }

  it("skips NFC only for units that no neighbour can change", () => {
    // A unit whose decomposition starts with a starter keeps its marks to itself; then only a pair can compose.
    expect(stable.filter((c) => /^\p{M}/u.test(c.normalize("NFD")))).toEqual([]);
    const changed: string[] = [];
    for (const a of stable) for (const b of stable) if ((a + b).normalize("NFC") !== a + b) changed.push(a + b);
    expect(changed).toEqual([]);
  });

  // The passes as they were written before the single walk: NFC, then each question asked by its own scan.
  const plainPrepare = (raw: string) => {
    let text = raw.normalize("NFC");
    let invisible = false;
    if (/[\t\v\u00a0\u00ad\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/.test(text)) {
      text = text.replace(/[\t\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g, " ");
      invisible = /[\u200B-\u200D\u2060\uFEFF\u00AD]/.test(text);
    }
    const markupChars = [..."*~_<"].filter((c) => text.includes(c)).join("");
    return { text, invisible, markup: /[*~_<]/.test(text), markupChars };
  };

  it("answers as the separate passes on generated texts", () => {
    const pool = [..."aeo Đđ.\n", "ệ", "e\u0302\u0323", "\u0301", "\u00a0", "\u00ad", "\u2001", "\u2003", "\u200b", "\u3000", "\ufeff", "\t", "*", "_", "~", "<", "Ω", "\u2126", "가", "\u1100\u1161", "“", "▪", "😀"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % pool.length;
    for (let n = 0; n < 3000; n++) {
      let raw = "";
      for (let k = n % 12; k >= 0; k--) raw += pool[next()];
      expect(prepareText(raw), JSON.stringify(raw)).toEqual(plainPrepare(raw));
    }
  });
});

describe("fold", () => {
  it("folds a slice as it folds the whole text there, so callers can slice a folded text", () => {
    const text = "Ủy ban nhân dân tỉnh Quảng Trị giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với các đơn vị liên quan thực hiện.";
    const folded = fold(text);
    for (const [a, b] of [[0, 8], [5, 40], [30, text.length], [0, text.length]]) expect(fold(text.slice(a, b))).toBe(folded.slice(a, b));
  });
});

describe("isoDate", () => {
  it("knows the length of each month, leap years included", () => {
    expect(isoDate(2024, 2, 29)).toBe("2024-02-29");
    expect(isoDate(2023, 2, 29)).toBeNull();
    expect(isoDate(2000, 2, 29)).toBe("2000-02-29");
    expect(isoDate(2100, 2, 29)).toBeNull();
    expect(isoDate(2023, 4, 31)).toBeNull();
    expect(isoDate(2023, 12, 31)).toBe("2023-12-31");
  });
});
