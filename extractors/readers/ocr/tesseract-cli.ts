/**
 * Debian's `tesseract` CLI: one process per page, the page fed on stdin as
 * PGM, TSV read from stdout. OMP_THREAD_LIMIT=1 because pages already run
 * in parallel (one per core, see limit.ts) and tesseract's OpenMP threads
 * only slow each other down then.
 */
import { runTool } from "../run-tool.ts";
import { devNull } from "node:os";
import { encodePgm, type GrayImage } from "./image.ts";
import { ocrLimiter } from "./limit.ts";
import { ocrFailed, PAGE_SEGMENTATION, timeoutError, type OcrSession, type SessionOptions } from "./session.ts";
import { parseTsv, type OcrWord } from "./tsv.ts";

export function cliSession(options: SessionOptions): OcrSession {
  return {
    engine: "tesseract",
    recognize: (image, page) => ocrLimiter.run(() => runTesseract(image, page, options)),
    close: async () => undefined,
  };
}

/** The arguments for one page (exported so tests and benchmarks run exactly what the reader runs). */
export function tesseractArgs(dpi: number | null): string[] {
  const args = ["stdin", "stdout", "-l", "vie", "--psm", String(PAGE_SEGMENTATION)];
  if (dpi) args.push("--dpi", String(Math.round(dpi)));
  // Diagnostics ("Detected 138 diacritics") go to the debug file, not into our output.
  args.push("-c", `debug_file=${devNull}`, "tsv");
  return args;
}

async function runTesseract(image: GrayImage, page: number, options: SessionOptions): Promise<OcrWord[]> {
  const outcome = await runTool("tesseract", tesseractArgs(image.dpi), encodePgm(image), {
    timeoutMs: options.timeoutMs,
    env: { ...process.env, OMP_THREAD_LIMIT: "1" },
  });
  if (outcome.kind === "timeout") throw timeoutError(page, options);
  if (outcome.kind === "spawn_failed") throw ocrFailed(page, `cannot run tesseract (${outcome.message})`, options);
  if (outcome.kind === "exited" && outcome.code === 0) return parseTsv(outcome.stdout.toString("utf8"));
  const detail = outcome.kind === "exited" ? (outcome.stderr.trim().split(/\r?\n/).filter(Boolean).pop() ?? `exit ${outcome.code ?? outcome.signal}`) : outcome.kind;
  throw ocrFailed(page, `tesseract: ${detail}`, options);
}
