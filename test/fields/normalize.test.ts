import { describe, expect, it } from "vitest";
import { cleanValue, fold, normalizeLine } from "../../extractors/text/normalize.ts";
import { capitalizeFirst, isAbbreviation, isAllCaps, nameCase, titleCase } from "../../extractors/text/vietnamese.ts";

describe("normalizeLine", () => {
  it("composes decomposed Vietnamese to NFC", () => {
    // "Hoà bình" written with combining grave accents (NFD), as some PDFs emit it.
    const nfd = "Ho\u0061\u0300 bi\u0300nh".normalize("NFD");
    expect(nfd).not.toBe(nfd.normalize("NFC"));
    const out = normalizeLine(nfd);
    expect(out).toBe("Hoà bình");
    expect(out).toBe(out.normalize("NFC"));
  });

  it("removes bold markup around a number", () => {
    expect(normalizeLine("Số: **526**/VP-HCTC")).toBe("Số: 526/VP-HCTC");
  });

  it("removes strike-through markup", () => {
    expect(normalizeLine("Số: ~~1302~~/SCT-VP")).toBe("Số: 1302/SCT-VP");
  });

  it("removes italic markup around a phrase", () => {
    expect(normalizeLine("*Sao gửi kèm*")).toBe("Sao gửi kèm");
    expect(normalizeLine("(*Có danh sách kèm theo*)")).toBe("(Có danh sách kèm theo)");
  });

  it("removes an underscore at a word edge", () => {
    expect(normalizeLine("- Lưu: VT, HCTC_(Ph).")).toBe("- Lưu: VT, HCTC(Ph).");
    expect(normalizeLine("_Kính gửi:_ Sở Nội vụ")).toBe("Kính gửi: Sở Nội vụ");
  });

  it("keeps an underscore inside a word (e-mail addresses, file names)", () => {
    expect(normalizeLine("qua hộp thư: vp_sct@quangtri.gov.vn")).toBe("qua hộp thư: vp_sct@quangtri.gov.vn");
    expect(normalizeLine("tệp bao_cao_2023.docx")).toBe("tệp bao_cao_2023.docx");
  });

  it("keeps a leading '* ' bullet but removes emphasis after it", () => {
    expect(normalizeLine("* **Rà soát** thủ tục")).toBe("* Rà soát thủ tục");
    expect(normalizeLine("*Lưu ý:* nộp đúng hạn")).toBe("Lưu ý: nộp đúng hạn");
  });

  it("unwraps autolinks", () => {
    expect(normalizeLine("tại <https://sct.quangtri.gov.vn>")).toBe("tại https://sct.quangtri.gov.vn");
  });

  it("folds odd spaces, drops invisible characters, collapses whitespace and trims", () => {
    expect(normalizeLine("\u00a0 Sở\u00a0Công\tThương\u200b  tỉnh  ")).toBe("Sở Công Thương tỉnh");
    expect(normalizeLine("  \u200b ")).toBe("");
  });
});

describe("cleanValue", () => {
  it("collapses and trims", () => {
    expect(cleanValue("  Sở   Nội\n vụ ")).toBe("Sở Nội vụ");
  });
});

describe("fold", () => {
  it("keeps the string's length so offsets map back to the original", () => {
    for (const s of ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Ủy ban nhân dân tỉnh Đắk Lắk", "Độc lập - Tự do - Hạnh phúc", "ngày 22 tháng 12 năm 2020"]) {
      expect(fold(s)).toHaveLength(s.length);
    }
  });

  it("maps HÒA and HOÀ (old and new tone placement) to the same text", () => {
    expect(fold("HÒA")).toBe("hoa");
    expect(fold("HOÀ")).toBe("hoa");
    expect(fold("CỘNG HÒA")).toBe(fold("Cộng hoà"));
  });

  it("maps ủy and uỷ to the same text", () => {
    expect(fold("ủy")).toBe("uy");
    expect(fold("uỷ")).toBe("uy");
    expect(fold("Ủy ban")).toBe(fold("Uỷ ban"));
  });

  it("maps Đ and đ to d", () => {
    expect(fold("Đ")).toBe("d");
    expect(fold("đ")).toBe("d");
    expect(fold("ĐỘC LẬP")).toBe("doc lap");
  });

  it("lower-cases ASCII and keeps digits and punctuation", () => {
    expect(fold("Số: 526/VP-HCTC")).toBe("so: 526/vp-hctc");
  });

  it("does not fold different letters together", () => {
    expect(fold("Sở")).not.toBe(fold("Sơn"));
    expect(fold("ủy")).not.toBe(fold("ý"));
  });
});

describe("Vietnamese casing helpers", () => {
  it("isAllCaps needs letters and no lower case", () => {
    expect(isAllCaps("SỞ CÔNG THƯƠNG")).toBe(true);
    expect(isAllCaps("Số: 526/VP-HCTC")).toBe(false);
    expect(isAllCaps("2023")).toBe(false);
  });

  it("isAbbreviation tells codes from syllables", () => {
    expect(isAbbreviation("UBND")).toBe(true);
    expect(isAbbreviation("SKHĐT")).toBe(true);
    expect(isAbbreviation("XII")).toBe(true);
    expect(isAbbreviation("TỈNH")).toBe(false);
    expect(isAbbreviation("NGHIÊNG")).toBe(false);
  });

  it("nameCase writes an all-caps body name as running text", () => {
    expect(nameCase("UBND TỈNH QUẢNG TRỊ")).toBe("UBND tỉnh Quảng Trị");
    expect(nameCase("SỞ KẾ HOẠCH VÀ ĐẦU TƯ")).toBe("Sở Kế hoạch và Đầu tư");
    expect(nameCase("ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH")).toBe("Ủy ban nhân dân tỉnh Bình Định");
    expect(nameCase("SỞ CÔNG THƯƠNG")).toBe("Sở Công Thương");
  });

  it("titleCase gives titles and authorities in sentence case", () => {
    expect(titleCase("PHÓ GIÁM ĐỐC")).toBe("Phó Giám đốc");
    expect(titleCase("KT. GIÁM ĐỐC")).toBe("KT. Giám đốc");
    expect(titleCase("CHÁNH VĂN PHÒNG")).toBe("Chánh Văn phòng");
    expect(titleCase("TM. ỦY BAN NHÂN DÂN")).toBe("TM. Ủy ban nhân dân");
    expect(titleCase("PHÓ CHỦ TỊCH")).toBe("Phó Chủ tịch");
  });

  it("capitalizeFirst skips leading punctuation", () => {
    expect(capitalizeFirst("(các phòng)")).toBe("(Các phòng)");
    expect(capitalizeFirst("123")).toBe("123");
  });
});
