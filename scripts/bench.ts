/**
 * `npm run bench`: how fast vanthu is on this machine, next to the obvious
 * alternatives where there is one (poppler's pdftotext, bare tesseract).
 * Prints tables and writes bench-results/bench.json. Figures, not assertions:
 * speed goals are read here, never timed inside unit tests.
 *
 * Environment: VANTHU_BENCH_LETTERS (letters per pipeline run, default 500),
 * VANTHU_BENCH_SKIP=pipeline,ocr,pages (leave sections out).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { alignRows } from "../pipeline/cli/format-table.ts";
import { benchExtractor } from "./bench/extractor.ts";
import { stealMeter } from "./bench/steal.ts";
// The other sections are imported after the extractor is measured: with them loaded (BullMQ,
// pg, fastify, pdf.js...), the same extractor read 30-40 % fewer letters/s in this process, where
// an extraction worker thread loads only the extractor.

const root = resolve(import.meta.dirname, "..");
const shared = resolve(root, "../shared/fixtures");
const lettersDir = join(shared, "letters");
if (!existsSync(lettersDir)) {
  console.error(`bench: ${lettersDir} not found (the shared fixtures sit beside the project)`);
  process.exit(1);
}
const skip = new Set((process.env.VANTHU_BENCH_SKIP ?? "").split(",").filter(Boolean));
const filesIn = (dir: string, ext: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => join(dir, f)) : []);
const letterFiles = filesIn(lettersDir, ".txt");
const sharedPdfs = filesIn(join(shared, "pdf"), ".pdf");
const docxFiles = filesIn(join(root, "fixtures/docx"), ".docx");
const progress = (line: string) => process.stderr.write(`${line}\n`);
const f = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? "-" : n.toFixed(digits));
const print = (title: string, rows: string[][]) => console.log(`\n${title}\n${alignRows(rows, "  ").join("\n")}`);
/** CPU time the hypervisor took from this machine during each section, in per cent (steal.ts). */
const stolen: Record<string, number | null> = {};
const stealNote = (section: string, meter: () => number | null) => {
  stolen[section] = meter();
  console.log(`  (CPU time taken by the hypervisor during this section: ${stolen[section] === null ? "unknown" : `${f(stolen[section], 1)} %`})`);
};

console.log(`vanthu bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${new Date().toISOString()}`);

progress("extractor alone…");
let meter = stealMeter();
const extractor = benchExtractor(letterFiles.map((file) => readFileSync(file, "utf8")));
print("Extractor alone, one core", [
  ["set", "letters", "letters/s", "ms/letter", "KB/letter"],
  ...extractor.map((r) => [r.label, String(r.letters), f(r.perSecond, 0), f(r.msPerLetter, 3), f(r.kbPerLetter)]),
]);
stealNote("extractor", meter);

const { benchDocx, benchPdf, benchPool } = await import("./bench/readers.ts");
const { benchPageGrowth } = await import("./bench/pages.ts");
const { benchOcr } = await import("./bench/ocr.ts");
const { benchPipeline } = await import("./bench/pipeline.ts");

progress("readers…");
meter = stealMeter();
const pdf = await benchPdf(sharedPdfs);
const docx = await benchDocx(docxFiles);
const pool = await benchPool([...letterFiles, ...docxFiles, ...sharedPdfs]);
print("Readers alone, one core", [
  ["reader (shared text PDFs; DOCX: fixtures/docx)", "files", "pages", "pages/s", "ms/page", "ratio"],
  ...(pdf
    ? [
        ...(pdf.popplerPagesPerSecond === null
          ? []
          : [[`vanthu, poppler engine${pdf.defaultEngine === "poppler" ? " (default)" : ""}`, String(pdf.files), String(pdf.pages), f(pdf.popplerPagesPerSecond), f(pdf.popplerMsPerPage, 2), `${f(pdf.popplerVsPdftotext, 2)}× pdftotext`]]),
        [`vanthu, pdf.js engine${pdf.defaultEngine === "pdfjs" ? " (default)" : ""}`, String(pdf.files), String(pdf.pages), f(pdf.pdfjsPagesPerSecond), f(pdf.pdfjsMsPerPage, 2), pdf.pdfjsVsPdftotext === null ? "(no pdftotext)" : `${f(pdf.pdfjsVsPdftotext, 2)}× pdftotext`],
        ...(pdf.pdftotextPagesPerSecond === null ? [] : [["bare pdftotext -layout (same files)", String(pdf.files), String(pdf.pages), f(pdf.pdftotextPagesPerSecond), f(1000 / pdf.pdftotextPagesPerSecond, 2), "1.00×"]]),
      ]
    : []),
  ...(docx ? [["vanthu, DOCX (mammoth + numbering)", String(docx.files), "-", `${f(docx.docsPerSecond)} docs/s`, `${f(docx.msPerDoc, 2)} ms/doc`, "-"]] : []),
]);
print("Extraction in worker threads vs in this process (text + DOCX + PDF letters)", [
  ["mode", "files", "ms/file", "files/s", "CPU ms/file"],
  ["in-process, sequential", String(pool.files), f(pool.inProcessMsPerFile, 2), f(pool.inProcessFilesPerSecond), f(pool.inProcessCpuMsPerFile, 2)],
  ["pool of 1, sequential", String(pool.files), f(pool.pool1MsPerFile, 2), f(1000 / pool.pool1MsPerFile), f(pool.pool1CpuMsPerFile, 2)],
  [`pool of ${pool.poolSize}, all at once`, String(pool.files), f(1000 / pool.poolNFilesPerSecond, 2), f(pool.poolNFilesPerSecond), "-"],
]);
console.log(`  isolation overhead ${f(pool.overheadRatio, 2)}× per file; first result after ${f(pool.firstResultMs, 0)} ms (worker start-up)`);
stealNote("readers", meter);

let pages = null;
if (!skip.has("pages")) {
  progress("page growth…");
  meter = stealMeter();
  pages = await benchPageGrowth(sharedPdfs);
  if (pages)
    print("How cost grows with pages (one text PDF assembled from the shared PDFs' pages, one core)", [
      ["pages", "read ms/page", "extract ms/page", "tasks found"],
      ...pages.map((r) => [String(r.pages), f(r.readMsPerPage, 1), f(r.extractMsPerPage, 1), String(r.tasks)]),
    ]);
  stealNote("pages", meter);
}

let ocr: Awaited<ReturnType<typeof benchOcr>> = null;
if (!skip.has("ocr")) {
  progress("OCR (a minute or two)…");
  meter = stealMeter();
  ocr = await benchOcr(join(shared, "scans"), "tb-660-ubnd-quangngai-2024.pdf", filesIn(join(root, "fixtures/scans"), ".pdf")[0]!);
  if (ocr) {
    const bareRow = (label: string, run: NonNullable<typeof ocr>["barePrepared"]) => [label, f(run?.secondsPerPage, 2), run ? String(run.words) : "-", "1.00×"];
    print(`OCR on the real scans (${ocr.files} files, ${ocr.pages} pages), both cores busy`, [
      ["", "s/page", "words read", "ratio"],
      ["vanthu (pool of 2, one scan per worker)", f(ocr.readerSecondsPerPage, 2), "-", ocr.readerVsBare === null ? "-" : `${f(ocr.readerVsBare, 2)}× bare on the same images (pairs of runs: ${ocr.readerVsBareRange!.map((r) => f(r, 2)).join("–")}×)`],
      bareRow("bare tesseract -l vie, 2 at a time, on the images vanthu hands it", ocr.barePrepared),
      [...bareRow("bare tesseract -l vie, 2 at a time, on pdfimages' raw images", ocr.bareEmbedded).slice(0, 3), ocr.readerVsBareEmbedded === null ? "-" : `vanthu ${f(ocr.readerVsBareEmbedded, 2)}×`],
    ]);
    console.log(`  one scan alone (${ocr.single.file}, ${ocr.single.pages} pages), one core: Debian tesseract ${f(ocr.single.cliSecondsPerPage, 2)} s/page, tesseract.js ${f(ocr.single.tesseractJsSecondsPerPage, 2)} s/page`);
  }
  stealNote("ocr", meter);
}

let pipeline = null;
if (!skip.has("pipeline")) {
  progress("end to end through the queue…");
  meter = stealMeter();
  const letters = Number(process.env.VANTHU_BENCH_LETTERS ?? 500);
  pipeline = await benchPipeline({ lettersDir, pdfDirs: [join(shared, "pdf"), join(root, "fixtures/pdf")] }, { letters, growth: [10, 100, 1000] }, progress);
  const alone = extractor[0]!.perSecond;
  print(`End to end: ${letters} letters accepted → extracted and stored, the whole batch at once`, [
    ["mode", "letters", "workers", "docs/s", "vs extractor alone", "p50 ms", "p95 ms", "peak RSS MB"],
    ...pipeline.runs.map((r) => [r.mode, r.kind, String(r.workers), f(r.docsPerSecond), r.kind === "text" ? `${f(alone / r.docsPerSecond)}× slower` : "-", f(r.p50Ms, 0), f(r.p95Ms, 0), `${f(r.peakRssMb, 0)} (${r.rssScope})`]),
  ]);
  console.log("  (vs extractor alone: its letters/s on one core over the pipeline's docs/s: what the queue, store, fsync and isolation cost)");
  print("How cost grows with volume (embedded, 2 workers, text letters)", [
    ["letters", "docs/s", "ms/letter", "p95 ms", "peak RSS MB"],
    ...pipeline.growth.map((r) => [String(r.letters), f(r.docsPerSecond), f(r.msPerLetter, 2), f(r.p95Ms, 0), f(r.peakRssMb, 0)]),
  ]);
  stealNote("pipeline", meter);
}

mkdirSync(join(root, "bench-results"), { recursive: true });
const file = join(root, "bench-results/bench.json");
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: cpus().length, stolenCpuPercent: stolen, extractor, pdf, docx, pool, pages, ocr, pipeline }, null, 2) + "\n");
console.log(`\nwritten ${file}`);
