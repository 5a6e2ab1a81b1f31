/**
 * `npm run bench`: throughput of the extractor alone on the shared text
 * letters and on synthetic letters built from them (renumbered, repeated
 * sections) to see how cost grows with length; then the readers alone (PDF
 * pages/s next to poppler's pdftotext, DOCX docs/s) and extraction through
 * the isolated worker pool against in-process. Prints tables and writes
 * bench-results/bench.json. Figures, not assertions: speed goals are read
 * here, never timed inside unit tests.
 */
import { readFileSync, readdirSync, mkdirSync, mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { extract, extractFromText } from "../extractors/index.ts";
import { readPdf } from "../extractors/readers/pdf.ts";
import { readDocx } from "../extractors/readers/docx.ts";
import { createExtractionPool, defaultPoolSize } from "../pipeline/isolation/index.ts";
import { benchPipeline } from "./bench/pipeline.ts";

const root = resolve(import.meta.dirname, "..");
const lettersDir = resolve(root, "../shared/fixtures/letters");
if (!existsSync(lettersDir)) {
  console.error(`bench: ${lettersDir} not found (the shared fixtures sit beside the project)`);
  process.exit(1);
}
const letters = readdirSync(lettersDir)
  .filter((f) => f.endsWith(".txt"))
  .sort()
  .map((f) => readFileSync(join(lettersDir, f), "utf8"));

/** A letter renumbered so no two synthetic letters are the same text. */
function variant(text: string, i: number): string {
  return text.replace(/Số:\s*[^\n/]*\//u, `Số: ${1000 + i}/`);
}

function measure(label: string, texts: string[], minMs = 3000): { label: string; letters: number; perSecond: number; msPerLetter: number; kbPerLetter: number } {
  // Warm-up until the JIT has settled (a second of work), so the figure is the steady state a long-running worker sees.
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) for (const t of texts) extractFromText(t);
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (const t of texts) extractFromText(t);
    count += texts.length;
  }
  const elapsed = performance.now() - start;
  const kb = texts.reduce((n, t) => n + t.length, 0) / texts.length / 1024;
  return { label, letters: count, perSecond: (count / elapsed) * 1000, msPerLetter: elapsed / count, kbPerLetter: kb };
}

const rows = [
  measure("shared text letters", letters),
  measure("synthetic x10 (renumbered)", Array.from({ length: 10 }, (_, i) => letters.map((l) => variant(l, i))).flat()),
  measure("long letters (body x4)", letters.map((l) => l + "\n\n" + l.split("\n").slice(8).join("\n").repeat(3))),
];

const fmt = (n: number, d = 1) => n.toFixed(d).padStart(10);
console.log("Extractor alone, one core (node " + process.version + ")");
console.log("set".padEnd(30) + "letters".padStart(10) + "letters/s".padStart(10) + "ms/letter".padStart(10) + "KB/letter".padStart(10));
for (const r of rows) console.log(r.label.padEnd(30) + String(r.letters).padStart(10) + fmt(r.perSecond, 0) + fmt(r.msPerLetter, 3) + fmt(r.kbPerLetter, 1));

// ---------------------------------------------------------------------------
// Readers and isolation: PDF pages/s (pdf.js) next to pdftotext, DOCX docs/s,
// and extraction through the worker pool against in-process.

const pdfDir = resolve(root, "../shared/fixtures/pdf");
const docxDir = join(root, "fixtures/docx");
const filesIn = (dir: string, ext: string) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => join(dir, f)) : [];
const pdfFiles = filesIn(pdfDir, ".pdf");
const docxFiles = filesIn(docxDir, ".docx");
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));

/** Runs `round` (one pass over a set) until `minMs` has passed, after one warm-up pass; ms per pass. */
async function timeRounds(round: () => Promise<void>, minMs = 2000): Promise<{ rounds: number; msPerRound: number }> {
  await round();
  let rounds = 0;
  const start = performance.now();
  while (performance.now() - start < minMs || rounds < 2) {
    await round();
    rounds++;
  }
  return { rounds, msPerRound: (performance.now() - start) / rounds };
}

function pdftotextPath(): string | null {
  const found = spawnSync("which", ["pdftotext"], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

interface PdfBench {
  files: number;
  pages: number;
  pdfjsPagesPerSecond: number;
  pdfjsMsPerPage: number;
  pdftotextPagesPerSecond: number | null;
  /** pdf.js reader time / pdftotext time on the same files (how many times slower). */
  pdfjsVsPdftotext: number | null;
}

async function benchPdf(): Promise<PdfBench | null> {
  if (!pdfFiles.length) return null;
  const inputs = pdfFiles.map(bytesOf);
  const models = await Promise.all(inputs.map((b, i) => readPdf(b, { fileName: pdfFiles[i] })));
  const pages = models.reduce((n, m) => n + m.source.pages, 0);
  const reader = await timeRounds(async () => {
    for (const b of inputs) await readPdf(b);
  });
  const pdftotext = pdftotextPath();
  let pdftotextMs: number | null = null;
  if (pdftotext) {
    const once = () => {
      for (const f of pdfFiles) spawnSync(pdftotext, ["-layout", "-enc", "UTF-8", f, "-"], { stdio: ["ignore", "ignore", "ignore"] });
    };
    once();
    let rounds = 0;
    const start = performance.now();
    while (performance.now() - start < 1500 || rounds < 2) {
      once();
      rounds++;
    }
    pdftotextMs = (performance.now() - start) / rounds;
  }
  return {
    files: inputs.length,
    pages,
    pdfjsPagesPerSecond: (pages / reader.msPerRound) * 1000,
    pdfjsMsPerPage: reader.msPerRound / pages,
    pdftotextPagesPerSecond: pdftotextMs === null ? null : (pages / pdftotextMs) * 1000,
    pdfjsVsPdftotext: pdftotextMs === null ? null : reader.msPerRound / pdftotextMs,
  };
}

interface DocxBench {
  files: number;
  docsPerSecond: number;
  msPerDoc: number;
}

async function benchDocx(): Promise<DocxBench | null> {
  if (!docxFiles.length) return null;
  const inputs = docxFiles.map(bytesOf);
  const t = await timeRounds(async () => {
    for (const b of inputs) await readDocx(b);
  });
  return { files: inputs.length, docsPerSecond: (inputs.length / t.msPerRound) * 1000, msPerDoc: t.msPerRound / inputs.length };
}

interface PoolBench {
  files: number;
  /** From createExtractionPool to the first result (worker start-up: tsx, pdf.js, the extractor). */
  firstResultMs: number;
  /** Median of interleaved rounds (in-process, then pool), so machine load hits both alike. */
  inProcessMsPerFile: number;
  /** One worker, files one after another: the per-file cost of isolation. */
  pool1MsPerFile: number;
  /** pool1 / in-process, wall clock. */
  overheadRatio: number;
  /** CPU time of the whole process (all threads) per file, in-process and through one worker. */
  inProcessCpuMsPerFile: number;
  pool1CpuMsPerFile: number;
  /** `size` workers, all files submitted at once. */
  poolSize: number;
  poolNFilesPerSecond: number;
  inProcessFilesPerSecond: number;
}

async function benchPool(): Promise<PoolBench> {
  const paths = [...readdirSync(lettersDir).filter((f) => f.endsWith(".txt")).sort().map((f) => join(lettersDir, f)), ...docxFiles, ...pdfFiles];
  const inputs = paths.map((p) => ({ bytes: bytesOf(p), fileName: p.split("/").pop()! }));

  const started = performance.now();
  const one = createExtractionPool({ size: 1 });
  await one.extract(inputs[0]!.bytes, { fileName: inputs[0]!.fileName });
  const firstResultMs = performance.now() - started;

  const inProcessRound = async () => {
    for (const i of inputs) await extract(i.bytes, { fileName: i.fileName });
  };
  const poolRound = async () => {
    for (const i of inputs) await one.extract(i.bytes, { fileName: i.fileName });
  };
  const measureRound = async (round: () => Promise<void>) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await round();
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
  };
  await inProcessRound();
  await poolRound();
  const inProcess: { ms: number; cpuMs: number }[] = [];
  const pooled: { ms: number; cpuMs: number }[] = [];
  for (let k = 0; k < 5; k++) {
    inProcess.push(await measureRound(inProcessRound));
    pooled.push(await measureRound(poolRound));
  }
  await one.close();
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

  const size = defaultPoolSize();
  const many = createExtractionPool({ size });
  const pooledN = await timeRounds(async () => {
    await Promise.all(inputs.map((i) => many.extract(i.bytes, { fileName: i.fileName })));
  });
  await many.close();

  const inMs = median(inProcess.map((r) => r.ms));
  const poolMs = median(pooled.map((r) => r.ms));
  return {
    files: inputs.length,
    firstResultMs,
    inProcessMsPerFile: inMs / inputs.length,
    pool1MsPerFile: poolMs / inputs.length,
    overheadRatio: poolMs / inMs,
    inProcessCpuMsPerFile: median(inProcess.map((r) => r.cpuMs)) / inputs.length,
    pool1CpuMsPerFile: median(pooled.map((r) => r.cpuMs)) / inputs.length,
    poolSize: size,
    poolNFilesPerSecond: (inputs.length / pooledN.msPerRound) * 1000,
    inProcessFilesPerSecond: (inputs.length / inMs) * 1000,
  };
}

/**
 * OCR seconds per page of the reader (page image extraction, clean-up, OCR,
 * layout, repairs) on one real scan, with each engine, next to bare
 * `tesseract -l vie` (single-threaded, as vanthu runs it) on the same page
 * images, which poppler's `pdfimages` extracts. One core busy.
 */
async function benchOcr(): Promise<Record<string, unknown> | null> {
  const scan = resolve(root, "../shared/fixtures/scans/tb-660-ubnd-quangngai-2024.pdf");
  if (!existsSync(scan)) return null;
  const bytes = readFileSync(scan);
  const readerSecondsPerPage = async (engine: string): Promise<{ seconds: number; pages: number } | null> => {
    process.env.VANTHU_OCR_ENGINE = engine;
    try {
      const start = performance.now();
      const extraction = await extract(bytes, { fileName: "scan.pdf" });
      const pages = extraction.provenance.source.pages;
      return { seconds: (performance.now() - start) / 1000 / pages, pages };
    } catch (error) {
      console.warn(`OCR bench (${engine}) skipped: ${(error as Error).message}`);
      return null;
    } finally {
      delete process.env.VANTHU_OCR_ENGINE;
    }
  };
  const hasCli = spawnSync("tesseract", ["--list-langs"], { encoding: "utf8" }).stdout?.includes("vie") ?? false;
  const cli = hasCli ? await readerSecondsPerPage("tesseract") : null;
  const js = await readerSecondsPerPage("tesseract.js");
  let bare: number | null = null;
  if (hasCli && spawnSync("pdfimages", ["-v"]).status === 0) {
    const dir = mkdtempSync(join(tmpdir(), "vanthu-ocr-bench-"));
    spawnSync("pdfimages", ["-png", scan, join(dir, "page")]);
    const images = readdirSync(dir).filter((f) => f.endsWith(".png")).sort();
    const start = performance.now();
    for (const image of images) spawnSync("tesseract", [join(dir, image), "stdout", "-l", "vie"], { env: { ...process.env, OMP_THREAD_LIMIT: "1" }, encoding: "utf8" });
    // Per page, not per image: a page may hold more than one image (a seal, a signature).
    const pages = cli?.pages ?? js?.pages ?? images.length;
    bare = images.length ? (performance.now() - start) / 1000 / pages : null;
  }
  return {
    file: "tb-660-ubnd-quangngai-2024.pdf",
    pages: cli?.pages ?? js?.pages ?? null,
    readerCliSecondsPerPage: cli?.seconds ?? null,
    readerTesseractJsSecondsPerPage: js?.seconds ?? null,
    bareTesseractSecondsPerPage: bare,
    readerVsBare: cli && bare ? cli.seconds / bare : null,
  };
}

const pdf = await benchPdf();
const docx = await benchDocx();
const pool = await benchPool();
const ocr = await benchOcr();
const pipeline = process.env.VANTHU_BENCH_SKIP_PIPELINE ? [] : await benchPipeline(lettersDir, Number(process.env.VANTHU_BENCH_LETTERS ?? 500));

const num = (n: number | null, d = 1) => (n === null ? "-" : n.toFixed(d)).padStart(12);
console.log("\nReaders alone, one core");
console.log("reader".padEnd(30) + "files".padStart(8) + "pages".padStart(8) + "pages/s".padStart(12) + "ms/page".padStart(12) + "vs pdftotext".padStart(14));
if (pdf) {
  console.log("pdf.js (shared PDFs)".padEnd(30) + String(pdf.files).padStart(8) + String(pdf.pages).padStart(8) + num(pdf.pdfjsPagesPerSecond) + num(pdf.pdfjsMsPerPage, 2) + (pdf.pdfjsVsPdftotext === null ? "  (no pdftotext)" : `${pdf.pdfjsVsPdftotext.toFixed(1)}× slower`.padStart(14)));
  if (pdf.pdftotextPagesPerSecond !== null) console.log("pdftotext -layout (same files)".padEnd(30) + String(pdf.files).padStart(8) + String(pdf.pages).padStart(8) + num(pdf.pdftotextPagesPerSecond) + num(1000 / pdf.pdftotextPagesPerSecond, 2));
}
console.log("reader".padEnd(30) + "files".padStart(8) + "docs/s".padStart(12) + "ms/doc".padStart(12));
if (docx) console.log("mammoth (fixtures/docx)".padEnd(30) + String(docx.files).padStart(8) + num(docx.docsPerSecond) + num(docx.msPerDoc, 2));

console.log("\nExtraction in worker threads vs in this process (text + DOCX + PDF letters)");
console.log("mode".padEnd(30) + "files".padStart(8) + "ms/file".padStart(12) + "files/s".padStart(12) + "CPU ms/file".padStart(12));
console.log("in-process, sequential".padEnd(30) + String(pool.files).padStart(8) + num(pool.inProcessMsPerFile, 2) + num(pool.inProcessFilesPerSecond) + num(pool.inProcessCpuMsPerFile, 2));
console.log("pool of 1, sequential".padEnd(30) + String(pool.files).padStart(8) + num(pool.pool1MsPerFile, 2) + num(1000 / pool.pool1MsPerFile) + num(pool.pool1CpuMsPerFile, 2));
console.log(`pool of ${pool.poolSize}, all at once`.padEnd(30) + String(pool.files).padStart(8) + num(1000 / pool.poolNFilesPerSecond, 2) + num(pool.poolNFilesPerSecond));
console.log(`isolation overhead: ${pool.overheadRatio.toFixed(2)}× per file; first result after ${pool.firstResultMs.toFixed(0)} ms (worker start-up)`);
if (ocr) {
  const s = (v: unknown) => (typeof v === "number" ? `${v.toFixed(2)} s/page` : "-");
  console.log(`\nOCR, one real scan (${ocr.file}, ${ocr.pages} pages), one core busy`);
  console.log(`  vanthu with Debian tesseract  ${s(ocr.readerCliSecondsPerPage)}`);
  console.log(`  vanthu with tesseract.js      ${s(ocr.readerTesseractJsSecondsPerPage)}`);
  console.log(`  bare tesseract, same images   ${s(ocr.bareTesseractSecondsPerPage)}` + (typeof ocr.readerVsBare === "number" ? `  (vanthu ${ocr.readerVsBare.toFixed(2)}× bare)` : ""));
} else console.log("OCR: not measured (no shared scan)");

mkdirSync(join(root, "bench-results"), { recursive: true });
const file = join(root, "bench-results/bench.json");
const alone = rows[0]!.perSecond;
console.log("\nEnd to end through the queue: text letters accepted → extracted and stored");
console.log("mode".padEnd(40) + "workers".padStart(8) + "docs/s".padStart(10) + "vs alone".padStart(10) + "p50 ms".padStart(9) + "p95 ms".padStart(9) + "peak RSS MB".padStart(13));
for (const p of pipeline) {
  console.log(p.mode.padEnd(40) + String(p.workers).padStart(8) + p.docsPerSecond.toFixed(1).padStart(10) + `${(alone / p.docsPerSecond).toFixed(1)}×`.padStart(10) + String(Math.round(p.p50Ms)).padStart(9) + String(Math.round(p.p95Ms)).padStart(9) + p.peakRssMb.toFixed(0).padStart(13));
}
console.log("(vs alone: the extractor alone's letters/s on one core divided by the pipeline's docs/s: the queue, store and isolation overhead)");

writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, extractor: rows, pdf, docx, pool, ocr, pipeline }, null, 2) + "\n");
console.log(`\nwritten ${file}`);
