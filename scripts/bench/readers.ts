/**
 * The readers alone and the isolation pool: PDF pages/s with each engine
 * (pdf.js, and poppler where pdftotext is installed) next to bare pdftotext on
 * the same files, DOCX docs/s, and extraction through the worker-thread pool
 * against in-process.
 */
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { extract } from "../../extractors/index.ts";
import { readPdf } from "../../extractors/readers/pdf.ts";
import { popplerAvailable, selectPdfEngine, type PdfEngineName } from "../../extractors/readers/pdf/engine.ts";
import { pdftotextArgs } from "../../extractors/readers/pdf/pdftotext.ts";
import { readDocx } from "../../extractors/readers/docx.ts";
import { createExtractionPool, defaultPoolSize } from "../../pipeline/isolation/index.ts";

const bytesOf = (path: string) => new Uint8Array(readFileSync(path));

/** Runs `round` (one pass over a set) until `minMs` has passed, after one warm-up pass; ms per pass. */
export async function timeRounds(round: () => Promise<void>, minMs = 2000): Promise<{ rounds: number; msPerRound: number }> {
  await round();
  let rounds = 0;
  const start = performance.now();
  while (performance.now() - start < minMs || rounds < 2) {
    await round();
    rounds++;
  }
  return { rounds, msPerRound: (performance.now() - start) / rounds };
}

export function pdftotextPath(): string | null {
  const found = spawnSync("which", ["pdftotext"], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

export interface PdfBench {
  files: number;
  pages: number;
  pdfjsPagesPerSecond: number;
  pdfjsMsPerPage: number;
  pdftotextPagesPerSecond: number | null;
  /** pdf.js reader time / pdftotext time on the same files (how many times slower). */
  pdfjsVsPdftotext: number | null;
  /** The engine readPdf uses here by default (VANTHU_PDF_ENGINE, else poppler when installed). */
  defaultEngine: PdfEngineName;
  /** readPdf with the poppler engine (null without pdftotext). */
  popplerPagesPerSecond: number | null;
  popplerMsPerPage: number | null;
  /** Poppler reader time / `pdftotext -layout` time (the target: ≤ 2). */
  popplerVsPdftotext: number | null;
  /** The bare `pdftotext -raw -bbox` run the poppler reader makes (bytes on stdin), without parsing or layout. */
  pdftotextBboxPagesPerSecond: number | null;
}

export async function benchPdf(pdfFiles: string[]): Promise<PdfBench | null> {
  if (!pdfFiles.length) return null;
  const inputs = pdfFiles.map(bytesOf);
  const models = await Promise.all(inputs.map((b, i) => readPdf(b, { fileName: pdfFiles[i], engine: "pdfjs" })));
  const pages = models.reduce((n, m) => n + m.source.pages, 0);
  const reader = await timeRounds(async () => {
    for (const b of inputs) await readPdf(b, { engine: "pdfjs" });
  });
  const hasPoppler = await popplerAvailable();
  const poppler = hasPoppler
    ? await timeRounds(async () => {
        for (const b of inputs) await readPdf(b, { engine: "poppler" });
      })
    : null;
  const pdftotext = pdftotextPath();
  let pdftotextMs: number | null = null;
  let bboxMs: number | null = null;
  if (pdftotext) {
    pdftotextMs = timeSync(() => {
      for (const f of pdfFiles) spawnSync(pdftotext, ["-layout", "-enc", "UTF-8", f, "-"], { stdio: ["ignore", "ignore", "ignore"] });
    });
    bboxMs = timeSync(() => {
      for (const b of inputs) spawnSync(pdftotext, pdftotextArgs(), { input: b, stdio: ["pipe", "ignore", "ignore"] });
    });
  }
  return {
    files: inputs.length,
    pages,
    pdfjsPagesPerSecond: (pages / reader.msPerRound) * 1000,
    pdfjsMsPerPage: reader.msPerRound / pages,
    pdftotextPagesPerSecond: pdftotextMs === null ? null : (pages / pdftotextMs) * 1000,
    pdfjsVsPdftotext: pdftotextMs === null ? null : reader.msPerRound / pdftotextMs,
    defaultEngine: await selectPdfEngine(),
    popplerPagesPerSecond: poppler ? (pages / poppler.msPerRound) * 1000 : null,
    popplerMsPerPage: poppler ? poppler.msPerRound / pages : null,
    popplerVsPdftotext: poppler && pdftotextMs !== null ? poppler.msPerRound / pdftotextMs : null,
    pdftotextBboxPagesPerSecond: bboxMs === null ? null : (pages / bboxMs) * 1000,
  };
}

/** Like timeRounds, for a synchronous round (one warm-up, then at least 1.5 s); ms per round. */
function timeSync(round: () => void): number {
  round();
  let rounds = 0;
  const start = performance.now();
  while (performance.now() - start < 1500 || rounds < 2) {
    round();
    rounds++;
  }
  return (performance.now() - start) / rounds;
}

export interface DocxBench {
  files: number;
  docsPerSecond: number;
  msPerDoc: number;
}

export async function benchDocx(docxFiles: string[]): Promise<DocxBench | null> {
  if (!docxFiles.length) return null;
  const inputs = docxFiles.map(bytesOf);
  const t = await timeRounds(async () => {
    for (const b of inputs) await readDocx(b);
  });
  return { files: inputs.length, docsPerSecond: (inputs.length / t.msPerRound) * 1000, msPerDoc: t.msPerRound / inputs.length };
}

export interface PoolBench {
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

export async function benchPool(paths: string[]): Promise<PoolBench> {
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

