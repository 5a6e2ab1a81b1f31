import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { extract, extractFromText } from "../extractors/index.ts";
import { ReadError, type ReadErrorCode } from "../extractors/errors.ts";
import { readDocx } from "../extractors/readers/docx.ts";
import { formatNumber } from "../extractors/readers/docx/labels.ts";
import { checkZipLimits } from "../extractors/readers/docx/zip.ts";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const DOCX_DIR = here("../fixtures/docx/");
const BAD_DIR = here("../fixtures/bad/");
const LETTERS = here("../../shared/fixtures/letters/");

// ---------- building small packages ----------
const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

interface P {
  text: string;
  numId?: number;
  ilvl?: number;
  style?: string;
}

const p = (x: P | string): string => {
  const { text, numId, ilvl, style } = typeof x === "string" ? { text: x } : x;
  const numPr = numId === undefined ? "" : `<w:numPr>${ilvl === undefined ? "" : `<w:ilvl w:val="${ilvl}"/>`}<w:numId w:val="${numId}"/></w:numPr>`;
  const pPr = style || numPr ? `<w:pPr>${style ? `<w:pStyle w:val="${style}"/>` : ""}${numPr}</w:pPr>` : "";
  const runs = text.split("\n").map((t, i) => `<w:r>${i ? "<w:br/>" : ""}<w:t xml:space="preserve">${esc(t)}</w:t></w:r>`).join("");
  return `<w:p>${pPr}${runs}</w:p>`;
};

const lvl = (ilvl: number, fmt: string, text: string, start = 1, extra = "") =>
  `<w:lvl w:ilvl="${ilvl}"><w:start w:val="${start}"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${text}"/>${extra}</w:lvl>`;
const abstractNum = (id: number, ...levels: string[]) => `<w:abstractNum w:abstractNumId="${id}">${levels.join("")}</w:abstractNum>`;
const num = (id: number, abstractId: number, overrides = "") => `<w:num w:numId="${id}"><w:abstractNumId w:val="${abstractId}"/>${overrides}</w:num>`;

interface Pkg {
  body: string;
  numbering?: string;
  styles?: string;
  documentPrologue?: string;
}

async function docx({ body, numbering, styles, documentPrologue = "" }: Pkg): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`);
  zip.file("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/officeDocument" Target="word/document.xml"/></Relationships>`);
  zip.file("word/document.xml", `<?xml version="1.0" encoding="UTF-8"?>${documentPrologue}<w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`);
  const rels = [numbering !== undefined ? `<Relationship Id="rId1" Type="${R}/numbering" Target="numbering.xml"/>` : "", styles !== undefined ? `<Relationship Id="rId2" Type="${R}/styles" Target="styles.xml"/>` : ""];
  zip.file("word/_rels/document.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join("")}</Relationships>`);
  if (numbering !== undefined) zip.file("word/numbering.xml", `<?xml version="1.0"?><w:numbering xmlns:w="${W}">${numbering}</w:numbering>`);
  if (styles !== undefined) zip.file("word/styles.xml", `<?xml version="1.0"?><w:styles xmlns:w="${W}">${styles}</w:styles>`);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

const linesOf = async (pkg: Pkg) => (await readDocx(await docx(pkg), { fileName: "t.docx" })).lines.map((l) => l.text);

async function readError(promise: Promise<unknown>): Promise<ReadError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ReadError);
    return error as ReadError;
  }
  throw new Error("expected a ReadError");
}

const expectCode = async (promise: Promise<unknown>, code: ReadErrorCode, fileName?: string) => {
  const error = await readError(promise);
  expect(error.code).toBe(code);
  if (fileName) expect(error.message).toContain(fileName);
  return error;
};

// ---------- labels ----------
describe("list labels rebuilt from numbering.xml", () => {
  it("roman sections, decimal items and bullets, lower levels restarting when a higher one advances", async () => {
    const numbering = abstractNum(0, lvl(0, "upperRoman", "%1."), lvl(1, "decimal", "%2."), lvl(2, "bullet", "\uF0B7")) + num(1, 0);
    const body = [
      p({ text: "Chỉ đạo chung", numId: 1, ilvl: 0 }),
      p({ text: "Rà soát thủ tục", numId: 1, ilvl: 1 }),
      p({ text: "Cập nhật phần mềm", numId: 1, ilvl: 1 }),
      p({ text: "Báo cáo hằng tháng", numId: 1, ilvl: 2 }),
      p({ text: "Chỉ đạo cụ thể", numId: 1, ilvl: 0 }),
      p({ text: "Văn phòng Sở", numId: 1, ilvl: 1 }),
    ].join("");
    expect(await linesOf({ body, numbering })).toEqual([
      "I. Chỉ đạo chung",
      "1. Rà soát thủ tục",
      "2. Cập nhật phần mềm",
      "- Báo cáo hằng tháng",
      "II. Chỉ đạo cụ thể",
      "1. Văn phòng Sở",
    ]);
  });

  it("lowerLetter runs a b c d đ e g as Vietnamese letters do; (%1) and + bullets", async () => {
    const numbering = abstractNum(0, lvl(0, "lowerLetter", "%1)")) + abstractNum(1, lvl(0, "decimal", "(%1)"), lvl(1, "bullet", "+")) + num(1, 0) + num(2, 1);
    const letters = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy"].map((t) => p({ text: t, numId: 1, ilvl: 0 }));
    const body = letters.join("") + p({ text: "Tiếp tục", numId: 2, ilvl: 0 }) + p({ text: "chi tiết", numId: 2, ilvl: 1 }) + p({ text: "Đẩy mạnh", numId: 2, ilvl: 0 });
    expect(await linesOf({ body, numbering })).toEqual(["a) một", "b) hai", "c) ba", "d) bốn", "đ) năm", "e) sáu", "g) bảy", "(1) Tiếp tục", "+ chi tiết", "(2) Đẩy mạnh"]);
    expect(formatNumber(5, "lowerLetter").text).toBe("đ");
    expect(formatNumber(23, "lowerLetter").text).toBe("y");
    expect(formatNumber(24, "lowerLetter").text).toBe("aa");
    expect(formatNumber(14, "upperRoman").text).toBe("XIV");
    expect(formatNumber(4, "lowerRoman").text).toBe("iv");
  });

  it("multi-level %1.%2. labels, w:start and continuation across plain paragraphs", async () => {
    const numbering = abstractNum(0, lvl(0, "decimal", "%1.", 3), lvl(1, "decimal", "%1.%2.")) + num(1, 0);
    const body = [
      p({ text: "Mục ba", numId: 1, ilvl: 0 }),
      p({ text: "Mục ba một", numId: 1, ilvl: 1 }),
      p("Một đoạn văn không đánh số."),
      p({ text: "Mục ba hai", numId: 1, ilvl: 1 }),
      p({ text: "Mục bốn", numId: 1, ilvl: 0 }),
      p({ text: "Mục bốn một", numId: 1, ilvl: 1 }),
    ].join("");
    expect(await linesOf({ body, numbering })).toEqual(["3. Mục ba", "3.1. Mục ba một", "Một đoạn văn không đánh số.", "3.2. Mục ba hai", "4. Mục bốn", "4.1. Mục bốn một"]);
  });

  it("instances share their list unless a w:startOverride restarts it", async () => {
    const numbering = abstractNum(0, lvl(0, "decimal", "%1.")) + num(1, 0) + num(2, 0) + num(3, 0, `<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>`);
    const body = [p({ text: "A", numId: 1, ilvl: 0 }), p({ text: "B", numId: 2, ilvl: 0 }), p({ text: "C", numId: 3, ilvl: 0 }), p({ text: "D", numId: 3, ilvl: 0 })].join("");
    expect(await linesOf({ body, numbering })).toEqual(["1. A", "2. B", "1. C", "2. D"]);
  });

  it("numbering through the paragraph style (and numId 0 removing it), with the level from the style", async () => {
    const numbering = abstractNum(0, lvl(0, "bullet", "-"), lvl(1, "lowerLetter", "%2)")) + num(4, 0);
    const styles =
      `<w:style w:type="paragraph" w:styleId="List"><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>` +
      `<w:style w:type="paragraph" w:styleId="ListB"><w:basedOn w:val="List"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>`;
    const body = [p({ text: "Như trên;", style: "List" }), p({ text: "điểm một", style: "ListB" }), p({ text: "Lưu: VT.", style: "List" }), p({ text: "Không số", style: "List", numId: 0 })].join("");
    expect(await linesOf({ body, numbering, styles })).toEqual(["- Như trên;", "a) điểm một", "- Lưu: VT.", "Không số"]);
  });

  it("an unknown number format is written as decimal and reported", async () => {
    const numbering = abstractNum(0, lvl(0, "decimalEnclosedCircle", "%1")) + num(1, 0);
    const model = await readDocx(await docx({ body: p({ text: "Một", numId: 1, ilvl: 0 }), numbering }));
    expect(model.lines[0]!.text).toBe("1 Một");
    expect(model.source.warnings.join(" ")).toContain("decimalEnclosedCircle");
  });
});

// ---------- layout ----------
describe("paragraphs and tables", () => {
  const header =
    `<w:tbl><w:tr><w:tc>${p("UBND TỈNH QUẢNG TRỊ")}${p("VĂN PHÒNG")}${p("Số: 526/VP-HCTC")}${p("V/v đôn đốc thực hiện\nnhiệm vụ CCHC")}</w:tc>` +
    `<w:tc>${p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")}${p("Độc lập - Tự do - Hạnh phúc")}${p("Quảng Trị, ngày 14 tháng 10 năm 2022")}</w:tc></w:tr></w:tbl>`;
  const signature =
    `<w:tbl><w:tr><w:tc>${p("Nơi nhận:")}${p("- Như trên;")}${p("- Lưu: VT.")}</w:tc><w:tc>${p("KT. GIÁM ĐỐC")}${p("PHÓ GIÁM ĐỐC")}${p("")}${p("Nguyễn Văn A")}</w:tc></w:tr></w:tbl>`;

  it("reads the header table left cell first, then the right cell, each paragraph its own line", async () => {
    const model = await readDocx(await docx({ body: header + p("Kính gửi: Các phòng thuộc Sở.") + p("Nội dung.") + signature }));
    expect(model.lines.map((l) => [l.text, l.column ?? null])).toEqual([
      ["UBND TỈNH QUẢNG TRỊ", "left"],
      ["VĂN PHÒNG", "left"],
      ["Số: 526/VP-HCTC", "left"],
      ["V/v đôn đốc thực hiện", "left"],
      ["nhiệm vụ CCHC", "left"],
      ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"],
      ["Độc lập - Tự do - Hạnh phúc", "right"],
      ["Quảng Trị, ngày 14 tháng 10 năm 2022", "right"],
      ["Kính gửi: Các phòng thuộc Sở.", null],
      ["Nội dung.", null],
      ["Nơi nhận:", "left"],
      ["- Như trên;", "left"],
      ["- Lưu: VT.", "left"],
      ["KT. GIÁM ĐỐC", "right"],
      ["PHÓ GIÁM ĐỐC", "right"],
      ["Nguyễn Văn A", "right"],
    ]);
    // A line break continues the paragraph's block; the offsets index the model's text.
    expect(model.blocks.some((b) => b.text === "V/v đôn đốc thực hiện nhiệm vụ CCHC")).toBe(true);
    for (const line of model.lines) expect(model.text.slice(line.start, line.end)).toBe(line.text);
    expect(model.source).toEqual({ format: "docx", reader: "mammoth", ocr: false, pages: 1, warnings: [] });
  });

  it("counts a text box's numbered paragraph once (mammoth reads the VML fallback) and skips deleted paragraph marks", async () => {
    const numbering = abstractNum(0, lvl(0, "decimal", "%1.")) + num(1, 0);
    const MC = "http://schemas.openxmlformats.org/markup-compatibility/2006";
    const box =
      `<w:p><w:r><mc:AlternateContent xmlns:mc="${MC}"><mc:Choice Requires="wps"><w:drawing><wps:txbx xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:txbxContent>${p({ text: "Trong hộp", numId: 1, ilvl: 0 })}</w:txbxContent></wps:txbx></w:drawing></mc:Choice>` +
      `<mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>${p({ text: "Trong hộp", numId: 1, ilvl: 0 })}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Ngoài hộp</w:t></w:r></w:p>`;
    const deletedMark = `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:rPr><w:del w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z"/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">Rà soát </w:t></w:r></w:p>`;
    const body = p({ text: "Đầu tiên", numId: 1, ilvl: 0 }) + box + deletedMark + p({ text: "thủ tục", numId: 1, ilvl: 0 });
    expect(await linesOf({ body, numbering })).toEqual(["1. Đầu tiên", "Ngoài hộp", "2. Trong hộp", "3. Rà soát thủ tục"]);
  });

  it("keeps hyperlink text and reads tabs as spaces", async () => {
    const body =
      `<w:p><w:r><w:t>Gửi về</w:t></w:r><w:r><w:tab/><w:t>hộp thư</w:t></w:r><w:hyperlink r:id="rId9" xmlns:r="${R}"><w:r><w:t xml:space="preserve"> vp@quangtri.gov.vn</w:t></w:r></w:hyperlink></w:p>` +
      `<w:p><w:r><w:t>Trước ngày 10/10/2018.</w:t></w:r></w:p>`;
    expect(await linesOf({ body })).toEqual(["Gửi về hộp thư vp@quangtri.gov.vn", "Trước ngày 10/10/2018."]);
  });

  it("reads a small data table row by row and a header of two rows column by column", async () => {
    const row = (a: string, b: string) => `<w:tr><w:tc>${p(a)}</w:tc><w:tc>${p(b)}</w:tc></w:tr>`;
    const data = `<w:tbl>${row("STT", "Nội dung")}${row("1", "Rà soát")}${row("2", "Báo cáo")}</w:tbl>`;
    const twoRowHeader = `<w:tbl>${row("SỞ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")}${row("Số: 12/SCT-VP", "Quảng Trị, ngày 2 tháng 3 năm 2024")}</w:tbl>`;
    expect(await linesOf({ body: twoRowHeader + data })).toEqual([
      "SỞ CÔNG THƯƠNG", "Số: 12/SCT-VP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Quảng Trị, ngày 2 tháng 3 năm 2024",
      "STT", "Nội dung", "1", "Rà soát", "2", "Báo cáo",
    ]);
  });

  it("refuses a DOCX with no text", async () => {
    await expectCode(readDocx(await docx({ body: p("") + p("  ") }), { fileName: "blank.docx" }), "no_text", "blank.docx");
  });
});

// ---------- hostile and broken input ----------
describe("bad input", () => {
  it("refuses an XXE document without fetching the entity", async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end("secret");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const prologue = `<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "http://127.0.0.1:${port}/leak">]>`;
      const bytes = await docx({ body: `<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>`, documentPrologue: prologue });
      const error = await expectCode(readDocx(bytes, { fileName: "xxe.docx" }), "corrupt_file", "xxe.docx");
      expect(error.message).toMatch(/DTD/);
      await expectCode(extract(readFileSync(BAD_DIR + "xxe.docx"), { fileName: "xxe.docx" }), "corrupt_file", "xxe.docx");
      // A DTD in any part the reader opens is refused too (here styles.xml, with internal entities).
      const styles = await docx({ body: p("Số: 1/UBND"), styles: `<w:style w:type="paragraph" w:styleId="A"/>` });
      const zip = await JSZip.loadAsync(styles);
      zip.file("word/styles.xml", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><w:styles xmlns:w="${W}"/>`);
      await expectCode(readDocx(await zip.generateAsync({ type: "uint8array" })), "corrupt_file");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
  });

  it("refuses the zip bomb as too_large before inflating it", async () => {
    const bytes = readFileSync(BAD_DIR + "zip-bomb.docx");
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const started = performance.now();
    const error = await expectCode(extract(bytes, { fileName: "zip-bomb.docx" }), "too_large", "zip-bomb.docx");
    expect(performance.now() - started).toBeLessThan(1500);
    expect(error.message).toMatch(/MB/);
  });

  it("stops inflating an entry that outgrows the size its ZIP directory declares", async () => {
    const zip = new JSZip();
    zip.file("word/document.xml", new Uint8Array(8 * 1024 * 1024).fill(0x20), { compression: "DEFLATE", createFolders: false });
    const bytes = Buffer.from(await zip.generateAsync({ type: "uint8array" }));
    // Declare 4 KB in the local header and the central directory: the limits check passes, the inflation cap must not.
    bytes.writeUInt32LE(4096, 22);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(4096, central + 24);
    const error = await expectCode(readDocx(bytes, { fileName: "liar.docx" }), "corrupt_file", "liar.docx");
    expect(error.message).toMatch(/declares/);
  });

  it("judges the declared sizes: total over 200 MB, or a ratio over 100×", () => {
    const entry = (uncompressedSize: number, compressedSize: number) => ({ name: "word/document.xml", uncompressedSize, compressedSize });
    expect(() => checkZipLimits([entry(201 * 1024 * 1024, 190 * 1024 * 1024)], "a.docx")).toThrow(/200 MB/);
    expect(() => checkZipLimits([entry(50 * 1024 * 1024, 100 * 1024)], "a.docx")).toThrow(/zip bomb/);
    expect(() => checkZipLimits([entry(3 * 1024 * 1024, 300 * 1024), entry(40_000, 300)])).not.toThrow();
  });

  it("refuses a ZIP without word/document.xml, and bytes that are no ZIP at all", async () => {
    await expectCode(readDocx(readFileSync(BAD_DIR + "not-a-docx.docx"), { fileName: "not-a-docx.docx" }), "corrupt_file", "not-a-docx.docx");
    await expectCode(extract(readFileSync(BAD_DIR + "not-a-docx.docx"), { fileName: "not-a-docx.docx" }), "corrupt_file", "not-a-docx.docx");
    await expectCode(readDocx(new TextEncoder().encode("PK\u0003\u0004 truncated"), { fileName: "cut.docx" }), "corrupt_file", "cut.docx");
  });
});

// ---------- the seed letters ----------
describe("generated letters read like their text versions", () => {
  const names = readdirSync(DOCX_DIR).filter((f) => f.endsWith(".docx")).sort();

  it("has a DOCX for each of the five seed letters", () => {
    expect(names.map((n) => n.slice(0, 3))).toEqual(["000", "001", "002", "003", "004"]);
  });

  for (const name of names) {
    it(name, async () => {
      const fromDocx = await extract(readFileSync(DOCX_DIR + name), { fileName: name });
      const fromText = extractFromText(readFileSync(LETTERS + name.replace(/\.docx$/, ".txt"), "utf8"));
      expect(fromDocx.provenance.source.format).toBe("docx");
      for (const key of ["number", "symbol", "subject", "type", "date"] as const) expect(fromDocx.document[key]).toEqual(fromText.document[key]);
      expect(fromDocx.tasks.length).toBe(fromText.tasks.length);
      expect(fromDocx.tasks.map((t) => t.ref)).toEqual(fromText.tasks.map((t) => t.ref));
    });
  }
});
