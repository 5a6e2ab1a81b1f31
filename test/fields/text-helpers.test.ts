import { describe, expect, it } from "vitest";
import { allLettersOrNumbers, isLetterCode, isSpaceCode, moreWordsThan } from "../../extractors/text/chars.ts";
import { allMatches } from "../../extractors/text/regex.ts";
import { fold, normalizeLine, normalizePreparedLine, prepareText } from "../../extractors/text/normalize.ts";
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
    const doc = "Sở\u00a0Công  Thương\u200b\n* **Rà soát** thủ tục\n  thụt lề \u2003 \n_Kính gửi:_ Sở Nội vụ\nvp_sct@quangtri.gov.vn";
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
