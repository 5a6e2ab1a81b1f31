import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { buildModel, readPdf, scanPages, needsOcr } from "../extractors/readers/pdf.ts";
import type { PdfItem } from "../extractors/readers/pdf/geometry.ts";
import { readDocument } from "../extractors/readers/index.ts";
import { repairText, isSyllable } from "../extractors/readers/pdf/repair.ts";
import { ReadError } from "../extractors/errors.ts";
import type { TextModel } from "../extractors/model.ts";
import { popplerAvailable, type PdfEngineName } from "../extractors/readers/pdf/engine.ts";

const FIXTURES = join(import.meta.dirname, "../../shared/fixtures");
const pdfPath = (name: string) => join(FIXTURES, "pdf", `${name}.pdf`);
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));

/** Expected header lines and first task item of each shared PDF. */
const LETTERS = {
  "tb-11-ubnd-quangngai-2025": {
    issuer: ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"],
    number: "Số: 11/TB-UBND", // "11" is stamped inside a signature widget
    date: "Quảng Ngãi, ngày 08 tháng 01 năm 2025", // "08" too
    firstTask: { start: "1. Công ty TNHH MTV Đầu tư", end: "trước ngày 08/02/2025." },
    signer: "Nguyễn Phước Bình",
  },
  "tb-565-ubnd-quangngai-2024": {
    issuer: ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"],
    number: "Số: 565/TB-UBND",
    date: "Quảng Ngãi, ngày 15 tháng 11 năm 2024",
    firstTask: { start: "a) Tập trung thực hiện các nội dung", end: "ngày 13/11/2024" },
    signer: "Phùng Tô Long",
  },
  "tb-480-vpcp-2025": {
    issuer: ["VĂN PHÒNG CHÍNH PHỦ"],
    number: "Số: 480/TB-VPCP",
    date: "Hà Nội, ngày 13 tháng 9 năm 2025",
    firstTask: { start: "1. Rà soát, thể chế hóa đầy đủ", end: "trong hoạt động đầu tư xây dựng." },
    signer: "Trần Văn Sơn",
  },
} as const;

type Name = keyof typeof LETTERS;

/**
 * Every test on real files runs with both engines: what poppler reads must be
 * what pdf.js reads. Where pdftotext is not installed only pdf.js runs (CI
 * installs it).
 */
const ENGINES: PdfEngineName[] = (await popplerAvailable()) ? ["pdfjs", "poppler"] : ["pdfjs"];
const READER_NAME: Record<PdfEngineName, string> = { pdfjs: "pdfjs", poppler: "pdftotext" };

describe.each(ENGINES)("with the %s engine", (engine) => {
  const models = new Map<Name, TextModel>();
  const readPdfWith = (bytes: Uint8Array, fileName: string) => readPdf(bytes, { fileName, engine });

  beforeAll(async () => {
    for (const name of Object.keys(LETTERS) as Name[]) {
      models.set(name, await readPdfWith(bytesOf(pdfPath(name)), `${name}.pdf`));
    }
  });

  describe.each(Object.keys(LETTERS) as Name[])("readPdf on %s", (name) => {
    const expected = LETTERS[name];
    const model = () => models.get(name)!;
    const lineTexts = () => model().lines.map((l) => l.text);

    it("describes its source", () => {
      expect(model().source).toMatchObject({ format: "pdf", reader: READER_NAME[engine], ocr: false });
      expect(model().source.pages).toBeGreaterThanOrEqual(2);
    });

    it("keeps line offsets consistent with the text, as the plain-text reader does", () => {
      const m = model();
      expect(m.text).toBe(m.lines.map((l) => l.text).join("\n"));
      for (const [i, line] of m.lines.entries()) {
        expect(line.index).toBe(i);
        expect(m.text.slice(line.start, line.end)).toBe(line.text);
      }
    });

    it("returns NFC text with no stray whitespace", () => {
      const m = model();
      expect(m.text).toBe(m.text.normalize("NFC"));
      for (const line of m.lines) {
        expect(line.text).toBe(line.text.trim());
        expect(line.text).not.toMatch(/\s{2}|\p{M}/u);
      }
    });

    it("splits the two-column header into separate lines, left column first", () => {
      const lines = model().lines;
      const at = (text: string) => lines.findIndex((l) => l.text === text);
      const number = at(expected.number);
      const date = at(expected.date);
      const quocHieu = lines.findIndex((l) => /^CỘNG (?:HÒA|HOÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM$/u.test(l.text));
      expect(number, `no line "${expected.number}" in ${lineTexts().slice(0, 8).join(" | ")}`).toBeGreaterThanOrEqual(0);
      expect(date).toBeGreaterThan(number);
      expect(quocHieu).toBeGreaterThan(number);
      expect(lines[number]!.column).toBe("left");
      expect(lines[date]!.column).toBe("right");
      expect(lines[quocHieu]!.column).toBe("right");
      expect(lines.some((l) => l.text === "Độc lập - Tự do - Hạnh phúc")).toBe(true);
      // The issuer's all-caps lines stand before "Số:", where the header extractor looks for them.
      const issuer = expected.issuer.map(at);
      expect(issuer.every((i) => i >= 0 && i < number)).toBe(true);
    });

    it("drops page numbers", () => {
      expect(lineTexts().filter((t) => /^[-–(\s]*\d{1,3}[-–)\s]*$/u.test(t))).toEqual([]);
    });

    it("gives the first task item a block of its own, wrapped lines joined", () => {
      const blocks = model().blocks;
      const block = blocks.find((b) => b.text.startsWith(expected.firstTask.start));
      expect(block, blocks.map((b) => b.text.slice(0, 50)).join("\n")).toBeDefined();
      expect(block!.text.endsWith(expected.firstTask.end)).toBe(true);
      expect(block!.lines.length).toBeGreaterThan(1);
    });

    it("emits the Nơi nhận column before the signature column", () => {
      const lines = model().lines;
      const noiNhan = lines.findIndex((l) => l.text === "Nơi nhận:");
      const signer = lines.findIndex((l) => l.text === expected.signer);
      expect(noiNhan).toBeGreaterThan(0);
      expect(lines[noiNhan]!.column).toBe("left");
      expect(signer).toBeGreaterThan(noiNhan);
      expect(lines[signer]!.column).toBe("right");
      const between = lines.slice(noiNhan + 1, signer);
      const firstRight = between.findIndex((l) => l.column === "right");
      expect(between.slice(0, firstRight).every((l) => l.column === "left" && !/[A-ZĐ]{2,}\s+(?:CHỦ TỊCH|VĂN PHÒNG|CHỦ NHIỆM)/u.test(l.text))).toBe(true);
      expect(between[firstRight]!.text).toMatch(/^(?:TL\.|KT\.|BỘ TRƯỞNG)/u);
      // The signer's name is a block of its own, as the signer extractor expects.
      expect(model().blocks.some((b) => b.text === expected.signer)).toBe(true);
    });
  });

  describe("digital signatures", () => {
    it("reports signer and signing time of each signature in the warnings", () => {
      const warnings = models.get("tb-11-ubnd-quangngai-2025")!.source.warnings;
      expect(warnings).toContain("digital signature: Nguyễn Phước Bình, signed 2025-01-08T17:30:49+07:00 (page 2)");
      expect(warnings).toContain("digital signature: Ủy ban nhân dân tỉnh Quảng Ngãi, signed 2025-01-09T10:09:16+07:00 (page 1)");
    });

    it("lists every signature widget with its page and rectangle", () => {
      const signatures = models.get("tb-11-ubnd-quangngai-2025")!.source.signatures!;
      expect(signatures.map((s) => s.page)).toEqual([1, 1, 1, 2, 2]);
      expect(signatures.find((s) => s.signer === "Nguyễn Phước Bình")).toEqual({
        signer: "Nguyễn Phước Bình",
        signedAt: "2025-01-08T17:30:49+07:00",
        rect: [366, 395, 516, 465],
        page: 2,
      });
    });

    it("keeps a signature's own visible block (publisher, e-mail, time) out of the text", () => {
      const text = models.get("tb-11-ubnd-quangngai-2025")!.text;
      expect(text).not.toMatch(/ttcbth@|TRUNG TÂM CÔNG BÁO|10:21:11/u);
      expect(models.get("tb-480-vpcp-2025")!.source.warnings).toEqual([]);
    });
  });

  describe("scanned PDFs", () => {
    const scans = readdirSync(join(FIXTURES, "scans")).filter((f) => f.endsWith(".pdf"));

    it.each(scans)("%s is reported as needing OCR, page by page", async (file) => {
      const model = await readPdfWith(bytesOf(join(FIXTURES, "scans", file)), file);
      const pages = Array.from({ length: model.source.pages }, (_, i) => i + 1);
      expect(scanPages(model)).toEqual(pages);
      expect(model.source.warnings).toContain("page 1 has no text layer (scan)");
      expect(needsOcr(model)).toBe(true);
      expect(model.lines).toEqual([]);
    });

    it("does not ask for OCR on a text PDF", () => {
      const model = models.get("tb-480-vpcp-2025")!;
      expect(scanPages(model)).toEqual([]);
      expect(needsOcr(model, true)).toBe(false);
    });
  });

  describe("named errors", () => {
    async function readError(bytes: Uint8Array, fileName: string): Promise<ReadError> {
      try {
        await readPdfWith(bytes, fileName);
      } catch (error) {
        expect(error).toBeInstanceOf(ReadError);
        return error as ReadError;
      }
      throw new Error(`${fileName} was read without an error`);
    }

    it("refuses a password-protected PDF", async () => {
      // Standard security handler, revision 2, with a /U that no empty user password produces.
      const key = "A".repeat(64);
      const bytes = buildPdf(
        [
          "<< /Type /Catalog /Pages 2 0 R >>",
          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
          `<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${key}> /U <${key}> >>`,
        ],
        "/Encrypt 4 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]",
      );
      const error = await readError(bytes, "secret.pdf");
      expect(error.code).toBe("encrypted_pdf");
      expect(error.message).toMatch(/^secret\.pdf: .*password/);
    });

    it("refuses a truncated PDF", async () => {
      const full = bytesOf(pdfPath("tb-480-vpcp-2025"));
      const error = await readError(full.slice(0, Math.floor(full.length / 2)), "half.pdf");
      expect(error.code).toBe("corrupt_file");
      expect(error.message).toMatch(/^half\.pdf: /);
    });

    it("refuses a file that only starts like a PDF", async () => {
      const error = await readError(new TextEncoder().encode("%PDF-1.7\nthis is not a PDF body\n"), "fake.pdf");
      expect(error.code).toBe("corrupt_file");
    });

    it("refuses more than 300 pages before reading them", async () => {
      const count = 301;
      const kids = Array.from({ length: count }, (_, i) => `${i + 3} 0 R`).join(" ");
      const pages = Array.from({ length: count }, () => "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
      const error = await readError(buildPdf(["<< /Type /Catalog /Pages 2 0 R >>", `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`, ...pages]), "huge.pdf");
      expect(error.code).toBe("too_many_pages");
      expect(error.message).toMatch(/^huge\.pdf: .*301 pages/);
    });
  });
});

describe("text-layer repairs", () => {
  it("composes decomposed marks and removes a space before a mark", () => {
    expect(repairText("Vie\u0302\u0323t Nam")).toBe("Việt Nam");
    expect(repairText("Vie \u0302\u0323t Nam")).toBe("Việt Nam");
  });

  it("still composes a text with no combining mark (singletons such as the Ångström sign)", () => {
    expect(repairText("\u212Bngström, 2 \u2126")).toBe("\u00C5ngström, 2 \u03A9");
  });

  it("answers the same for a word asked again, in either case", () => {
    for (let round = 0; round < 2; round++) {
      expect([isSyllable("ĐIỀU"), isSyllable("điều"), isSyllable("ĐIỀ"), isSyllable("Tr")]).toEqual([true, true, false, false]);
    }
  });

  it("joins a syllable split by a spurious space, and only then", () => {
    expect(repairText("ĐIỀ U 1. Phạm vi")).toBe("ĐIỀU 1. Phạm vi");
    expect(repairText("Tr ình Chính phủ")).toBe("Trình Chính phủ");
    expect(repairText("NĂ M 2025")).toBe("NĂM 2025");
    for (const kept of ["UBND tỉnh Quảng Ngãi", "tại Đà Nẵng", "Sở KH ĐT", "TP Huế", "điểm a khoản 2", "Smart CA"]) {
      expect(repairText(kept)).toBe(kept);
    }
  });

  it("knows Vietnamese syllables", () => {
    for (const s of ["nghiêng", "khuyến", "quốc", "giữa", "Người", "được", "hoạch", "ĐIỀU"]) expect(isSyllable(s)).toBe(true);
    for (const s of ["ĐIỀ", "tr", "UBND", "Smart"]) expect(isSyllable(s)).toBe(false);
  });
});

describe("layout of other letter shapes (synthetic pages)", () => {
  const item = (text: string, x: number, y: number, size = 14): PdfItem => ({ text, x, y, size, width: text.length * size * 0.48 });
  const frame = (page: number) => ({ page, view: [0, 0, 595, 842] });

  it("puts a công văn's V/v lines in the left column and the date on its own baseline in the right", () => {
    const items = [
      item("UBND TỈNH QUẢNG TRỊ", 90, 780, 13),
      item("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 290, 780, 13),
      item("VĂN PHÒNG", 130, 765, 13),
      item("Độc lập - Tự do - Hạnh phúc", 330, 765, 13),
      item("Số: 526/VP-HCTC", 100, 735, 13),
      item("Quảng Trị, ngày 14 tháng 10 năm 2022", 300, 731, 13),
      item("V/v đôn đốc triển khai thực hiện", 85, 718, 12),
      item("nhiệm vụ CCHC", 120, 704, 12),
      item("Kính gửi: Các phòng, ban, trung tâm thuộc Văn phòng.", 150, 670),
      item("Thực hiện Công văn số 1047/SNV-CCHCVTLT ngày 30/9/2022 của Sở Nội vụ về", 120, 640),
      item("việc đôn đốc, Văn phòng yêu cầu các phòng thực hiện các nội dung sau:", 85, 624),
      item("1. Lãnh đạo các phòng có trách nhiệm triển khai các nội dung tại Chỉ thị", 120, 602),
      item("10/CT-UBND ngày 26/9/2022 của UBND tỉnh.", 85, 586),
    ];
    const model = buildModel([{ frame: frame(1), items }], 1, []);
    expect(model.blocks.map((b) => b.text)).toEqual([
      "UBND TỈNH QUẢNG TRỊ VĂN PHÒNG",
      "Số: 526/VP-HCTC",
      "V/v đôn đốc triển khai thực hiện nhiệm vụ CCHC",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Quảng Trị, ngày 14 tháng 10 năm 2022",
      "Kính gửi: Các phòng, ban, trung tâm thuộc Văn phòng.",
      "Thực hiện Công văn số 1047/SNV-CCHCVTLT ngày 30/9/2022 của Sở Nội vụ về việc đôn đốc, Văn phòng yêu cầu các phòng thực hiện các nội dung sau:",
      "1. Lãnh đạo các phòng có trách nhiệm triển khai các nội dung tại Chỉ thị 10/CT-UBND ngày 26/9/2022 của UBND tỉnh.",
    ]);
    expect(model.lines.filter((l) => l.column === "left").map((l) => l.text)).toContain("nhiệm vụ CCHC");
  });

  it("drops a running footer and page numbers, and joins a sentence across the page break", () => {
    const footer = (page: number) => item(`C:\\Van ban\\2022\\cv-526.docx (${page})`, 85, 40, 9);
    const body = (text: string, x: number, y: number) => item(text, x, y);
    const pages = [
      { frame: frame(1), items: [body("Thực hiện chỉ đạo của UBND tỉnh, Văn phòng đề nghị các phòng, ban", 120, 700), body("rà soát, cập nhật danh mục hồ sơ năm 2022 và gửi về Văn phòng, bảo đảm đúng", 85, 684), body("thời hạn, chất lượng; đồng thời phối hợp chặt chẽ với các cơ quan, đơn vị", 85, 668), footer(1)] },
      { frame: frame(2), items: [item("2", 290, 800, 13), body("liên quan trong quá trình thực hiện.", 85, 760), body("Văn phòng đề nghị các phòng, ban nghiêm túc thực hiện./.", 120, 738), footer(2)] },
    ];
    const model = buildModel(pages, 2, []);
    expect(model.lines.map((l) => l.text).filter((t) => /docx|^2$/u.test(t))).toEqual([]);
    expect(model.blocks.map((b) => b.text)).toEqual([
      "Thực hiện chỉ đạo của UBND tỉnh, Văn phòng đề nghị các phòng, ban rà soát, cập nhật danh mục hồ sơ năm 2022 và gửi về Văn phòng, bảo đảm đúng thời hạn, chất lượng; đồng thời phối hợp chặt chẽ với các cơ quan, đơn vị liên quan trong quá trình thực hiện.",
      "Văn phòng đề nghị các phòng, ban nghiêm túc thực hiện./.",
    ]);
  });

  it("takes an authority line standing above Nơi nhận into the signature column", () => {
    const items = [
      item("Đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.", 120, 420),
      item("TM. ỦY BAN NHÂN DÂN", 340, 392, 13),
      item("Nơi nhận:", 85, 380, 12),
      item("KT. CHỦ TỊCH", 370, 378, 13),
      item("- Như trên;", 85, 366, 11),
      item("PHÓ CHỦ TỊCH", 365, 364, 13),
      item("- Lưu: VT.", 85, 354, 11),
      item("Nguyễn Văn A", 360, 290),
    ];
    const model = buildModel([{ frame: frame(1), items }], 1, []);
    expect(model.lines.map((l) => `${l.column ?? "-"} ${l.text}`)).toEqual([
      "- Đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.",
      "left Nơi nhận:",
      "left - Như trên;",
      "left - Lưu: VT.",
      "right TM. ỦY BAN NHÂN DÂN",
      "right KT. CHỦ TỊCH",
      "right PHÓ CHỦ TỊCH",
      "right Nguyễn Văn A",
    ]);
  });
});

describe("closing whose Nơi nhận item crosses the middle of the page", () => {
  it("still finds the signature column by its capitals", () => {
    const item = (text: string, x: number, y: number, size = 14): PdfItem => ({ text, x, y, size, width: text.length * size * 0.48 });
    const items = [
      item("Đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.", 120, 420),
      item("Nơi nhận:", 85, 380, 12),
      item("KT. GIÁM ĐỐC", 370, 380, 13),
      item("- Các Sở: Tài chính, Kế hoạch và Đầu tư, Tài nguyên và Môi trường, Xây dựng;", 85, 366, 11),
      item("PHÓ GIÁM ĐỐC", 365, 352, 13),
      item("- Lưu: VT.", 85, 340, 11),
      item("Nguyễn Văn A", 360, 290),
    ];
    const model = buildModel([{ frame: { page: 1, view: [0, 0, 595, 842] }, items }], 1, []);
    expect(model.lines.filter((l) => l.column === "right").map((l) => l.text)).toEqual(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]);
  });
});

/** A minimal PDF with a correct xref table, built by hand. */
function buildPdf(objects: string[], trailerExtra = ""): Uint8Array {
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

describe("the dispatcher", () => {
  it("reads a Node Buffer through the dispatcher, as the CLI passes it", async () => {
    const model = await readDocument(readFileSync(pdfPath("tb-480-vpcp-2025")), { fileName: "tb-480.pdf" });
    expect(model.lines.some((l) => l.text === "Số: 480/TB-VPCP")).toBe(true);
  });
});
