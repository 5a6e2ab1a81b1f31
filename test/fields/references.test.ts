import { describe, expect, it } from "vitest";
import { extractFromText } from "../../extractors/extract.ts";
import { extractReferences } from "../../extractors/fields/references.ts";
import { readPlainText } from "../../extractors/readers/text.ts";

const refs = (text: string) => extractFromText(text).references.map(({ span: _span, ...r }) => r);

describe("references: kind, number, date, issuer", () => {
  it("Quyết định with number, date and issuer after 'của'", () => {
    expect(refs("Thực hiện Quyết định số 701/QĐ-UBND ngày 24/5/2023 của UBND tỉnh Lai Châu về việc phê duyệt kế hoạch.")).toEqual([
      { kind: "quyet_dinh", number: "701/QĐ-UBND", date: "2023-05-24", issuer: "UBND tỉnh Lai Châu" },
    ]);
  });

  it("Party number with a hyphen (01-NQ/TU)", () => {
    expect(refs("Căn cứ Nghị quyết số 01-NQ/TU ngày 15/4/2016 của Ban Thường vụ Tỉnh ủy về đẩy mạnh cải cách hành chính;")).toEqual([
      { kind: "nghi_quyet", number: "01-NQ/TU", date: "2016-04-15", issuer: "Ban Thường vụ Tỉnh ủy" },
    ]);
  });

  it("normative number with its year (08/2018/NĐ-CP)", () => {
    expect(refs("Căn cứ Nghị định số 08/2018/NĐ-CP ngày 15/01/2018 của Chính phủ sửa đổi một số nghị định;")).toEqual([
      { kind: "nghi_dinh", number: "08/2018/NĐ-CP", date: "2018-01-15", issuer: "Chính phủ" },
    ]);
  });

  it("a Party number written with hyphens only (18-NQ-TW) stays as written", () => {
    expect(refs("Thực hiện Nghị quyết số 18-NQ-TW về tinh gọn bộ máy.")).toEqual([{ kind: "nghi_quyet", number: "18-NQ-TW", date: null, issuer: null }]);
  });

  it.each([
    ["Thực hiện Chỉ thị số 37- CT/TW ngày 29/9/2014 của Ban Bí thư về tăng cường lãnh đạo.", "37-CT/TW", "chi_thi"],
    ["Thực hiện Quyết định số 416/QĐ- TTg ngày 10/4/2023 của Thủ tướng Chính phủ.", "416/QĐ-TTg", "quyet_dinh"],
    ["Thực hiện Công văn số 2105 / UBND-NC ngày 10/4/2023 của UBND tỉnh.", "2105/UBND-NC", "cong_van"],
  ])("removes spaces inside the number: %j → %s", (text, number, kind) => {
    const [r] = refs(text);
    expect(r?.number).toBe(number);
    expect(r?.kind).toBe(kind);
  });

  it("kind from the name before the number, else from the symbol's type code, else công văn", () => {
    expect(refs("Thực hiện Thông báo số 27-TB/BNCTU ngày 23/01/2017 của Ban Nội chính Tỉnh ủy.")[0]).toEqual({
      kind: "thong_bao",
      number: "27-TB/BNCTU",
      date: "2017-01-23",
      issuer: "Ban Nội chính Tỉnh ủy",
    });
    expect(refs("Thực hiện Chương trình hành động số 03-CTHĐ/CU ngày 09/02/2017 về cải cách hành chính.")[0]?.kind).toBe("chuong_trinh");
    expect(refs("theo 33/TTr-SLĐTBXH ngày 05/3/2021.")[0]?.kind).toBe("to_trinh");
    expect(refs("Thực hiện văn bản số 4975/UBND-KGVX ngày 05/3/2021 của UBND tỉnh.")[0]?.kind).toBe("cong_van");
  });

  it("the generic 'văn bản số' does not hide the symbol's type code", () => {
    expect(refs("Theo văn bản số 33/TTr-SLĐTBXH ngày 05/3/2021 của Sở Lao động - Thương binh và Xã hội.")[0]?.kind).toBe("to_trinh");
  });

  it("dates written 21-02-2018 and 'ngày 20 tháng 02 năm 2017' are read", () => {
    expect(refs("Thực hiện Quyết định số 25/QĐ-SNV ngày 21-02-2018 của Sở Nội vụ;")[0]?.date).toBe("2018-02-21");
    expect(refs("Thực hiện Kế hoạch số 56/KH-SCT ngày 20 tháng 02 năm 2017 của Sở Công Thương;")[0]?.date).toBe("2017-02-20");
  });

  it("'X và Y của Z' gives Z to both", () => {
    expect(
      refs("Thực hiện Công văn số 1047/SNV-CCHCVTLT ngày 10/8/2018 và Công văn số 1062/SNV-CCHCVTLT ngày 15/8/2018 của Sở Nội vụ về cải cách hành chính."),
    ).toEqual([
      { kind: "cong_van", number: "1047/SNV-CCHCVTLT", date: "2018-08-10", issuer: "Sở Nội vụ" },
      { kind: "cong_van", number: "1062/SNV-CCHCVTLT", date: "2018-08-15", issuer: "Sở Nội vụ" },
    ]);
  });

  it("'X của A và Y của B' keeps each issuer", () => {
    expect(refs("Căn cứ Quyết định số 10/QĐ-UBND ngày 05/01/2021 của UBND tỉnh và Kế hoạch số 08/KH-SCT ngày 08/02/2021 của Sở Công Thương;")).toEqual([
      { kind: "quyet_dinh", number: "10/QĐ-UBND", date: "2021-01-05", issuer: "UBND tỉnh" },
      { kind: "ke_hoach", number: "08/KH-SCT", date: "2021-02-08", issuer: "Sở Công Thương" },
    ]);
  });

  it("an issuer ending in 'Đầu tư' is kept whole", () => {
    expect(refs("Thực hiện Kế hoạch số 08/KH-SKHĐT ngày 08/02/2021 của Sở Kế hoạch và Đầu tư về cải cách hành chính.")[0]?.issuer).toBe("Sở Kế hoạch và Đầu tư");
  });

  it("'của X tại Công văn số N' takes the issuer named before the citation", () => {
    expect(refs("Thực hiện ý kiến chỉ đạo của UBND tỉnh tại Công văn số 2105/UBND-NC ngày 12/3/2022, Sở yêu cầu các phòng thực hiện.")).toEqual([
      { kind: "cong_van", number: "2105/UBND-NC", date: "2022-03-12", issuer: "UBND tỉnh" },
    ]);
  });

  it("'Xét đề nghị của Giám đốc Sở X tại Tờ trình số ... và Tờ trình số ...' gives Sở X to both", () => {
    expect(
      refs("Xét đề nghị của Giám đốc Sở Lao động - Thương binh và Xã hội tại Tờ trình số 33/TTr-SLĐTBXH ngày 05/3/2021 và Tờ trình số 42/TTr-SLĐTBXH ngày 20/3/2021.").map(
        (r) => [r.number, r.issuer],
      ),
    ).toEqual([
      ["33/TTr-SLĐTBXH", "Sở Lao động - Thương binh và Xã hội"],
      ["42/TTr-SLĐTBXH", "Sở Lao động - Thương binh và Xã hội"],
    ]);
  });

  it("an issuer at the end of a 'về ...' clause", () => {
    expect(refs("Thực hiện Kế hoạch số 100/KH-VP ngày 22/02/2022 về cải cách hành chính năm 2022 của Văn phòng UBND tỉnh;")).toEqual([
      { kind: "ke_hoach", number: "100/KH-VP", date: "2022-02-22", issuer: "Văn phòng UBND tỉnh" },
    ]);
  });

  it("no date and no issuer when the citation gives none", () => {
    expect(refs("Tiếp tục triển khai Quyết định số 3113/QĐ-UBND về kế hoạch tin học hóa.")).toEqual([
      { kind: "quyet_dinh", number: "3113/QĐ-UBND", date: null, issuer: null },
    ]);
  });

  it("an issuer that contains 'Sở' is kept whole (Chi ủy Sở Công Thương)", () => {
    expect(refs("Thực hiện Kế hoạch số 05-KH/CU ngày 20/02/2017 của Chi ủy Sở Công Thương;")).toEqual([
      { kind: "ke_hoach", number: "05-KH/CU", date: "2017-02-20", issuer: "Chi ủy Sở Công Thương" },
    ]);
  });

  it("an issuer before 'tại' that itself contains 'của' is kept whole", () => {
    expect(
      refs("Thực hiện ý kiến chỉ đạo của Tổ công tác cải cách thủ tục hành chính của Thủ tướng Chính phủ tại Công văn số 70/TCTCCTTHC ngày 19/9/2023, Sở yêu cầu.")[0]
        ?.issuer,
    ).toBe("Tổ công tác cải cách thủ tục hành chính của Thủ tướng Chính phủ");
  });

  it("a law cited by its number (Luật ... số 77/2015/QH13) has kind luat", () => {
    expect(refs("Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13 ngày 19/6/2015;")[0]?.kind).toBe("luat");
  });

  it("an invalid date after the number gives date null but keeps the issuer", () => {
    expect(refs("Căn cứ Quyết định số 1302/QĐ-UBND ngày 31/02/2021 của UBND tỉnh;")).toEqual([
      { kind: "quyet_dinh", number: "1302/QĐ-UBND", date: null, issuer: "UBND tỉnh" },
    ]);
  });
});

describe("references: deduplication", () => {
  it("one entry per number; a later fuller mention fills date and issuer", () => {
    expect(
      refs("Triển khai Kế hoạch số 119-KH/TU về cải cách hành chính.\n\nCăn cứ Kế hoạch số 119-KH/TU ngày 18/12/2019 của Ban Thường vụ Tỉnh ủy, Sở yêu cầu các phòng thực hiện."),
    ).toEqual([{ kind: "ke_hoach", number: "119-KH/TU", date: "2019-12-18", issuer: "Ban Thường vụ Tỉnh ủy" }]);
  });

  it("a later shorter mention does not erase what the first gave", () => {
    expect(
      refs("Căn cứ Kế hoạch số 119-KH/TU ngày 18/12/2019 của Ban Thường vụ Tỉnh ủy về cải cách hành chính.\n\nCác phòng tiếp tục thực hiện Kế hoạch số 119-KH/TU."),
    ).toEqual([{ kind: "ke_hoach", number: "119-KH/TU", date: "2019-12-18", issuer: "Ban Thường vụ Tỉnh ủy" }]);
  });

  it("the fuller mention's issuer wins over a shorter first mention's", () => {
    expect(
      refs("Triển khai Kế hoạch số 119-KH/TU của Tỉnh ủy.\n\nCăn cứ Kế hoạch số 119-KH/TU ngày 18/12/2019 của Ban Thường vụ Tỉnh ủy về cải cách hành chính, Sở yêu cầu."),
    ).toEqual([{ kind: "ke_hoach", number: "119-KH/TU", date: "2019-12-18", issuer: "Ban Thường vụ Tỉnh ủy" }]);
  });

  it("numbers that differ only by spacing are the same reference", () => {
    expect(refs("Thực hiện Chỉ thị số 37-CT/TW.\n\nQuán triệt Chỉ thị số 37- CT/TW ngày 29/9/2014 của Ban Bí thư.").map((r) => r.number)).toEqual(["37-CT/TW"]);
  });

  it("keeps document order", () => {
    expect(refs("Căn cứ Quyết định số 3/QĐ-UBND ngày 05/01/2021; Kế hoạch số 1/KH-UBND ngày 06/01/2021; Công văn số 2/UBND-VX ngày 07/01/2021.").map((r) => r.number)).toEqual([
      "3/QĐ-UBND",
      "1/KH-UBND",
      "2/UBND-VX",
    ]);
  });

  it("excludes the letter's own number", () => {
    const model = readPlainText("Kế hoạch số 56/KH-SCT ngày 05/3/2021 và Quyết định số 12/QĐ-UBND ngày 01/3/2021.", { encoding: "utf-8" });
    expect(extractReferences(model, { ownNumber: "56/KH-SCT" }).map((r) => r.number)).toEqual(["12/QĐ-UBND"]);
  });
});

describe("references: what is not a reference", () => {
  it.each([
    ["a citation with no number", "Thực hiện Kế hoạch cải cách hành chính hàng năm của UBND tỉnh, Sở yêu cầu các phòng thực hiện."],
    ["a period of years", "Thực hiện kế hoạch giai đoạn 2016-2020 về cải cách hành chính."],
    ["an ISO standard", "Duy trì hệ thống quản lý chất lượng theo tiêu chuẩn ISO 9001:2015 tại Sở."],
    ["a date", "Thực hiện từ ngày 24/5/2023 đến ngày 21-02-2024."],
    ["scores and ranks", "Đạt 95/100 điểm, hoàn thành 12/15 chỉ tiêu, xếp hạng 3/63 tỉnh."],
    ["a phone number", "Liên hệ điện thoại 0914/123456 để được hướng dẫn."],
    ["a lower-case code", "Tải tài liệu tại địa chỉ 12/abc-def trên cổng thông tin."],
  ])("%s", (_what, text) => {
    expect(refs(text)).toEqual([]);
  });
});
