import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BODY_IN_TEXT, initialsOf, nextBody, wordInitial } from "../extractors/fields/bodies.ts";
import { dateAt, findDates, firstDateBy } from "../extractors/fields/dates.ts";
import { isCollapsed, trimEndSpacesAndDashes, trimEndSpacesAndStops } from "../extractors/text/chars.ts";
import { cannotStartLabel, LABEL } from "../extractors/layout/labels.ts";
import { hasDigitDotDigit } from "../extractors/readers/text.ts";

// The fast paths of the field extractors against the plain definitions they stand in for,
// on generated texts made of the pieces each one reacts to.

const LETTERS = "/work/shared/fixtures/letters";
const letters = (() => {
  try {
    return readdirSync(LETTERS).filter((f) => f.endsWith(".txt")).map((f) => readFileSync(`${LETTERS}/${f}`, "utf8").normalize("NFC"));
  } catch {
    return [];
  }
})();

/** Texts of `count` pieces drawn from `pool` with a fixed seed. */
function generated(pool: string[], texts: number, maxPieces: number): string[] {
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const out: string[] = [];
  for (let n = 0; n < texts; n++) {
    let text = "";
    for (let k = next() % maxPieces; k >= 0; k--) text += pool[next() % pool.length];
    out.push(text);
  }
  return out;
}

describe("bodies in a letter's text", () => {
  const pool = ["Sở", "Bộ", "Văn phòng", "Ban", "Chi cục", "Cục", "Tổng cục", "Ủy ban", "Uỷ ban", "Hội đồng", "Trường", " ", "  ", "và", " và ", "Kế", "hoạch", "Đầu", "tư", "x", "1", ",", "-", "𝐀", "ĐT", "\n"];
  const texts = [...generated(pool, 4000, 14), ...letters.map((l) => l.slice(0, 6000))];

  it("are the matches a global search finds", () => {
    for (const text of texts) {
      const expected = [...text.matchAll(BODY_IN_TEXT)].map((m) => [m.index, m[0]]);
      const found: [number, string][] = [];
      for (let m = nextBody(text, 0); m !== null; m = nextBody(text, m.index + m[0].length)) found.push([m.index, m[0]]);
      expect(found, JSON.stringify(text)).toEqual(expected);
    }
  });

  it("give each word the initial initialsOf gives it", () => {
    for (const text of texts) for (const m of text.matchAll(BODY_IN_TEXT)) for (const w of m[0].split(/\s+/)) expect(wordInitial(w), w).toBe(initialsOf(w));
  });
});

describe("the date at a place", () => {
  const pool = ["ngày ", "ngày", "tháng ", "THÁNG ", "Tháng", " năm ", "năm", "12", "3", "31", "02", "2021", "1999", "/", ".", "-", " ", ", ", "ban hành ", "x", "29/02/2020", "31/4/2021", "5"];
  const texts = generated(pool, 6000, 12);

  it("is the first date findDates finds by the limit", () => {
    for (const text of texts) {
      for (const limit of [0, 3, 6, 20]) expect(firstDateBy(text, limit), `${JSON.stringify(text)} by ${limit}`).toEqual(findDates(text).find((d) => d.index <= limit) ?? null);
    }
  });

  it("is read at every place of the letters as findDates reads it", () => {
    for (const text of letters) {
      for (let index = 0; index < text.length; index += 7) {
        const window = text.slice(index, index + 60);
        const lead = /^[\s,]*(?:ban hành\s+)?(?:ngày\s*)?/iu.exec(text.slice(index, index + 46))![0].length;
        const plain = lead > 22 ? null : (findDates(window).find((d) => d.index <= Math.max(lead, 6)) ?? null);
        const expected = plain ? { ...plain, index: plain.index + index, end: plain.end + index } : null;
        expect(dateAt(text, index, 6)).toEqual(expected);
      }
    }
  });
});

describe("spaces and punctuation at the end", () => {
  const pool = ["a", "-", "–", "—", " ", "  ", "\u00a0", "\t", "\n", "Sở", "𝐀", "\u2003", "x-", ".", ";", ",", ":", "!", "\ufeff"];
  const texts = generated(pool, 4000, 8);

  it("are trimmed as the patterns trim them", () => {
    for (const text of texts) {
      expect(trimEndSpacesAndDashes(text), JSON.stringify(text)).toBe(text.replace(/[\s\-–]+$/u, ""));
      expect(trimEndSpacesAndStops(text), JSON.stringify(text)).toBe(text.replace(/[\s.;,:]+$/u, ""));
    }
  });

  it("tell a collapsed text as the collapse does", () => {
    for (const text of [...texts, "", " ", "a", "a b", "a  b"]) expect(isCollapsed(text), JSON.stringify(text)).toBe(text.replace(/\s+/g, " ").trim() === text);
  });
});

describe("line starts", () => {
  const pool = ["a", "đ", "Đ", "Điều", "Điều ", ")", " ", "1", ".", "2.", "a)", "đ)", "b) ", "Đồng", "x", "(", "I.", "-", "\u0110i\u0301\u00eau", "q)x", "z", "{", "`"];
  const texts = generated(pool, 6000, 6);

  it("that cannotStartLabel turns away hold no label", () => {
    for (const text of texts) if (cannotStartLabel(text)) expect(LABEL.exec(text), JSON.stringify(text)).toBeNull();
    expect(texts.filter(cannotStartLabel).length).toBeGreaterThan(1000);
  });

  it("hold a digit, a dot and a digit where the pattern finds them", () => {
    for (const text of [...texts, ".1", "1.", "1.2", "a1.2b", "..1.", "1..2"]) expect(hasDigitDotDigit(text), JSON.stringify(text)).toBe(/\d\.\d/.test(text));
  });
});
