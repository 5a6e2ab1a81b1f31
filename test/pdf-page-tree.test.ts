/**
 * The page tree read from a PDF's bytes (pdf-file.ts), which places signature
 * widgets on their pages without loading pdf.js (signature-pages.ts): the same
 * pages as pdf.js on real files, object streams and incremental updates
 * followed, and pdf.js asked only when the tree cannot be trusted.
 */
import { describe, it, expect, vi, beforeEach } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { openPdfFile } from "../extractors/readers/pdf/pdf-file.ts";
import { parseObject } from "../extractors/readers/pdf/pdf-objects.ts";
import { signaturePages } from "../extractors/readers/pdf/signature-pages.ts";
import { readRawSignatures } from "../extractors/readers/pdf/signatures.ts";
import { loadPdfJs } from "../extractors/readers/pdf/pdfjs.ts";

// Counts how often signature-pages.ts asks for pdf.js; the real pdf.js answers.
const pdfJsAsked = vi.hoisted(() => ({ count: 0 }));
vi.mock("../extractors/readers/pdf/pdfjs.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../extractors/readers/pdf/pdfjs.ts")>();
  return { ...real, loadPdfJs: () => (pdfJsAsked.count++, real.loadPdfJs()) };
});
beforeEach(() => {
  pdfJsAsked.count = 0;
});

const SHARED = join(import.meta.dirname, "../../shared/fixtures");
const LOCAL = join(import.meta.dirname, "../fixtures");
const latin1 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
const refs = (file: ReturnType<typeof openPdfFile>) => file?.pages.map((p) => `${p.ref.num} ${p.ref.gen}`) ?? null;

/** An object stream holding `objects` (number → body), Flate-compressed, as object `num`. */
function objectStream(num: number, objects: Record<number, string>): string {
  let header = "";
  let body = "";
  for (const [n, text] of Object.entries(objects)) {
    header += `${n} ${body.length} `;
    body += `${text}\n`;
  }
  const data = deflateSync(Buffer.from(header + body, "latin1")).toString("latin1");
  return `${num} 0 obj\n<< /Type /ObjStm /N ${Object.keys(objects).length} /First ${header.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\n`;
}

/** The page tree of SIGNED: three pages, in the order 5, 6, 4. */
const TREE: Record<number, string> = {
  2: "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 >>",
  3: "<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R] /Count 2 >>",
  4: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots 9 0 R >>",
  5: "<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>",
  6: "<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Annots [7 0 R] >>",
};

/**
 * A signed file whose page tree sits in an object stream (or, `plain`, in
 * objects of its own, with a cross-reference table pdf.js can read). Widget 7
 * names its page (/P 6 0 R); widget 10 does not and is listed in page 4's
 * /Annots, an indirect array (object 9).
 */
function signedPdf(tree: Record<number, string> = TREE, plain = false): string {
  const parts = [
    "%PDF-1.7\n",
    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
    ...(plain ? Object.entries(tree).map(([n, body]) => `${n} 0 obj\n${body}\nendobj\n`) : [objectStream(20, tree)]),
    "7 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /Rect [100 100 200 150] /V 8 0 R /P 6 0 R >>\nendobj\n",
    "8 0 obj\n<< /Type /Sig /M (D:20250108173049+07'00') /Name (Nguyen Van A) >>\nendobj\n",
    "9 0 obj\n[10 0 R]\nendobj\n",
    "10 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature2) /Rect [300 300 400 350] /V 8 0 R >>\nendobj\n",
  ];
  const body = parts.join("");
  if (!plain) return `${body}trailer\n<< /Root 1 0 R /Size 21 >>\n%%EOF\n`;
  const offsets = Array.from({ length: 11 }, (_, n) => body.search(new RegExp(`(?<!\\d)${n} 0 obj`)));
  const rows = offsets.map((at, n) => (n === 0 ? "0000000000 65535 f \n" : `${String(at).padStart(10, "0")} 00000 n \n`));
  return `${body}xref\n0 11\n${rows.join("")}trailer\n<< /Root 1 0 R /Size 11 >>\nstartxref\n${body.length}\n%%EOF\n`;
}
const SIGNED = signedPdf();
/** SIGNED whose root /Count says 4 pages where its tree holds 3. */
const COUNT_LIE = signedPdf({ ...TREE, 2: TREE[2]!.replace("/Count 3", "/Count 4") });

describe("the page tree read from the bytes", () => {
  it.each([
    ...readdirSync(join(SHARED, "pdf")).map((f) => join(SHARED, "pdf", f)),
    ...readdirSync(join(SHARED, "scans")).map((f) => join(SHARED, "scans", f)),
    ...readdirSync(join(LOCAL, "pdf")).map((f) => join(LOCAL, "pdf", f)),
  ].map((f) => [f.split("/").pop()!, f]))("lists %s's pages as pdf.js does", async (_name, file) => {
    const bytes = new Uint8Array(readFileSync(file));
    const pdfjs = await loadPdfJs();
    const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
    const expected: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) expected.push(`${(await doc.getPage(n)).ref!.num} ${(await doc.getPage(n)).ref!.gen}`);
    await doc.destroy();
    expect(refs(openPdfFile(bytes))).toEqual(expected);
  });

  it("follows nested /Pages nodes inside a compressed object stream", () => {
    expect(refs(openPdfFile(latin1(SIGNED)))).toEqual(["5 0", "6 0", "4 0"]);
  });

  it("takes an incremental update's version of an object over the compressed one", () => {
    const updated = `${SIGNED}2 0 obj\n<< /Type /Pages /Kids [4 0 R 3 0 R] /Count 3 >>\nendobj\ntrailer\n<< /Root 1 0 R /Size 21 >>\n%%EOF\n`;
    expect(refs(openPdfFile(latin1(updated)))).toEqual(["4 0", "5 0", "6 0"]);
  });

  it("lexes a damaged run of 100,000 digits in one pass (it once took 15 s)", () => {
    const digits = "1".repeat(100_000);
    expect(parseObject(`[${digits}.5 -.25 12]`)).toEqual([Number(`${digits}.5`), -0.25, 12]);
    // Not a speed goal but a hang guard: the quadratic pattern spent 15 s here, the linear one
    // milliseconds, so 3 s holds on any machine this runs on and still fails a quadratic lexer.
    const started = performance.now();
    expect(() => parseObject(`[${digits}x]`)).toThrow(/inside an array/);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("gives up on a tree whose pages do not add up to its /Count, or that loops", () => {
    expect(openPdfFile(latin1(COUNT_LIE))).toBeNull();
    expect(openPdfFile(latin1(signedPdf({ ...TREE, 3: TREE[3]!.replace("/Kids [5 0 R 6 0 R]", "/Kids [5 0 R 3 0 R]") })))).toBeNull();
    expect(openPdfFile(new Uint8Array(readFileSync(join(LOCAL, "bad/kids-loop.pdf"))))).toBeNull();
  });
});

describe("signature pages", () => {
  it("places a widget by its /P, and one without /P by the page whose /Annots list it, without pdf.js", async () => {
    const bytes = latin1(SIGNED);
    const signatures = readRawSignatures(bytes);
    expect(signatures.map((s) => s.pageRef)).toEqual([{ num: 6, gen: 0 }, null]);
    const pages = await signaturePages(bytes, signatures);
    expect(signatures.map((s) => pages.get(s))).toEqual([2, 3]);
    expect(pdfJsAsked.count).toBe(0);
  });

  it.each(["tb-11-ubnd-quangngai-2025", "tb-565-ubnd-quangngai-2024"])("places %s's signatures where pdf.js does, without pdf.js", async (name) => {
    const bytes = new Uint8Array(readFileSync(join(SHARED, "pdf", `${name}.pdf`)));
    const signatures = readRawSignatures(bytes);
    expect(signatures.length).toBeGreaterThan(0);
    const pages = await signaturePages(bytes, signatures);
    expect(pdfJsAsked.count).toBe(0);
    // pdf.js's answer: the page whose annotations hold a signature field with the widget's rectangle.
    const pdfjs = await loadPdfJs();
    const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
    const rects: { page: number; rect: number[] }[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      for (const a of (await (await doc.getPage(n)).getAnnotations()) as { fieldType?: string; rect: number[] }[]) if (a.fieldType === "Sig") rects.push({ page: n, rect: a.rect });
    }
    await doc.destroy();
    for (const sig of signatures) {
      const norm = [Math.min(sig.rect[0]!, sig.rect[2]!), Math.min(sig.rect[1]!, sig.rect[3]!)];
      const onPdfJs = rects.find((r) => Math.abs(r.rect[0]! - norm[0]!) < 1 && Math.abs(r.rect[1]! - norm[1]!) < 1);
      expect(pages.get(sig)).toBe(onPdfJs?.page);
    }
  });

  it("places the widgets it can on a tree pdf.js cannot walk whole, without a stray rejection of pdf.js's own (it ended the worker)", async () => {
    // A kid that is an array, not a page: pdf.js's getPageIndex failed on it and left a promise rejected.
    const bytes = latin1(signedPdf({ ...TREE, 3: TREE[3]!.replace("[5 0 R 6 0 R]", "[5 0 R 9 0 R 6 0 R]") }, true));
    const signatures = readRawSignatures(bytes);
    const pages = await signaturePages(bytes, signatures);
    expect(pdfJsAsked.count).toBe(1);
    expect(signatures.map((s) => pages.get(s))).toEqual([undefined, 3]);
  });

  it("asks pdf.js when the tree cannot be trusted, and still places the widgets", async () => {
    const bytes = latin1(signedPdf({ ...TREE, 2: TREE[2]!.replace("/Count 3", "/Count 4") }, true));
    expect(openPdfFile(bytes)).toBeNull();
    const signatures = readRawSignatures(bytes);
    const pages = await signaturePages(bytes, signatures);
    expect(pdfJsAsked.count).toBe(1);
    expect(signatures.map((s) => pages.get(s))).toEqual([2, 3]);
  });
});
