/**
 * The poppler engine for text PDFs (extractors/readers/pdf/poppler.ts): it
 * must read every shared PDF exactly as pdf.js does, find the values stamped
 * into signature widgets and the signature blocks, and hand pdf.js every file
 * it cannot read cleanly. The reader tests (pdf-reader.test.ts) also run on
 * both engines.
 */
import { describe, it, expect, beforeAll, afterEach } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readPdf, buildModel } from "../extractors/readers/pdf.ts";
import { ReadError } from "../extractors/errors.ts";
import type { TextModel } from "../extractors/model.ts";
import { popplerAvailable, selectPdfEngine, PdfEngineUnavailableError } from "../extractors/readers/pdf/engine.ts";
import { readPdfWithPoppler } from "../extractors/readers/pdf/poppler.ts";
import { runPdftotext, PdftotextError } from "../extractors/readers/pdf/pdftotext.ts";
import { parsePopplerWords, type PopplerPage } from "../extractors/readers/pdf/poppler-words.ts";
import { learnBoxEms, pageItems, wordItem } from "../extractors/readers/pdf/poppler-items.ts";
import { readAppearanceWords, splitAppearanceWords } from "../extractors/readers/pdf/appearance-words.ts";
import { snapStamps } from "../extractors/readers/pdf/annotations.ts";
import { readRawSignatures } from "../extractors/readers/pdf/signatures.ts";
import { joinItems, type PdfItem } from "../extractors/readers/pdf/geometry.ts";
import { loadPdfJs } from "../extractors/readers/pdf/pdfjs.ts";
import { letterPageObjects, buildPdf } from "../fixtures/bad-inputs/pdf-build.ts";

const ROOT = join(import.meta.dirname, "..");
const SHARED_PDF = join(ROOT, "../shared/fixtures/pdf");
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));
const HAS_POPPLER = await popplerAvailable();

describe("choosing the engine", () => {
  const saved = process.env.VANTHU_PDF_ENGINE;
  afterEach(() => {
    if (saved === undefined) delete process.env.VANTHU_PDF_ENGINE;
    else process.env.VANTHU_PDF_ENGINE = saved;
  });
  const installed = async () => true;
  const missing = async () => false;

  it("takes poppler when it is installed, pdf.js otherwise", async () => {
    delete process.env.VANTHU_PDF_ENGINE;
    expect(await selectPdfEngine(undefined, installed)).toBe("poppler");
    expect(await selectPdfEngine(undefined, missing)).toBe("pdfjs");
  });

  it("obeys VANTHU_PDF_ENGINE, and an argument over it", async () => {
    process.env.VANTHU_PDF_ENGINE = "pdfjs";
    expect(await selectPdfEngine(undefined, installed)).toBe("pdfjs");
    expect(await selectPdfEngine("poppler", installed)).toBe("poppler");
    process.env.VANTHU_PDF_ENGINE = "poppler";
    expect(await selectPdfEngine(undefined, installed)).toBe("poppler");
    expect(await selectPdfEngine("pdfjs", installed)).toBe("pdfjs");
  });

  it("refuses a forced poppler that is not installed, by name", async () => {
    process.env.VANTHU_PDF_ENGINE = "poppler";
    await expect(selectPdfEngine(undefined, missing)).rejects.toBeInstanceOf(PdfEngineUnavailableError);
  });
});

describe("poppler's XHTML", () => {
  it("gives each page's words with their boxes, escapes undone, the document's own head ignored", () => {
    const xhtml = [
      '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
      '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>&lt;doc&gt; R&amp;D</title></head><body>',
      "<doc>",
      '  <page width="595.32" height="842.04">',
      '    <word xMin="10.5" yMin="20" xMax="40" yMax="34.25">R&amp;D</word>',
      '    <word xMin="45" yMin="20" xMax="60" yMax="34.25">&lt;5&gt;</word>',
      '    <word xMin="65" yMin="20" xMax="70" yMax="34.25">11</word>',
      "  </page>",
      '  <page width="595.32" height="842.04">',
      "  </page>",
      "</doc>",
      "</body></html>",
    ].join("\n");
    expect(parsePopplerWords(xhtml)).toEqual([
      {
        width: 595.32,
        height: 842.04,
        words: [
          { text: "R&D", xMin: 10.5, yMin: 20, xMax: 40, yMax: 34.25 },
          { text: "<5>", xMin: 45, yMin: 20, xMax: 60, yMax: 34.25 },
          { text: "11", xMin: 65, yMin: 20, xMax: 70, yMax: 34.25 },
        ],
      },
      { width: 595.32, height: 842.04, words: [] },
    ]);
  });

  it("throws on output not in poppler's shape", () => {
    expect(() => parsePopplerWords("<html><body>nothing</body></html>")).toThrow(/<doc>/);
    expect(() => parsePopplerWords('<doc>\n<page width="10" height="20">\n<word xMin="1" yMin="2">x</word>\n</page>\n</doc>')).toThrow(/unknown shape/);
    expect(() => parsePopplerWords('<doc>\n<page width="10" height="20">\n</doc>')).toThrow(/inside a page/);
  });
});

describe("joining poppler's words", () => {
  const word = (text: string, x: number, width: number): PdfItem => ({ text, x, y: 700, width, size: 14, word: true });

  it("keeps poppler's split: a narrow gap between two words is a space, touching words stay joined", () => {
    // Justified text: 0.12 em between "thuận" and "lợi", less than the 0.15 em that separates pdf.js runs.
    expect(joinItems([word("thuận", 86, 30), word("lợi,", 117.7, 18)])).toBe("thuận lợi,");
    // A change of size with no gap ("KTTH" + subscript "h5") is one word.
    expect(joinItems([word("KTTH", 150, 29), word("h5", 179, 8)])).toBe("KTTHh5");
    // pdf.js pieces with the same narrow gap are parts of one run.
    const piece = (text: string, x: number, width: number): PdfItem => ({ text, x, y: 700, width, size: 14 });
    expect(joinItems([piece("thuận", 86, 30), piece("lợi,", 117.7, 18)])).toBe("thuậnlợi,");
  });

  it("a stamped word is an item of the same shape as a page word (the layout code stays optimised across signed letters)", () => {
    const popplerWord = { text: "11", xMin: 120, yMin: 90, xMax: 135, yMax: 104 };
    const plain = wordItem(popplerWord, 842, 1.2);
    const stamped = wordItem(popplerWord, 842, 1.2, true);
    expect(Object.keys(stamped)).toEqual(Object.keys(plain));
    expect([stamped.stamped, plain.stamped]).toEqual([true, undefined]);
  });
});

describe("a drawn rule under a line", () => {
  it("stays a rule of its own, not a subscript of the line above it (both engines lay out alike)", () => {
    const item = (text: string, x: number, y: number, size: number, width: number): PdfItem => ({ text, x, y, size, width });
    const items = [
      item("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 273, 771, 13, 270),
      item("Độc lập - Tự do - Hạnh phúc", 323, 756, 14, 170),
      // The underline, in small type, 8 points under the tiêu ngữ.
      item("_______________________________________", 326, 748, 6, 164),
      item("Hà Nội, ngày 13 tháng 9 năm 2025", 320, 729, 14, 190),
    ];
    const model = buildModel([{ frame: { page: 1, view: [0, 0, 595, 842] }, items }], 1, []);
    expect(model.lines.map((l) => l.text)).toContain("Độc lập - Tự do - Hạnh phúc");
    expect(model.text).not.toContain("_");
  });
});

describe("signature dictionaries read from the bytes", () => {
  it("give each widget's page reference, and a widget redefined by an incremental update once", () => {
    const pdf = [
      "%PDF-1.7",
      "5 0 obj\n<< /FT /Sig /T (Signature1) /Rect [366 395 516 465] /V 6 0 R /P 3 0 R >>\nendobj",
      "6 0 obj\n<< /Type /Sig /M (D:20250108173049+07'00') /Name (Nguyen Van A) /Contents <00> >>\nendobj",
      "%%EOF",
      // The update rewrites the widget (here: a flag added).
      "5 0 obj\n<< /FT /Sig /T (Signature1) /Rect [366 395 516 465] /V 6 0 R /P 3 0 R /F 132 >>\nendobj",
      "%%EOF",
    ].join("\n");
    const signatures = readRawSignatures(new TextEncoder().encode(pdf));
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ rect: [366, 395, 516, 465], pageRef: { num: 3, gen: 0 }, name: "Nguyen Van A", time: "2025-01-08T17:30:49+07:00" });
  });
});

describe.skipIf(!HAS_POPPLER)("the poppler engine", () => {
  const files = [
    ...readdirSync(SHARED_PDF).map((f) => join(SHARED_PDF, f)),
    ...readdirSync(join(ROOT, "fixtures/pdf")).map((f) => join(ROOT, "fixtures/pdf", f)),
  ];

  it.each(files.map((f) => [f.split("/").pop()!, f]))("reads %s exactly as pdf.js does", async (_name, file) => {
    const bytes = bytesOf(file);
    const viaPdfjs = await readPdf(bytes, { engine: "pdfjs" });
    const viaPoppler = await readPdf(bytes, { engine: "poppler" });
    expect(viaPoppler.source.reader).toBe("pdftotext");
    const withoutReader = (m: TextModel) => ({ ...m, source: { ...m.source, reader: "" } });
    expect(withoutReader(viaPoppler)).toEqual(withoutReader(viaPdfjs));
  });

  describe("items from word boxes", () => {
    let pdfjsSizes: Map<string, number>;
    let pages: PopplerPage[];
    beforeAll(async () => {
      const bytes = bytesOf(join(SHARED_PDF, "tb-480-vpcp-2025.pdf"));
      pages = parsePopplerWords(await runPdftotext(bytes));
      const pdfjs = await loadPdfJs();
      const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
      const content = await (await doc.getPage(1)).getTextContent();
      pdfjsSizes = new Map();
      for (const raw of content.items as { str?: string; transform?: number[] }[]) {
        const [, , , d = 0, x = 0, y = 0] = raw.transform ?? [];
        if (raw.str?.trim()) pdfjsSizes.set(`${Math.round(x)}:${Math.round(y)}`, Math.abs(d));
      }
      await doc.destroy();
    });

    it("have the font size pdf.js reads, learnt from the words' widths (median within 2 %, each within 10 %)", () => {
      const { items } = pageItems(pages[0]!.words, pages[0]!.height, learnBoxEms(pages));
      const ratios: number[] = [];
      for (const item of items) {
        // pdf.js runs start where a poppler word starts; the baseline is within a point.
        for (const dy of [-1, 0, 1]) {
          const size = pdfjsSizes.get(`${Math.round(item.x)}:${Math.round(item.y) + dy}`);
          if (size) {
            ratios.push(item.size / size);
            break;
          }
        }
      }
      expect(ratios.length).toBeGreaterThan(30);
      const sorted = ratios.sort((a, b) => a - b);
      expect(Math.abs(sorted[sorted.length >> 1]! - 1)).toBeLessThan(0.02);
      // Italic type is narrower per character than the estimate assumes: its size comes out a little large.
      for (const r of sorted) expect(Math.abs(r - 1)).toBeLessThan(0.1);
    });

    it("leave vertical and diagonal text out, as pdf.js does, and count the vertical", async () => {
      const vertical = "BT /F1 12 Tf 0 1 -1 0 30 200 Tm (Ky boi Van phong Chinh phu, ngay gio ky so tren van ban) Tj ET";
      const watermark = "BT /F1 40 Tf 0.7 0.7 -0.7 0.7 150 250 Tm (BAN SAO LUU HANH NOI BO) Tj ET";
      const bytes = buildPdf(letterPageObjects({ draw: `${vertical}\n${watermark}` }));
      const viaPdfjs = await readPdf(bytes, { engine: "pdfjs" });
      const viaPoppler = await readPdf(bytes, { engine: "poppler" });
      expect(viaPoppler.source.reader).toBe("pdftotext");
      expect(viaPoppler.text).toBe(viaPdfjs.text);
      expect(viaPoppler.text).not.toMatch(/Ky boi|Chinh phu|SAO|NOI BO/);
      // Mostly vertical: the page says so, with either engine.
      const mostly = buildPdf(letterPageObjects({ draw: vertical }, ["Trang 1", "Ban sao"]));
      const warning = "page 1: most of its text is rotated and was not read";
      expect((await readPdf(mostly, { engine: "pdfjs" })).source.warnings).toContain(warning);
      expect((await readPdf(mostly, { engine: "poppler" })).source.warnings).toContain(warning);
    });
  });

  describe("signature widgets", () => {
    const bytes = bytesOf(join(SHARED_PDF, "tb-11-ubnd-quangngai-2025.pdf"));
    let page: PopplerPage;
    const onPage1 = readRawSignatures(bytes).filter((s) => s.pageRef?.num === 3); // the widgets whose /P is page 1
    beforeAll(async () => {
      page = parsePopplerWords(await runPdftotext(bytes))[0]!;
    });

    it("tells the words drawn by their appearances from page text inside the same rectangle", () => {
      expect(onPage1.map((s) => s.rect)).toEqual([
        [137, 709, 335, 738],
        [407, 709, 452, 738],
        [406, 803, 555, 836],
      ]);
      const { content, shown } = splitAppearanceWords(page.words, onPage1.map((s) => s.rect), page.height);
      expect(shown.map((words) => words.map((w) => w.text).join(" "))).toEqual([
        "11",
        "08",
        "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC ttcbth@quangngai.gov.vn 09.01.2025 10:21:11 +07:00",
      ]);
      // "/TB-UBND" lies inside the first widget's rectangle but is the page's own text.
      expect(content.map((w) => w.text)).toContain("/TB-UBND");
      expect(content.length + shown.flat().length).toBe(page.words.length);
    });

    it("stamps the values onto the lines they fill, and keeps the signature block as metadata", () => {
      const boxEms = learnBoxEms([page]);
      const { content, shown } = splitAppearanceWords(page.words, onPage1.map((s) => s.rect), page.height);
      const { items } = pageItems(content, page.height, boxEms);
      const reading = readAppearanceWords(shown, page.height, 1, boxEms);
      expect(reading.stamps.map((s) => s.text)).toEqual(["11", "08"]);
      expect(reading.stamps.every((s) => s.stamped)).toBe(true);
      expect(reading.blocks).toEqual([null, null, ["TRUNG TÂM CÔNG BÁO", "VÀ TIN HỌC", "ttcbth@quangngai.gov.vn", "09.01.2025 10:21:11 +07:00"]]);
      const [eleven, eight] = snapStamps(reading.stamps, items);
      // The runs that end where the blanks begin: "Số:" and "Quảng Ngãi, ngày".
      const so = items.find((i) => i.text.endsWith("Số:"))!;
      const ngay = items.find((i) => i.text.endsWith(", ngày"))!;
      expect(eleven!.y).toBe(so.y);
      expect(eight!.y).toBe(ngay.y);
    });
  });

  describe("files poppler does not read cleanly", () => {
    const bad = (name: string) => bytesOf(join(ROOT, "fixtures/bad", name));

    it("a file poppler reads only by repairing it goes to pdf.js, which refuses it", async () => {
      const bytes = bad("kids-loop.pdf");
      await expect(runPdftotext(bytes)).rejects.toMatchObject({ failure: "damaged" });
      expect(await readPdfWithPoppler(bytes)).toBeNull();
      await expect(readPdf(bytes, { engine: "poppler", fileName: "loop.pdf" })).rejects.toMatchObject({ code: "corrupt_file" });
    });

    it("a file pdftotext never stops reporting damage on is stopped at its first error, and pdf.js refuses it", async () => {
      // From stdin, poppler reports errors at offsets far past this file's end and, left alone,
      // runs into the time limit (failure "timeout") instead of ending as "damaged".
      const bytes = bad("cut-near-start.pdf");
      await expect(runPdftotext(bytes, { timeoutMs: 15_000, maxOutputBytes: 1e9, lastPage: Infinity })).rejects.toMatchObject({ failure: "damaged" });
      await expect(readPdf(bytes, { engine: "poppler", fileName: "cut.pdf" })).rejects.toMatchObject({ code: "corrupt_file" });
    });

    it("a file poppler repairs and pdf.js reads is read by pdf.js", async () => {
      const model = await readPdf(bad("prev-loop.pdf"), { engine: "poppler", fileName: "prev-loop.pdf" });
      expect(model.source.reader).toBe("pdfjs");
      expect(model.lines.length).toBeGreaterThan(0);
    });

    it("a page turned by /Rotate, which poppler lays out as displayed, is read by pdf.js in the page's own space", async () => {
      const bytes = buildPdf(letterPageObjects({ page: "/Rotate 90" }));
      const model = await readPdf(bytes, { engine: "poppler" });
      expect(model.source.reader).toBe("pdfjs");
      expect(model.text).toBe((await readPdf(bytes, { engine: "pdfjs" })).text);
      expect(model.lines.length).toBeGreaterThan(3);
    });

    it("a run that does not finish in time is a named timeout", async () => {
      const bytes = bytesOf(join(SHARED_PDF, "tb-480-vpcp-2025.pdf"));
      await expect(runPdftotext(bytes, { timeoutMs: 1, maxOutputBytes: 1e9, lastPage: Infinity })).rejects.toMatchObject({ failure: "timeout" });
      const error = await readPdfWithPoppler(bytes, { fileName: "slow.pdf", limits: { timeoutMs: 1 } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReadError);
      expect(error).toMatchObject({ code: "timeout" });
      expect((error as ReadError).message).toMatch(/^slow\.pdf: /);
    });

    it("output past the cap is cut off, and pdf.js reads the file", async () => {
      const bytes = bytesOf(join(SHARED_PDF, "tb-480-vpcp-2025.pdf"));
      const error = await runPdftotext(bytes, { timeoutMs: 20_000, maxOutputBytes: 1000, lastPage: Infinity }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PdftotextError);
      expect(error).toMatchObject({ failure: "output_too_large" });
      expect(await readPdfWithPoppler(bytes, { limits: { maxOutputBytes: 1000 } })).toBeNull();
    });
  });
});
