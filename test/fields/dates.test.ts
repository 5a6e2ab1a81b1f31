import { describe, expect, it } from "vitest";
import { dateAt, findDates, isoDate, lastDayOfMonth, periodEnd } from "../../extractors/fields/dates.ts";
import { extractFromText } from "../../extractors/extract.ts";

const isos = (text: string) => findDates(text).map((d) => d.iso);

describe("findDates", () => {
  it.each([
    ["ban hành ngày 24/5/2023 của UBND tỉnh", "2023-05-24"],
    ["Quyết định ngày 26/03/2021", "2021-03-26"],
    ["Công văn ngày 21-02-2018", "2018-02-21"],
    ["Thông báo ngày 08.12.2020", "2020-12-08"],
    ["Quảng Trị, ngày 22 tháng 12 năm 2020", "2020-12-22"],
    ["Hà Nội, ngày 5 tháng 9 năm 2019", "2019-09-05"],
    ["Bình Định, ngày 05 tháng 01, năm 2022", "2022-01-05"],
  ])("reads %j as %s", (text, iso) => {
    expect(isos(text)).toEqual([iso]);
  });

  it("reads a blank day as year-month", () => {
    expect(isos("Bình Định, ngày   tháng 04 năm 2021")).toEqual(["2021-04"]);
    expect(isos("Quảng Ngãi, ngày tháng 11 năm 2024")).toEqual(["2024-11"]);
  });

  it("reports where each date is, in text order", () => {
    const text = "từ ngày 01/3/2021 đến ngày 15 tháng 4 năm 2021";
    const found = findDates(text);
    expect(found.map((d) => d.iso)).toEqual(["2021-03-01", "2021-04-15"]);
    expect(text.slice(found[0]!.index, found[0]!.end)).toBe("01/3/2021");
    expect(text.slice(found[1]!.index, found[1]!.end)).toBe("ngày 15 tháng 4 năm 2021");
  });

  it.each([
    ["31/02/2021", "no 31st of February"],
    ["29/02/2021", "2021 is not a leap year"],
    ["32/01/2021", "no 32nd day"],
    ["15/13/2021", "no 13th month"],
    ["ngày 31 tháng 4 năm 2022", "April has 30 days"],
    ["12/5/1890", "before 1945"],
  ])("rejects the invalid date %j (%s)", (text) => {
    expect(isos(text)).toEqual([]);
  });

  it("accepts 29 February in a leap year", () => {
    expect(isos("ngày 29/02/2024")).toEqual(["2024-02-29"]);
  });

  it.each([
    ["giai đoạn 2016-2020", "a period of years"],
    ["theo tiêu chuẩn ISO 9001:2015", "a standard"],
    ["Quyết định số 1302/QĐ-UBND", "a document number"],
    ["điện thoại 0233.3852.789", "a phone number"],
    ["tỷ lệ 12/5", "a fraction"],
    ["số 08/2018/NĐ-CP", "a normative number with its year"],
  ])("finds no date in %j (%s)", (text) => {
    expect(isos(text)).toEqual([]);
  });
});

describe("isoDate / lastDayOfMonth / periodEnd", () => {
  it("pads and validates", () => {
    expect(isoDate(2023, 5, 4)).toBe("2023-05-04");
    expect(isoDate(2021, 4)).toBe("2021-04");
    expect(isoDate(2021, 2, 29)).toBeNull();
    expect(isoDate(2021, 0, 1)).toBeNull();
  });

  it("gives the last day of a month", () => {
    expect(lastDayOfMonth(2024, 2)).toBe("2024-02-29");
    expect(lastDayOfMonth(2023, 2)).toBe("2023-02-28");
    expect(lastDayOfMonth(2020, 6)).toBe("2020-06-30");
  });

  it("gives the last day of quarters, months, halves and years", () => {
    expect(periodEnd("quarter", "II", 2020)).toBe("2020-06-30");
    expect(periodEnd("quarter", "iv", 2020)).toBe("2020-12-31");
    expect(periodEnd("quarter", "3", 2020)).toBe("2020-09-30");
    expect(periodEnd("quarter", "V", 2020)).toBeNull();
    expect(periodEnd("month", "6", 2020)).toBe("2020-06-30");
    expect(periodEnd("month", "13", 2020)).toBeNull();
    expect(periodEnd("half", "first", 2024)).toBe("2024-06-30");
    expect(periodEnd("year", "", 2023)).toBe("2023-12-31");
  });
});

describe("dateAt", () => {
  it("reads the date right after a citation's number", () => {
    const text = "Quyết định số 701/QĐ-UBND ngày 24/5/2023 của UBND tỉnh";
    const end = text.indexOf("701/QĐ-UBND") + "701/QĐ-UBND".length;
    expect(dateAt(text, end, 6)?.iso).toBe("2023-05-24");
  });

  it("does not reach a date far after the position", () => {
    const text = "Quyết định số 701/QĐ-UBND của UBND tỉnh về việc phê duyệt kế hoạch năm, ban hành 24/5/2023";
    const end = text.indexOf("701/QĐ-UBND") + "701/QĐ-UBND".length;
    expect(dateAt(text, end, 6)).toBeNull();
  });
});

describe("document date from the date line", () => {
  const letter = (dateLine: string) =>
    extractFromText(`SỞ NỘI VỤ\nSố: 15/SNV-VP\n${dateLine}\nV/v báo cáo công tác cải cách hành chính\nKính gửi: Các phòng thuộc Sở.\nĐề nghị các phòng báo cáo.`).document;

  it.each([
    ["Quảng Trị, ngày 22 tháng 12 năm 2020", "2020-12-22"],
    ["Quảng Trị, ngày   tháng 04 năm 2021", "2021-04"],
    ["Quảng Trị, ngày 05 tháng 3 năm 2019", "2019-03-05"],
  ])("%j → %s", (dateLine, iso) => {
    const d = letter(dateLine);
    expect(d.date).toBe(iso);
    expect(d.place).toBe("Quảng Trị");
  });

  it("an invalid date on the date line gives no date", () => {
    expect(letter("Quảng Trị, ngày 31 tháng 02 năm 2021").date).toBeNull();
  });
});
