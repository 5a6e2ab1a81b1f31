import { describe, it, expect, beforeAll } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PNG } from "pngjs";
import { readImage } from "../extractors/readers/ocr.ts";
import { readDocument } from "../extractors/readers/index.ts";
import { cliAvailable, selectEngine } from "../extractors/readers/ocr/engine.ts";
import { vieLangPath } from "../extractors/readers/ocr/tesseract-js.ts";
import { repairOcrLine } from "../extractors/readers/ocr/repair.ts";
import { estimateSkew } from "../extractors/readers/ocr/deskew.ts";
import { buildOcrModel, type OcrPage } from "../extractors/readers/ocr/layout.ts";
import { cleanWords } from "../extractors/readers/ocr/words.ts";
import { spliceModels } from "../extractors/readers/ocr/splice.ts";
import type { OcrWord } from "../extractors/readers/ocr/tsv.ts";
import { rereadSignerName } from "../extractors/readers/ocr/signer-name.ts";
import { cropImage, type GrayImage } from "../extractors/readers/ocr/image.ts";
import { readPlainText } from "../extractors/readers/text.ts";
import { ReadError } from "../extractors/errors.ts";

const ROOT = join(import.meta.dirname, "..");
const fixture = (name: string) => new Uint8Array(readFileSync(join(ROOT, "fixtures/scans", name)));
const SAMPLE_LINES = [
  "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
  "Số: 125/UBND-KT",
  "V/v triển khai kế hoạch năm 2025",
  "Kính gửi: Sở Tài chính tỉnh Quảng Ngãi.",
  "Đề nghị các cơ quan, đơn vị thực hiện trước ngày 15/12/2025.",
];

/** A white page, with a few specks of dust: no text for OCR to find. */
function blankPng(): Uint8Array {
  const png = new PNG({ width: 600, height: 400 });
  png.data.fill(255);
  for (const [x, y] of [[100, 100], [300, 250], [520, 40]] as const) {
    const i = (y * 600 + x) * 4;
    png.data[i] = png.data[i + 1] = png.data[i + 2] = 0;
  }
  return new Uint8Array(PNG.sync.write(png));
}

async function readError(promise: Promise<unknown>): Promise<ReadError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ReadError);
    return error as ReadError;
  }
  throw new Error("expected a ReadError");
}

describe("OCR confusion repairs", () => {
  it.each([
    ["S6: 660 I TB-UBND", "Số: 660/TB-UBND"],
    ["Sô: 526 l VP-HCTC", "Số: 526/VP-HCTC"],
    ["5ố: 12 | QĐ-UBND", "Số: 12/QĐ-UBND"],
    ["só:3/KH-DCT", "Số: 3/KH-DCT"],
    ["Số: 04+ /CT-UBND", "Số: 04 /CT-UBND"],
    // An unreadable handwritten number leaves the slot blank; the symbol still reads.
    ["Số: 6§0 /TB-UBND", "Số: /TB-UBND"],
    ["Số: I TB-UBND", "Số: /TB-UBND"],
    ["theo Quyết định số 21/2024/QD-TTg", "theo Quyết định số 21/2024/QĐ-TTg"],
    ["Nghị định 30/2020/ND-CP", "Nghị định 30/2020/NĐ-CP"],
    ["Số: 7/TB-UBNĐ", "Số: 7/TB-UBND"],
    ["ƯBND tỉnh Quảng Ngãi", "UBND tỉnh Quảng Ngãi"],
    ["Quảng Ngãi, ngảy 3I thảng I2 nãm 2O24", "Quảng Ngãi, ngày 31 tháng 12 năm 2024"],
    ["trước ngày 24/I2/2O24.", "trước ngày 24/12/2024."],
    ["ngày 10 tháng II năm 2022", "ngày 10 tháng 11 năm 2022"],
    ["Cần Thơ, ngày 15_ tháng 9 năm 2025", "Cần Thơ, ngày 15 tháng 9 năm 2025"],
    // A day no month has is a misread handwritten day: blank, not a wrong date.
    ["Quảng Ngãi, ngày 45 tháng 3 năm 2024", "Quảng Ngãi, ngày tháng 3 năm 2024"],
    ["Quảng Ngãi, ngày0Đ tháng 02 năm 2025", "Quảng Ngãi, ngày tháng 02 năm 2025"],
    ["V/V triển khai", "V/v triển khai"],
    ["VIv đôn đốc", "V/v đôn đốc"],
    ["TL. CHU TỊCH", "TL. CHỦ TỊCH"],
    ["KÉ HOẠCH", "KẾ HOẠCH"],
    ["THÀNH PHÔ CÀN THƠ", "THÀNH PHỐ CẦN THƠ"],
    ["Cân Thơ, ngày 15 tháng 9 năm 2025", "Cần Thơ, ngày 15 tháng 9 năm 2025"],
    // Hooks and circumflexes the fast model drops, in terms that have no other reading.
    ["thành viên Hội đồng thâm định giá", "thành viên Hội đồng thẩm định giá"],
    ["các cơ quan, tô chức có liên quan", "các cơ quan, tổ chức có liên quan"],
    ["- Công an tỉnh, Viện kiêm sát nhân dân tỉnh;", "- Công an tỉnh, Viện kiểm sát nhân dân tỉnh;"],
    ["- Công Thông tin điện tử tỉnh;", "- Cổng Thông tin điện tử tỉnh;"],
    ["- Công TTĐT tỉnh;", "- Cổng TTĐT tỉnh;"],
    ["- Công TTĐTTP;", "- Cổng TTĐTTP;"],
    // A compound only ever printed with a dash, the thin dash lost by OCR.
    ["- Các Sở: Lao động Thương binh và Xã hội, Xây dựng;", "- Các Sở: Lao động - Thương binh và Xã hội, Xây dựng;"],
    ["Tỉnh đoàn và các tổ chức chính trị xã hội phối hợp", "Tỉnh đoàn và các tổ chức chính trị - xã hội phối hợp"],
    ["phát triển kinh tế xã hội năm 2025", "phát triển kinh tế - xã hội năm 2025"],
  ])("%s → %s", (input, expected) => {
    expect(repairOcrLine(input)).toBe(expected);
  });

  it.each([
    "Sở Tài chính tỉnh Quảng Ngãi",
    "thực hiện ngay 05 nhiệm vụ",
    "Việt Nam 2025",
    "khoản 2 Điều 3",
    "Chương II. TỔ CHỨC THỰC HIỆN",
    "từ đó đến nay",
    "Số: 04-NQ/TU",
    "ngày tháng 01 năm 2025",
    // The tone placed the other accepted way is how the letter is printed, not a lost mark.
    "- Thường trực Tỉnh uỷ;",
    "UỶ BAN NHÂN DÂN TỈNH",
    "Sở Công Thương, Công an tỉnh, Công ty Điện lực",
    "ổn định chính trị, xã hội và quốc phòng",
    "Sở Lao động — Thương binh và Xã hội",
  ])("leaves %s alone", (text) => {
    expect(repairOcrLine(text)).toBe(text);
  });
});

describe("deskew", () => {
  it("measures the angle of text lines", () => {
    const width = 1200;
    const height = 900;
    const data = new Uint8Array(width * height).fill(255);
    const slope = Math.tan((1.5 * Math.PI) / 180);
    // Bars of "text" 12 px high every 40 px, running down to the right at 1.5°.
    for (let row = 60; row < height - 100; row += 40) {
      for (let x = 100; x < width - 100; x++) {
        if (x % 37 < 5) continue;
        for (let t = 0; t < 12; t++) data[Math.round(row + t + x * slope) * width + x] = 0;
      }
    }
    expect(estimateSkew({ width, height, data, dpi: 300 })).toBeCloseTo(1.5, 0);
  });
});

describe("OCR words → the line model", () => {
  const word = (text: string, left: number, top: number, line: string, conf = 95): OcrWord => ({
    text, left, top, width: text.length * 22, height: 40, conf, line,
  });

  it("keeps a dash bullet read unsure as \"-\", and every word it returns has the shape of a read word", () => {
    const bullet = { ...word("~", 300, 415, "1.1.2", 3), width: 30, height: 8 };
    const words = [word("Các", 360, 400, "1.1.2"), word("sở,", 460, 400, "1.1.2"), word("ngành", 540, 400, "1.1.2"), bullet, word("thực", 300, 300, "1.1.1")];
    const kept = cleanWords(words);
    expect(kept.map((w) => w.text)).toEqual(["Các", "sở,", "ngành", "-", "thực"]);
    for (const w of kept) expect(Object.keys(w)).toEqual(Object.keys(words[0]!));
  });
  const header: OcrPage = {
    page: 1,
    width: 2480,
    height: 3508,
    dpi: 300,
    words: [
      word("ỦY", 300, 200, "1.1.1"), word("BAN", 370, 200, "1.1.1"), word("NHÂN", 460, 200, "1.1.1"), word("DÂN", 580, 200, "1.1.1"),
      word("CỘNG", 1200, 200, "2.1.1"), word("HÒA", 1320, 200, "2.1.1"), word("XÃ", 1410, 200, "2.1.1"), word("HỘI", 1470, 200, "2.1.1"),
      word("CHỦ", 1550, 200, "2.1.1"), word("NGHĨA", 1630, 200, "2.1.1"), word("VIỆT", 1780, 200, "2.1.1"), word("NAM", 1890, 200, "2.1.1"),
      word("Số:", 330, 300, "1.1.2"), word("12/UBND-VP", 410, 300, "1.1.2", 40),
      word("Quảng", 1250, 300, "2.1.2"), word("Ngãi,", 1390, 300, "2.1.2"), word("ngày", 1520, 300, "2.1.2"), word("05", 1630, 300, "2.1.2"),
      word("tháng", 1690, 300, "2.1.2"), word("3", 1820, 300, "2.1.2"), word("năm", 1860, 300, "2.1.2"), word("2025", 1960, 300, "2.1.2"),
      word("Kính", 400, 600, "3.1.1"), word("gửi:", 510, 600, "3.1.1"), word("Sở", 620, 600, "3.1.1"), word("Tài", 690, 600, "3.1.1"), word("chính.", 780, 600, "3.1.1"),
    ],
  };

  it("splits the two-column header like the PDF reader, with confidences", () => {
    const model = buildOcrModel([header], { pageCount: 1, format: "image", reader: "tesseract", warnings: [] });
    const byText = new Map(model.lines.map((l) => [l.text, l]));
    expect(byText.get("ỦY BAN NHÂN DÂN")?.column).toBe("left");
    expect(byText.get("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")?.column).toBe("right");
    expect(byText.get("Quảng Ngãi, ngày 05 tháng 3 năm 2025")?.column).toBe("right");
    expect(byText.get("Số: 12/UBND-VP")?.confidence).toBeCloseTo(0.675, 3);
    expect(byText.get("Kính gửi: Sở Tài chính.")?.column).toBeUndefined();
    expect(model.source).toMatchObject({ format: "image", reader: "tesseract", ocr: true, pages: 1 });
    for (const line of model.lines) expect(model.text.slice(line.start, line.end)).toBe(line.text);
  });

  it("flags runs of low-confidence lines for review", () => {
    const low = { ...header, words: header.words.map((w) => (w.line === "3.1.1" ? { ...w, conf: 30 } : w)) };
    const model = buildOcrModel([low], { pageCount: 1, format: "image", reader: "tesseract", warnings: [] });
    const line = model.lines.find((l) => l.text.startsWith("Kính gửi"))!;
    expect(model.source.warnings).toContain(`low OCR confidence on page 1 line ${line.index}`);
  });

  it("splices OCR'd pages into a text PDF's pages in page order", () => {
    const text = readPlainText("Trang một của công văn.\n\fTrang hai bị quét\n\fTrang ba của công văn.", { encoding: "utf-8" });
    text.source = { format: "pdf", reader: "pdfjs", ocr: false, pages: 3, warnings: ["page 2 has no text layer (scan)"] };
    text.blocks = text.blocks.filter((b) => b.page !== 2);
    const page2: OcrPage = { page: 2, width: 2480, height: 3508, dpi: 300, words: [word("Trang", 300, 400, "1.1.1"), word("hai.", 440, 400, "1.1.1")] };
    const ocr = buildOcrModel([page2], { pageCount: 3, format: "pdf", reader: "tesseract", warnings: [] });
    const model = spliceModels(text, ocr, new Set([2]));
    expect(model.lines.map((l) => [l.page, l.text])).toEqual([
      [1, "Trang một của công văn."],
      [2, "Trang hai."],
      [3, "Trang ba của công văn."],
    ]);
    expect(model.source).toMatchObject({ reader: "pdfjs+tesseract", ocr: true, pages: 3, warnings: [] });
    for (const line of model.lines) expect(model.text.slice(line.start, line.end)).toBe(line.text);
  });
});

describe("the closing of a scan", () => {
  const word = (text: string, left: number, top: number, line: string, conf = 95, height = 40): OcrWord => ({
    text, left, top, width: text.length * 22, height, conf, line,
  });

  it("a Nơi nhận item read unsure with a signature stroke beside it keeps its own line", () => {
    // "UBMTTQVNTP" (ten capitals) read at 42; a stroke of the signature on its row read as "ƒ".
    const page: OcrPage = {
      page: 1, width: 2480, height: 3508, dpi: 300,
      words: [
        word("Nơi", 300, 800, "1.1.1"), word("nhận:", 390, 800, "1.1.1"),
        word("-", 300, 880, "2.1.1", 92, 5), word("CT,", 330, 860, "2.1.1"), word("các", 420, 860, "2.1.1"), word("PCT", 500, 860, "2.1.1"), word("UBNDTP;", 590, 860, "2.1.1"),
        word("-", 300, 935, "2.2.1", 91, 5), word("UBMTTQVNTP;", 330, 913, "2.2.1", 42), word("ƒ", 1340, 905, "2.2.1", 61, 110),
        word("-", 300, 990, "2.3.1", 93, 5), word("Ban", 330, 968, "2.3.1"), word("Tuyên", 420, 968, "2.3.1"), word("giáo;", 560, 968, "2.3.1"),
      ],
    };
    const model = buildOcrModel([page], { pageCount: 1, format: "image", reader: "tesseract", warnings: [] });
    expect(model.lines.map((l) => l.text)).toEqual(expect.arrayContaining(["- CT, các PCT UBNDTP;", "- Ban Tuyên giáo;"]));
    expect(model.lines.some((l) => l.text.startsWith("- UBMTTQVNTP;"))).toBe(true);
  });

  describe("the signer's name under the seal", () => {
    const nhan = [word("Nơi", 300, 2000, "5.1.1"), word("nhận:", 390, 2000, "5.1.1")];
    const title = [word("CHỦ", 1600, 2000, "6.1.1"), word("TỊCH", 1700, 2000, "6.1.1")];
    // The seal's ring taken into the first word's box: twice a letter's height, read at 3.
    const nameRow = [word("'Trân", 1576, 2374, "7.1.1", 3, 81), word("Văn", 1749, 2415, "7.1.1", 96, 39), word("Lâu", 1869, 2412, "7.1.1", 97, 42)];
    const image: GrayImage = { width: 2480, height: 3508, data: new Uint8Array(2480 * 3508).fill(255), dpi: 300 };

    it("reads the name row again, in a box as tall as the sure words, and takes a full name", async () => {
      const boxes: { width: number; height: number }[] = [];
      const reader = async (row: GrayImage) => {
        boxes.push({ width: row.width, height: row.height });
        return [word("“Trần", 20, 10, "1.1.1", 92), word("Văn", 180, 12, "1.1.1", 97), word("Lâu", 300, 12, "1.1.1", 97)];
      };
      const words = await rereadSignerName(image, [...nhan, ...title, ...nameRow], reader);
      expect(boxes).toHaveLength(1);
      expect(boxes[0]!.height).toBeLessThan(81);
      const name = words.filter((w) => w.line === "7.1.1");
      expect(name.map((w) => w.text)).toEqual(["Trần", "Văn", "Lâu"]);
      expect(name[0]!.left).toBeGreaterThan(1500);
      expect(words.filter((w) => w.line !== "7.1.1")).toHaveLength(nhan.length + title.length);
    });

    it("keeps the first reading when the second is no name or loses a sure word", async () => {
      const words = [...nhan, ...title, ...nameRow];
      const noName = async () => [word("|", 0, 0, "1.1.1", 28), word("si", 30, 0, "1.1.1", 49), word("Văn", 80, 0, "1.1.1"), word("Lâu", 160, 0, "1.1.1")];
      expect(await rereadSignerName(image, words, noName)).toBe(words);
      const lost = async () => [word("Trần", 0, 0, "1.1.1"), word("Vân", 80, 0, "1.1.1")];
      expect(await rereadSignerName(image, words, lost)).toBe(words);
    });

    it("reads nothing again when the name was read sure, or the page has no closing", async () => {
      const reader = async () => {
        throw new Error("no second reading expected");
      };
      const sure = nameRow.map((w) => ({ ...w, conf: 95 }));
      await expect(rereadSignerName(image, [...nhan, ...title, ...sure], reader)).resolves.toHaveLength(7);
      await expect(rereadSignerName(image, [...title, ...nameRow], reader)).resolves.toHaveLength(5);
    });
  });

  it("crops a region, clamped to the image", () => {
    const data = new Uint8Array(12).map((_, i) => i);
    const part = cropImage({ width: 4, height: 3, data, dpi: 300 }, 2, -5, 9, 2);
    expect(part).toMatchObject({ left: 2, top: 0, image: { width: 2, height: 2, dpi: 300 } });
    expect([...part.image.data]).toEqual([2, 3, 6, 7]);
  });
});

describe("engine selection", () => {
  it("prefers the tesseract CLI when it is installed with Vietnamese, else tesseract.js", async () => {
    const forced = process.env.VANTHU_OCR_ENGINE;
    delete process.env.VANTHU_OCR_ENGINE;
    try {
      const cli = await cliAvailable();
      expect(await selectEngine()).toBe(cli ? "tesseract" : "tesseract.js");
      process.env.VANTHU_OCR_ENGINE = "tesseract.js";
      expect(await selectEngine()).toBe("tesseract.js");
    } finally {
      if (forced === undefined) delete process.env.VANTHU_OCR_ENGINE;
      else process.env.VANTHU_OCR_ENGINE = forced;
    }
    expect(await selectEngine("tesseract.js")).toBe("tesseract.js");
    // Without the CLI (a machine with only `npm ci`), tesseract.js; forcing the CLI then is an error.
    const noCli = async () => false;
    expect(await selectEngine(undefined, noCli)).toBe("tesseract.js");
    await expect(selectEngine("tesseract", noCli)).rejects.toMatchObject({ code: "ocr_failed" });
  });

  it("points tesseract.js at the model shipped in node_modules, never at a CDN", () => {
    const langPath = vieLangPath();
    expect(relative(ROOT, langPath)).toMatch(/^node_modules[\\/]@tesseract\.js-data[\\/]vie[\\/]/);
    expect(existsSync(join(langPath, "vie.traineddata.gz"))).toBe(true);
  });
});

describe("reading images", () => {
  let sample: Awaited<ReturnType<typeof readImage>>;
  beforeAll(async () => {
    sample = await readImage(fixture("ocr-sample.png"), "png", { fileName: "ocr-sample.png" });
  });

  it("reads a PNG: text, lines and confidences", () => {
    expect(sample.lines.map((l) => l.text)).toEqual(SAMPLE_LINES);
    for (const line of sample.lines) expect(line.confidence).toBeGreaterThan(0.8);
    expect(sample.source).toMatchObject({ format: "image", ocr: true, pages: 1 });
    expect(["tesseract", "tesseract.js"]).toContain(sample.source.reader);
  });

  it("reads every page of a multi-page TIFF (CCITT G4)", async () => {
    const model = await readImage(fixture("ocr-sample-g4.tif"), "tiff", { fileName: "ocr-sample-g4.tif" });
    expect(model.source.pages).toBe(2);
    expect(model.lines.filter((l) => l.page === 2).map((l) => l.text)).toEqual(SAMPLE_LINES);
  });

  it("reads with tesseract.js offline (the fallback engine)", async () => {
    const model = await readImage(fixture("ocr-sample-200dpi.jpg"), "jpeg", { fileName: "ocr-sample-200dpi.jpg", engine: "tesseract.js", timeoutMs: 45_000 });
    expect(model.source.reader).toBe("tesseract.js");
    expect(model.text).toContain("Số: 125/UBND-KT");
    expect(model.text).toContain("ngày 15/12/2025");
  }, 60_000);

  it("an image without text is no_text", async () => {
    const error = await readError(readImage(blankPng(), "png", { fileName: "blank.png" }));
    expect(error.code).toBe("no_text");
    expect(error.message).toContain("blank.png");
  });

  it("a page that takes longer than the limit is a timeout naming file and page", async () => {
    const error = await readError(readImage(fixture("ocr-sample.png"), "png", { fileName: "slow.png", timeoutMs: 1 }));
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/^slow\.png: OCR of page 1 took longer than/);
  });

  it("a damaged image is named as such", async () => {
    const bytes = fixture("ocr-sample.png").slice(0, 200);
    const error = await readError(readImage(bytes, "png", { fileName: "cut.png" }));
    expect(error.code).toBe("corrupt_file");
  });
});

describe("dispatch", () => {
  it("sends a PNG to the OCR reader", async () => {
    const model = await readDocument(fixture("ocr-sample.png"), { fileName: "ocr-sample.png" });
    expect(model.source).toMatchObject({ format: "image", ocr: true });
  });

  it("sends a scanned PDF (no text layer) to the OCR reader", async () => {
    const model = await readDocument(fixture("000_49ac93810ff5857c.pdf"), { fileName: "000.pdf" });
    expect(model.source).toMatchObject({ format: "pdf", ocr: true, pages: 2 });
    expect(model.source.warnings.some((w) => /no text layer/.test(w))).toBe(false);
    expect(model.lines.every((l) => typeof l.confidence === "number")).toBe(true);
    // The seed letter 000 has no issuer or Quốc hiệu: its number and date share the first row.
    expect(model.lines[0]!.text).toBe("Số: 1302/SCT-VP Quảng Trị, ngày 28 tháng 9 năm 2018");
    expect(model.text).toContain("Kính gửi: Các phòng chuyên môn thuộc Sở");
  }, 60_000);
});
