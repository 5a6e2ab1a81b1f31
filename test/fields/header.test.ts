import { describe, expect, it } from "vitest";
import { extractFromText } from "../../extractors/extract.ts";
import { typeFromCode, typeFromName, typeFromSymbol } from "../../extractors/fields/doctypes.ts";
import { bodyForCode, initialsOf, issuerCodeOf } from "../../extractors/fields/bodies.ts";

const doc = (text: string) => extractFromText(text).document;

/** A minimal công văn header around a number line. */
const cv = (numberLine: string) =>
  `UBND TỈNH QUẢNG TRỊ\nSỞ CÔNG THƯƠNG\n${numberLine}\nV/v tăng cường kỷ luật hành chính\nQuảng Trị, ngày 10 tháng 10 năm 2019\nKính gửi: Các phòng chuyên môn thuộc Sở.\nSở yêu cầu các phòng thực hiện nghiêm túc.`;

describe("number and symbol", () => {
  it("Số: 526/VP-HCTC", () => {
    const d = doc(cv("Số: 526/VP-HCTC"));
    expect([d.number, d.symbol]).toEqual(["526", "VP-HCTC"]);
  });

  it("Số: 526 /VP-HCTC (space before the slash)", () => {
    const d = doc(cv("Số: 526 /VP-HCTC"));
    expect([d.number, d.symbol]).toEqual(["526", "VP-HCTC"]);
  });

  it("Số: **526**/VP-HCTC (converter markup)", () => {
    const d = doc(cv("Số: **526**/VP-HCTC"));
    expect([d.number, d.symbol]).toEqual(["526", "VP-HCTC"]);
  });

  it("Số: ~~1302~~/SCT-VP (strike-through markup)", () => {
    const d = doc(cv("Số: ~~1302~~/SCT-VP"));
    expect([d.number, d.symbol]).toEqual(["1302", "SCT-VP"]);
  });

  it("Số: 08/2018/NĐ-CP (normative number with its year)", () => {
    const d = doc(
      "CHÍNH PHỦ\nSố: 08/2018/NĐ-CP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 15 tháng 01 năm 2018\nNGHỊ ĐỊNH\nSửa đổi một số điều của các nghị định\n\nCăn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;",
    );
    expect([d.number, d.symbol]).toEqual(["08", "2018/NĐ-CP"]);
    expect(d.type).toBe("nghi_dinh");
    expect(d.issuer).toBe("Chính phủ");
  });

  it("Số: 01-NQ/TU (Party number with a hyphen)", () => {
    const d = doc(
      "TỈNH ỦY QUẢNG TRỊ\n*\nSố: 01-NQ/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nQuảng Trị, ngày 15 tháng 4 năm 2016\nNGHỊ QUYẾT\nvề đẩy mạnh cải cách hành chính\n\nBan Thường vụ Tỉnh ủy quyết nghị.",
    );
    expect([d.number, d.symbol]).toEqual(["01", "NQ/TU"]);
    expect(d.type).toBe("nghi_quyet");
    expect(d.date).toBe("2016-04-15");
  });

  it("Số: TB-SKHĐT (number left blank) → number null, symbol kept", () => {
    const d = doc(
      "Số: TB-SKHĐT\nBình Định, ngày   tháng 04 năm 2021\nTHÔNG BÁO\nKết luận của Giám đốc Sở tại cuộc họp giao ban\n\nNgày 05/4/2021, Giám đốc Sở chủ trì cuộc họp.",
    );
    expect(d.number).toBeNull();
    expect(d.symbol).toBe("TB-SKHĐT");
    expect(d.date).toBe("2021-04");
  });

  it("Số:   /TB-UBND (blank before the slash) → number null, symbol TB-UBND", () => {
    const d = doc(
      "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố:   /TB-UBND\nQuảng Ngãi, ngày 10 tháng 3 năm 2022\nTHÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh\n\nNgày 05/3/2022, Chủ tịch UBND tỉnh chủ trì cuộc họp.",
    );
    expect(d.number).toBeNull();
    expect(d.symbol).toBe("TB-UBND");
    expect(d.type).toBe("thong_bao");
  });

  it("a citation in the body ('số 12/QĐ-UBND') is not the letter's own number", () => {
    const out = extractFromText(
      "Số: TB-SKHĐT\nBình Định, ngày 12 tháng 4 năm 2021\nTHÔNG BÁO\nKết luận giao ban tháng 4\n\nThực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2021 của UBND tỉnh, Giám đốc Sở kết luận như sau.",
    );
    expect(out.document.number).toBeNull();
    expect(out.document.symbol).toBe("TB-SKHĐT");
    expect(out.references.map((r) => r.number)).toEqual(["12/QĐ-UBND"]);
  });

  it("a letter with no number line has neither number nor symbol, even when the body cites 'số N/...'", () => {
    const d = doc(
      "Sở Công Thương tăng cường công tác cải cách hành chính\n\nThực hiện Công văn số 70/UBND-NC ngày 05/01/2023 của UBND tỉnh, Sở Công Thương yêu cầu các phòng thực hiện.",
    );
    expect(d.number).toBeNull();
    expect(d.symbol).toBeNull();
  });

  it("the letter's own number is not listed among its references", () => {
    const out = extractFromText(cv("Số: 2047/SCT-VP"));
    expect(out.references.map((r) => r.number)).not.toContain("2047/SCT-VP");
  });

  it("the letter's own Party-style number (01-NQ/TU) is not listed among its references", () => {
    const out = extractFromText(
      "TỈNH ỦY QUẢNG TRỊ\n*\nSố: 01-NQ/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nQuảng Trị, ngày 15 tháng 4 năm 2016\nNGHỊ QUYẾT\nvề đẩy mạnh cải cách hành chính\n\nBan Thường vụ Tỉnh ủy quyết nghị.",
    );
    expect(out.references.map((r) => r.number)).toEqual([]);
  });
});

describe("document type", () => {
  it("from the type line (THÔNG BÁO)", () => {
    const d = doc(
      "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 11/TB-UBND\nQuảng Ngãi, ngày 08 tháng 01 năm 2025\nTHÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh tại cuộc họp\n\nNgày 05/01/2025, Chủ tịch UBND tỉnh chủ trì cuộc họp.",
    );
    expect(d.type).toBe("thong_bao");
    expect(d.subject).toBe("Kết luận của Chủ tịch UBND tỉnh tại cuộc họp");
  });

  it("from the type line (KẾ HOẠCH) with the subject on the next line", () => {
    const d = doc(
      "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 70/KH-UBND\nCần Thơ, ngày 15 tháng 9 năm 2025\nKẾ HOẠCH\nTriển khai công tác chuyển đổi số năm 2025\n\nThực hiện chỉ đạo của Chính phủ, UBND thành phố ban hành Kế hoạch như sau.",
    );
    expect(d.type).toBe("ke_hoach");
    expect(d.subject).toBe("Triển khai công tác chuyển đổi số năm 2025");
  });

  it("from the symbol when there is no type line (QĐ-UBND → quyet_dinh)", () => {
    const d = doc("UBND TỈNH KON TUM\nSố: 435/QĐ-UBND\nKon Tum, ngày 04 tháng 5 năm 2020\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;");
    expect(d.type).toBe("quyet_dinh");
  });

  it("a công văn symbol without a type code (SCT-VP) and a V/v subject → cong_van", () => {
    const d = doc(cv("Số: 2047/SCT-VP"));
    expect(d.type).toBe("cong_van");
    expect(d.subject).toBe("tăng cường kỷ luật hành chính");
  });

  it("UBND-NC (công văn of a People's Committee) is cong_van, not a type code", () => {
    const d = doc(
      "ỦY BAN NHÂN DÂN\nTỈNH HẬU GIANG\nSố: 454/UBND-NC\nV/v tăng cường công tác tiếp công dân\nVị Thanh, ngày 06 tháng 4 năm 2011\nKính gửi: Các sở, ban ngành tỉnh.\nUBND tỉnh yêu cầu các sở thực hiện.",
    );
    expect(d.type).toBe("cong_van");
    expect(d.issuer).toBe("Ủy ban nhân dân tỉnh Hậu Giang");
    expect(d.place).toBe("Vị Thanh");
  });

  it("a type name inside the subject (KẾ HOẠCH SỐ 119-KH/TU) is not the type line", () => {
    const d = doc(
      "BAN CHỈ ĐẠO 138\nSố: 04/BCĐ-VP\nV/v triển khai KẾ HOẠCH SỐ 119-KH/TU của Ban Thường vụ Tỉnh ủy\nQuảng Ngãi, ngày 05 tháng 02 năm 2025\nKính gửi: Các thành viên Ban Chỉ đạo.\nBan Chỉ đạo đề nghị các thành viên thực hiện.",
    );
    expect(d.type).toBe("cong_van");
    expect(d.subject).toBe("triển khai KẾ HOẠCH SỐ 119-KH/TU của Ban Thường vụ Tỉnh ủy");
  });

  it("a type name inside an all-caps subject after the type line does not replace the type", () => {
    const d = doc(
      "TỈNH ỦY QUẢNG TRỊ\nBAN NỘI CHÍNH\nSố: 27-TB/BNCTU\nQuảng Trị, ngày 23 tháng 01 năm 2017\nTHÔNG BÁO\nKẾT QUẢ THỰC HIỆN KẾ HOẠCH SỐ 119-KH/TU\n\nNgày 20/01/2017, Ban Nội chính đã họp.",
    );
    expect(d.type).toBe("thong_bao");
    expect(d.subject).toBe("Kết quả thực hiện kế hoạch số 119-KH/TU");
  });

  it("the type word inside the issuer's name (SỞ KẾ HOẠCH VÀ ĐẦU TƯ) is not the type line (công văn)", () => {
    const d = doc(
      "UBND TỈNH BÌNH ĐỊNH\nSỞ KẾ HOẠCH VÀ ĐẦU TƯ\nSố: 23/SKHĐT-VP\nV/v báo cáo tình hình thực hiện\nBình Định, ngày 12 tháng 4 năm 2021\nKính gửi: Các phòng thuộc Sở.\nSở đề nghị các phòng báo cáo.",
    );
    expect(d.type).toBe("cong_van");
  });

  it("the type word inside the issuer's name (SỞ KẾ HOẠCH VÀ ĐẦU TƯ) is not the type line (thông báo)", () => {
    const d = doc(
      "UBND TỈNH BÌNH ĐỊNH\nSỞ KẾ HOẠCH VÀ ĐẦU TƯ\nSố: TB-SKHĐT\nBình Định, ngày 12 tháng 4 năm 2021\nTHÔNG BÁO\nKết luận của Giám đốc Sở tại cuộc họp giao ban\n\nNgày 05/4/2021, Giám đốc Sở chủ trì cuộc họp.",
    );
    expect(d.type).toBe("thong_bao");
    expect(d.subject).toBe("Kết luận của Giám đốc Sở tại cuộc họp giao ban");
  });

  it("a re-published letter with no header and no V/v is unknown", () => {
    expect(doc("Tin tức sự kiện ngày 06/11/2023\n\nNgày 06/11/2023, đoàn công tác đã làm việc tại tỉnh.").type).toBe("unknown");
  });
});

describe("doctypes helpers", () => {
  it.each([
    ["QĐ-UBND", "quyet_dinh"],
    ["TB-SKHĐT", "thong_bao"],
    ["KH-UBND", "ke_hoach"],
    ["2018/NĐ-CP", "nghi_dinh"],
    ["NQ/TU", "nghi_quyet"],
    ["01-NQ/TU", "nghi_quyet"],
    ["CTr-UBND", "chuong_trinh"],
    ["TTr-SLĐTBXH", "to_trinh"],
    ["QyĐ-UBND", "quy_dinh"],
    ["GM-VP", "giay_moi"],
    ["CĐ-UBND", "cong_dien"],
  ])("typeFromSymbol(%j) = %s", (symbol, type) => {
    expect(typeFromSymbol(symbol)).toBe(type);
  });

  it.each(["SCT-VP", "VP-HCTC", "UBND-NC", "SNV-CCHCVTLT", "VPCP-ĐMDN"])("typeFromSymbol(%j) names no type (công văn)", (symbol) => {
    expect(typeFromSymbol(symbol)).toBeNull();
  });

  it("typeFromName and typeFromCode", () => {
    expect(typeFromName("THÔNG BÁO")).toBe("thong_bao");
    expect(typeFromName("Kế hoạch")).toBe("ke_hoach");
    expect(typeFromName("CHƯƠNG TRÌNH HÀNH ĐỘNG")).toBe("chuong_trinh");
    expect(typeFromName("BÁO CÁO TỔNG KẾT")).toBeNull();
    expect(typeFromCode("qđ")).toBe("quyet_dinh");
    expect(typeFromCode("XYZ")).toBeNull();
  });
});

describe("header layout", () => {
  it("reads a header whose date line comes before 'Số:'", () => {
    const d = doc(
      "Lai Châu, ngày 12 tháng 7 năm 2023\nUBND TỈNH LAI CHÂU\nSỞ NÔNG NGHIỆP VÀ PTNT\nSố: 1465/SNN-VP\nV/v triển khai công tác phòng chống thiên tai\nKính gửi: Các phòng, đơn vị thuộc Sở.\nĐể chủ động phòng chống thiên tai, Sở yêu cầu các đơn vị thực hiện.",
    );
    expect(d).toMatchObject({
      type: "cong_van",
      number: "1465",
      symbol: "SNN-VP",
      issuer: "Sở Nông nghiệp và PTNT",
      issuerParent: "UBND tỉnh Lai Châu",
      place: "Lai Châu",
      date: "2023-07-12",
      subject: "triển khai công tác phòng chống thiên tai",
      recipients: ["Các phòng, đơn vị thuộc Sở"],
    });
  });

  it("reads a two-column header flattened into interleaved lines", () => {
    const d = doc(
      "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc\nSố: 125/TB-UBND Quảng Ngãi, ngày 15 tháng 11 năm 2024\nTHÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh tại buổi làm việc với huyện Bình Sơn\n\nNgày 10/11/2024, Chủ tịch UBND tỉnh đã làm việc với huyện Bình Sơn.",
    );
    expect(d).toMatchObject({
      type: "thong_bao",
      number: "125",
      symbol: "TB-UBND",
      issuer: "Ủy ban nhân dân tỉnh Quảng Ngãi",
      issuerParent: null,
      place: "Quảng Ngãi",
      date: "2024-11-15",
      subject: "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với huyện Bình Sơn",
    });
  });

  it("matches Quốc hiệu written CỘNG HOÀ (new tone placement) and keeps it out of the issuer", () => {
    const d = doc(
      "ỦY BAN NHÂN DÂN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH QUẢNG NGÃI Độc lập – Tự do – Hạnh phúc\nSố: 126/TB-UBND Quảng Ngãi, ngày 16 tháng 11 năm 2024\nTHÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh\n\nNgày 10/11/2024, Chủ tịch UBND tỉnh đã họp.",
    );
    expect(d.issuer).toBe("Ủy ban nhân dân tỉnh Quảng Ngãi");
    expect(d.number).toBe("126");
  });

  it("issuer and parent from a two-line header (UBND TỈNH X / SỞ Y)", () => {
    const d = doc(cv("Số: 2047/SCT-VP"));
    expect(d.issuer).toBe("Sở Công Thương");
    expect(d.issuerParent).toBe("UBND tỉnh Quảng Trị");
    expect(d.place).toBe("Quảng Trị");
    expect(d.date).toBe("2019-10-10");
  });

  it("issuer 'Văn phòng' under UBND TỈNH", () => {
    const d = doc(
      "UBND TỈNH QUẢNG TRỊ\nVĂN PHÒNG\nSố: 526/VP-HCTC\nV/v sử dụng văn bản điện tử\nQuảng Trị, ngày 14 tháng 10 năm 2022\nKính gửi: Các phòng, đơn vị thuộc Văn phòng.\nVăn phòng yêu cầu các phòng thực hiện.",
    );
    expect(d.issuer).toBe("Văn phòng");
    expect(d.issuerParent).toBe("UBND tỉnh Quảng Trị");
  });

  it("a single-level issuer has no parent", () => {
    const d = doc(
      "VĂN PHÒNG CHÍNH PHỦ\nSố: 2739/VPCP-ĐMDN\nV/v triển khai Nghị quyết 02/NQ-CP\nHà Nội, ngày 05 tháng 4 năm 2019\nKính gửi: Các Bộ, cơ quan ngang Bộ.\nVăn phòng Chính phủ đề nghị các Bộ thực hiện.",
    );
    expect(d.issuer).toBe("Văn phòng Chính phủ");
    expect(d.issuerParent).toBeNull();
    expect(d.symbol).toBe("VPCP-ĐMDN");
  });

  it("'Về việc' introduces the subject like V/v, and the subject is cut before the date line on the same line", () => {
    const d = doc(
      "UBND TỈNH QUẢNG TRỊ\nSỞ NỘI VỤ\nSố: 15/SNV-VP\nVề việc: báo cáo công tác văn thư Quảng Trị, ngày 05 tháng 3 năm 2019\nKính gửi: Các phòng thuộc Sở.\nĐề nghị các phòng báo cáo.",
    );
    expect(d.subject).toBe("báo cáo công tác văn thư");
    expect(d.type).toBe("cong_van");
  });
});

describe("issuer inferred from the symbol when the header lacks it", () => {
  const headerless = (numberLine: string, place: string, body: string) =>
    `${numberLine}\nV/v triển khai nhiệm vụ trọng tâm\n${place}, ngày 12 tháng 7 năm 2023\nKính gửi: Các phòng, đơn vị.\n${body}`;

  it.each([
    ["Số: 1302/SCT-VP", "Quảng Trị", "Lãnh đạo Sở yêu cầu các phòng thực hiện.", "Sở Công Thương", "UBND tỉnh Quảng Trị"],
    ["Số: 210/SNV-CCHC", "Bình Định", "Đề nghị các phòng thực hiện.", "Sở Nội vụ", "UBND tỉnh Bình Định"],
    ["Số: 88/SNN-TTBVTV", "Lai Châu", "Đề nghị các đơn vị thực hiện.", "Sở Nông nghiệp và Phát triển nông thôn", "UBND tỉnh Lai Châu"],
    ["Số: 23/KH-SKHĐT", "Bà Rịa – Vũng Tàu", "Đề nghị các phòng thực hiện.", "Sở Kế hoạch và Đầu tư", "UBND tỉnh Bà Rịa – Vũng Tàu"],
  ])("%s, %s → %s under %s", (numberLine, place, body, issuer, parent) => {
    const d = doc(headerless(numberLine, place, body));
    expect(d.issuer).toBe(issuer);
    expect(d.issuerParent).toBe(parent);
    expect(d.place).toBe(place);
  });

  it("the letter's own words name the body for a code when they spell it out", () => {
    const d = doc(headerless("Số: 45/STTTT-BCVT", "Kon Tum", "Sở Thông tin và Truyền thông đề nghị các đơn vị thực hiện."));
    expect(d.issuer).toBe("Sở Thông tin và Truyền thông");
  });

  it("with no date line, the parent comes from the province the letter names", () => {
    const d = doc(
      "Số: 56/SCT-KHTC\nV/v triển khai kế hoạch\nKính gửi: Các phòng chuyên môn thuộc Sở.\nSở Công Thương tỉnh Bình Định đề nghị các phòng triển khai. UBND tỉnh Bình Định đã giao nhiệm vụ.",
    );
    expect(d.issuer).toBe("Sở Công Thương");
    expect(d.issuerParent).toBe("UBND tỉnh Bình Định");
    expect(d.place).toBeNull();
    expect(d.date).toBeNull();
  });

  it("a body that is not a Sở gets no inferred parent", () => {
    const d = doc(headerless("Số: 12/BNV-TCBC", "Hà Nội", "Bộ Nội vụ đề nghị các đơn vị thực hiện."));
    expect(d.issuer).toBe("Bộ Nội vụ");
    expect(d.issuerParent).toBeNull();
  });
});

describe("bodies helpers", () => {
  it("initialsOf builds symbol codes", () => {
    expect(initialsOf("Sở Kế hoạch và Đầu tư")).toBe("SKHĐT");
    expect(initialsOf("Sở Công Thương")).toBe("SCT");
    expect(initialsOf("Sở Lao động - Thương binh và Xã hội")).toBe("SLĐTBXH");
  });

  it("issuerCodeOf takes the first segment of a công văn symbol and the second of a typed one", () => {
    expect(issuerCodeOf("SCT-VP", false)).toBe("SCT");
    expect(issuerCodeOf("TB-SKHĐT", true)).toBe("SKHĐT");
    expect(issuerCodeOf("2018/NĐ-CP", true)).toBe("CP");
  });

  it("bodyForCode prefers the letter's words, falls back to the table, else null", () => {
    expect(bodyForCode("SKHĐT", "Giám đốc Sở Kế hoạch và Đầu tư yêu cầu")).toBe("Sở Kế hoạch và Đầu tư");
    expect(bodyForCode("SNN", "")).toBe("Sở Nông nghiệp và Phát triển nông thôn");
    expect(bodyForCode("SCT", "")).toBe("Sở Công Thương");
    expect(bodyForCode("XYZQ", "Sở Nội vụ")).toBeNull();
  });
});

describe("whole extraction", () => {
  it("a complete short letter validates against the extraction schema with the contract's values", async () => {
    const { ExtractionSchema } = await import("../../schemas/extraction.ts");
    const out = extractFromText(
      [
        "UBND TỈNH QUẢNG TRỊ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ CÔNG THƯƠNG Độc lập - Tự do - Hạnh phúc",
        "Số: **2047**/SCT-VP Quảng Trị, ngày 10 tháng 10 năm 2019",
        "V/v tăng cường kỷ luật hành chính",
        "Kính gửi: Các phòng chuyên môn thuộc Sở.",
        "Thực hiện Chỉ thị số 26/CT-TTg ngày 05/9/2016 của Thủ tướng Chính phủ, Giám đốc Sở yêu cầu các phòng thực hiện:",
        "1. Văn phòng Sở:",
        "- Theo dõi, đôn đốc việc chấp hành kỷ luật, báo cáo trước ngày 30/11/2019.",
        "2. Phòng Quản lý thương mại chủ trì, phối hợp với Văn phòng Sở kiểm tra thị trường.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, VP. KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Hữu Hưng",
      ].join("\n"),
    );
    expect(() => ExtractionSchema.parse(out)).not.toThrow();
    const { document, references, tasks } = out;
    expect(document).toEqual({
      type: "cong_van",
      number: "2047",
      symbol: "SCT-VP",
      issuer: "Sở Công Thương",
      issuerParent: "UBND tỉnh Quảng Trị",
      place: "Quảng Trị",
      date: "2019-10-10",
      subject: "tăng cường kỷ luật hành chính",
      recipients: ["Các phòng chuyên môn thuộc Sở"],
      signer: { name: "Nguyễn Hữu Hưng", title: "Phó Giám đốc", authority: "KT. Giám đốc" },
      distribution: ["Như trên", "Lưu: VT, VP"],
    });
    expect(references.map(({ span: _s, ...r }) => r)).toEqual([{ kind: "chi_thi", number: "26/CT-TTg", date: "2016-09-05", issuer: "Thủ tướng Chính phủ" }]);
    expect(tasks.map((t) => [t.ref, t.assignees, t.collaborators, t.deadline])).toEqual([
      ["1.-1", ["Văn phòng Sở"], [], "2019-11-30"],
      ["2", ["Phòng Quản lý thương mại"], ["Văn phòng Sở"], null],
    ]);
  });
});

describe("subjects that look like body text", () => {
  it("the subject under a type title may start with 'Thực hiện' and wrap over lines", async () => {
    const { extractFromText } = await import("../../extractors/index.ts");
    const out = extractFromText(
      "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 70/KH-UBND\nCần Thơ, ngày 12 tháng 3 năm 2025\n\nKẾ HOẠCH\nThực hiện công tác dân vận ở cơ sở trên địa bàn\nthành phố Cần Thơ đến cuối năm 2025\n\nI. NHIỆM VỤ\n1. Các sở, ngành tổ chức thực hiện tốt công tác dân vận.",
    );
    expect(out.document.type).toBe("ke_hoach");
    expect(out.document.subject).toBe("Thực hiện công tác dân vận ở cơ sở trên địa bàn thành phố Cần Thơ đến cuối năm 2025");
  });

  it("a re-published letter's title wrapped over several lines is its whole subject", async () => {
    const { extractFromText } = await import("../../extractors/index.ts");
    const out = extractFromText("Sở Công Thương tăng cường kiểm tra công tác cải cách hành chính,\nđánh giá nội bộ công tác ISO năm 2023\n\nThứ hai - 06/11/2023 16:23\nNgày 01/11/2023, Sở Công Thương đã họp.");
    expect(out.document.subject).toBe("Sở Công Thương tăng cường kiểm tra công tác cải cách hành chính, đánh giá nội bộ công tác ISO năm 2023");
  });
});
