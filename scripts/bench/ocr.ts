/**
 * OCR seconds per page on the real scans, both cores busy: vanthu's reader
 * (page images out of the PDF, clean-up, OCR, layout, repairs) with one scan
 * per worker of a two-worker pool, next to bare `tesseract -l vie`
 * (single-threaded, two processes at a time, the reader's own arguments) on
 * the page images vanthu hands it, and on those poppler's `pdfimages` takes
 * out of the same files. Also each engine alone on one scan with one core busy.
 * The reader and bare tesseract on the same images run in ROUNDS pairs,
 * alternating which goes first (vanthu, bare, bare, vanthu, vanthu, bare), and
 * the figures are the means; each pair's own ratio is kept, to show the spread.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { extract } from "../../extractors/index.ts";
import { cliAvailable } from "../../extractors/readers/ocr/engine.ts";
import { runTool } from "../../extractors/readers/run-tool.ts";
import { encodePgm } from "../../extractors/readers/ocr/image.ts";
import { preparePage } from "../../extractors/readers/ocr/pages.ts";
import { tesseractArgs } from "../../extractors/readers/ocr/tesseract-cli.ts";
import { parseTsv } from "../../extractors/readers/ocr/tsv.ts";
import { openPdfImages } from "../../extractors/readers/ocr/pdf-images.ts";
import { mapLimited } from "../../extractors/readers/ocr/limit.ts";
import { createExtractionPool } from "../../pipeline/isolation/index.ts";

export interface OcrBench {
  files: number;
  pages: number;
  /** vanthu, two worker threads, one scan each at a time. */
  readerSecondsPerPage: number;
  /** bare tesseract, two processes at a time, on the page images vanthu hands it (same pixels, same work). */
  barePrepared: (BareRun & { secondsPerPage: number }) | null;
  /** bare tesseract on the images `pdfimages` takes out of the files (seals and signatures too; no clean-up). */
  bareEmbedded: (BareRun & { secondsPerPage: number }) | null;
  /** vanthu's seconds over bare's on the same prepared images: what reading a letter costs beyond OCR. */
  readerVsBare: number | null;
  /** The lowest and highest ratio of one pair of runs (vanthu and bare, back to back). */
  readerVsBareRange: [number, number] | null;
  readerVsBareEmbedded: number | null;
  /** One scan, one core busy, per engine (null when the engine is not there). */
  single: { file: string; pages: number; cliSecondsPerPage: number | null; tesseractJsSecondsPerPage: number | null };
}

/**
 * Bare tesseract on one image file (fed on stdin), single-threaded and with
 * the very arguments vanthu's reader runs for a page (tesseractArgs): words
 * with their boxes as TSV, which tesseract itself takes ~5 % longer to write
 * than plain text; that is OCR, not what vanthu adds to it. The number of words it read.
 */
async function tesseract(image: string, dpi: number | null): Promise<number> {
  const outcome = await runTool("tesseract", tesseractArgs(dpi), readFileSync(image), { timeoutMs: 600_000, env: { ...process.env, OMP_THREAD_LIMIT: "1" } });
  return outcome.kind === "exited" ? parseTsv(outcome.stdout.toString("utf8")).length : 0;
}

interface BareRun {
  seconds: number;
  words: number;
}

async function bareRun(images: { path: string; dpi: number | null }[]): Promise<BareRun> {
  const start = performance.now();
  const words = await mapLimited(images, 2, (image) => tesseract(image.path, image.dpi));
  return { seconds: (performance.now() - start) / 1000, words: words.reduce((a, b) => a + b, 0) };
}

/** The images embedded in the scans, as `pdfimages` takes them out (seals and signatures included). */
function embeddedImages(scans: string[], dir: string): { path: string; dpi: null }[] {
  scans.forEach((scan, i) => spawnSync("pdfimages", ["-png", scan, join(dir, `raw${i}`)]));
  return readdirSync(dir).filter((f) => f.startsWith("raw") && f.endsWith(".png")).map((f) => ({ path: join(dir, f), dpi: null }));
}

/** The page images exactly as vanthu hands them to tesseract (preparePage), written as PGM. */
async function preparedImages(scans: string[], dir: string): Promise<{ path: string; dpi: number | null }[]> {
  const out: { path: string; dpi: number | null }[] = [];
  for (const [i, scan] of scans.entries()) {
    const images = await openPdfImages(new Uint8Array(readFileSync(scan)));
    try {
      for (let page = 1; page <= images.pageCount; page++) {
        const raw = (await images.pageImage(page))?.image;
        const prepared = raw ? preparePage(raw) : null;
        if (!prepared) continue;
        const path = join(dir, `prepared${i}-${page}.pgm`);
        writeFileSync(path, encodePgm(prepared.image));
        out.push({ path, dpi: prepared.image.dpi });
      }
    } finally {
      await images.close();
    }
  }
  return out;
}

async function singleScan(scan: string): Promise<OcrBench["single"]> {
  const bytes = readFileSync(scan);
  const secondsPerPage = async (engine: string) => {
    process.env.VANTHU_OCR_ENGINE = engine;
    try {
      const start = performance.now();
      const extraction = await extract(bytes, { fileName: scan });
      const pages = extraction.provenance.source.pages;
      return { seconds: (performance.now() - start) / 1000 / pages, pages };
    } catch (error) {
      console.warn(`OCR bench (${engine}) skipped: ${(error as Error).message}`);
      return null;
    } finally {
      delete process.env.VANTHU_OCR_ENGINE;
    }
  };
  const cli = (await cliAvailable()) ? await secondsPerPage("tesseract") : null;
  const js = await secondsPerPage("tesseract.js");
  return { file: scan.split("/").pop()!, pages: cli?.pages ?? js?.pages ?? 0, cliSecondsPerPage: cli?.seconds ?? null, tesseractJsSecondsPerPage: js?.seconds ?? null };
}

/** vanthu's seconds for all the scans through the pool: one scan per worker at a time. Also counts the pages. */
async function readerRun(pool: ReturnType<typeof createExtractionPool>, scans: string[]): Promise<{ seconds: number; pages: number }> {
  const start = performance.now();
  const pages = await mapLimited(scans, 2, async (scan) => (await pool.extract(new Uint8Array(readFileSync(scan)), { fileName: scan.split("/").pop()! })).provenance.source.pages);
  return { seconds: (performance.now() - start) / 1000, pages: pages.reduce((a, b) => a + b, 0) };
}

/** Pairs of runs (vanthu and bare tesseract on the same images). This machine drifts 10–25 % within minutes. */
const ROUNDS = 3;

/**
 * `warmUpScan`: a scanned PDF each worker reads before the clock starts, so
 * what a worker does once in its life (loading the OCR modules and pdf.js's
 * decoders, unpacking the row model) is not counted as OCR of these pages.
 */
export async function benchOcr(scansDir: string, singleFile: string, warmUpScan: string): Promise<OcrBench | null> {
  if (!existsSync(scansDir)) return null;
  const scans = readdirSync(scansDir).filter((f) => f.endsWith(".pdf")).sort().map((f) => join(scansDir, f));
  if (!scans.length) return null;
  const bare = (await cliAvailable()) && spawnSync("pdfimages", ["-v"]).status === 0;
  const dir = mkdtempSync(join(tmpdir(), "vanthu-ocr-bench-"));
  const pool = createExtractionPool({ size: 2, timeoutMs: 600_000 });
  const reader: { seconds: number; pages: number }[] = [];
  const prepared: BareRun[] = [];
  let embedded: BareRun | null = null;
  try {
    const warmUp = new Uint8Array(readFileSync(warmUpScan));
    await Promise.all([0, 1].map((i) => pool.extract(warmUp, { fileName: `warm-up-${i}.pdf` })));
    const preparedFiles = bare ? await preparedImages(scans, dir) : [];
    const embeddedFiles = bare ? embeddedImages(scans, dir) : [];
    // Which of the pair goes first alternates: that cancels a steady drift out of the ratio.
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) reader.push(await readerRun(pool, scans));
      if (bare) prepared.push(await bareRun(preparedFiles));
      if (bare && round === 0) embedded = await bareRun(embeddedFiles);
      if (round % 2 === 1) reader.push(await readerRun(pool, scans));
      if (!bare) break;
    }
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const single = await singleScan(join(scansDir, singleFile));
  const pages = reader[0]!.pages;
  const mean = (runs: { seconds: number }[]) => runs.reduce((sum, run) => sum + run.seconds, 0) / runs.length;
  const readerSeconds = mean(reader);
  const preparedRun = prepared.length ? { seconds: mean(prepared), words: prepared[0]!.words } : null;
  const pairRatios = prepared.map((run, i) => reader[i]!.seconds / run.seconds);
  const perPage = (run: BareRun) => ({ ...run, secondsPerPage: run.seconds / pages });
  return {
    files: scans.length,
    pages,
    readerSecondsPerPage: readerSeconds / pages,
    barePrepared: preparedRun && perPage(preparedRun),
    bareEmbedded: embedded && perPage(embedded),
    readerVsBare: preparedRun && readerSeconds / preparedRun.seconds,
    readerVsBareRange: pairRatios.length ? [Math.min(...pairRatios), Math.max(...pairRatios)] : null,
    readerVsBareEmbedded: embedded && readerSeconds / embedded.seconds,
    single,
  };
}
