/**
 * OCR seconds per page on the real scans, both cores busy: vanthu's reader
 * (page images out of the PDF, clean-up, OCR, layout, repairs) with one scan
 * per worker of a two-worker pool, next to bare `tesseract -l vie`
 * (single-threaded, two processes at a time) on the page images poppler's
 * `pdfimages` takes out of the same files. Also each engine alone on one
 * scan with one core busy.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { extract } from "../../extractors/index.ts";
import { createExtractionPool } from "../../pipeline/isolation/index.ts";

export interface OcrBench {
  files: number;
  pages: number;
  /** vanthu, two worker threads, one scan each at a time. */
  readerSecondsPerPage: number;
  /** bare tesseract on the embedded page images, two processes at a time. */
  bareSecondsPerPage: number | null;
  readerVsBare: number | null;
  /** One scan, one core busy, per engine (null when the engine is not there). */
  single: { file: string; pages: number; cliSecondsPerPage: number | null; tesseractJsSecondsPerPage: number | null };
}

const hasTesseractVie = () => spawnSync("tesseract", ["--list-langs"], { encoding: "utf8" }).stdout?.includes("vie") ?? false;

/** Runs the tasks `parallel` at a time. */
async function inParallel<T>(items: T[], parallel: number, run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: parallel }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
  }));
}

function tesseract(image: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("tesseract", [image, "stdout", "-l", "vie"], { env: { ...process.env, OMP_THREAD_LIMIT: "1" }, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", () => resolve());
  });
}

async function bareSeconds(scans: string[]): Promise<number | null> {
  if (!hasTesseractVie() || spawnSync("pdfimages", ["-v"]).status !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), "vanthu-ocr-bench-"));
  try {
    scans.forEach((scan, i) => spawnSync("pdfimages", ["-png", scan, join(dir, `scan${i}`)]));
    const images = readdirSync(dir).filter((f) => f.endsWith(".png")).map((f) => join(dir, f));
    const start = performance.now();
    await inParallel(images, 2, tesseract);
    return (performance.now() - start) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  const cli = hasTesseractVie() ? await secondsPerPage("tesseract") : null;
  const js = await secondsPerPage("tesseract.js");
  return { file: scan.split("/").pop()!, pages: cli?.pages ?? js?.pages ?? 0, cliSecondsPerPage: cli?.seconds ?? null, tesseractJsSecondsPerPage: js?.seconds ?? null };
}

export async function benchOcr(scansDir: string, singleFile: string): Promise<OcrBench | null> {
  if (!existsSync(scansDir)) return null;
  const scans = readdirSync(scansDir).filter((f) => f.endsWith(".pdf")).sort().map((f) => join(scansDir, f));
  if (!scans.length) return null;
  const pool = createExtractionPool({ size: 2, timeoutMs: 600_000 });
  let pages = 0;
  let readerSeconds: number;
  try {
    // Both workers up before the clock starts: their start-up is not OCR.
    await Promise.all([0, 1].map((i) => pool.extract(Buffer.from(`Số: ${i}/TB-UBND`), { fileName: `warm-up-${i}.txt` })));
    const start = performance.now();
    await inParallel(scans, 2, async (scan) => {
      pages += (await pool.extract(new Uint8Array(readFileSync(scan)), { fileName: scan.split("/").pop()! })).provenance.source.pages;
    });
    readerSeconds = (performance.now() - start) / 1000;
  } finally {
    await pool.close();
  }
  const bare = await bareSeconds(scans);
  const single = await singleScan(join(scansDir, singleFile));
  return {
    files: scans.length,
    pages,
    readerSecondsPerPage: readerSeconds / pages,
    bareSecondsPerPage: bare === null ? null : bare / pages,
    readerVsBare: bare === null ? null : readerSeconds / bare,
    single,
  };
}
