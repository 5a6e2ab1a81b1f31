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
import { bestModelDir } from "./best-model.ts";
import { ocrFailed, PAGE_SEGMENTATION, timeoutError, type OcrSession, type SessionOptions } from "./session.ts";
import type { RowReader } from "./slots.ts";
import { parseTsv, type OcrWord } from "./tsv.ts";

export function cliSession(options: SessionOptions): OcrSession {
  return {
    engine: "tesseract",
    recognize: (image, page) => ocrLimiter.run(() => runTesseract(tesseractArgs(image.dpi), image, page, options)),
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

/**
 * Reads single rows (psm 7) for the second readings (slots.ts, signer-name.ts)
 * with the npm package's "best" model, as tesseract.js would, but in the CLI:
 * a row read by a process costs a tenth of a second, where starting a
 * tesseract.js worker for a document costs most of one. Null when the model
 * cannot be unpacked for the CLI; the caller then uses tesseract.js.
 */
export async function cliRowReader(options: SessionOptions): Promise<RowReader | null> {
  const dir = await bestModelDir();
  if (!dir) return null;
  return (image) => ocrLimiter.run(() => runTesseract(rowArgs(dir, image.dpi), image, 1, options));
}

function rowArgs(tessdata: string, dpi: number | null): string[] {
  const args = ["stdin", "stdout", "--tessdata-dir", tessdata, "-l", "vie", "--oem", "1", "--psm", "7"];
  if (dpi) args.push("--dpi", String(Math.round(dpi)));
  // The model's directory holds no configs/, so TSV output is asked for by its variable.
  args.push("-c", `debug_file=${devNull}`, "-c", "tessedit_create_tsv=1");
  return args;
}

async function runTesseract(args: string[], image: GrayImage, page: number, options: SessionOptions): Promise<OcrWord[]> {
  const outcome = await runTool("tesseract", args, encodePgm(image), {
    timeoutMs: options.timeoutMs,
    env: { ...process.env, OMP_THREAD_LIMIT: "1" },
  });
  if (outcome.kind === "timeout") throw timeoutError(page, options);
  if (outcome.kind === "spawn_failed") throw ocrFailed(page, `cannot run tesseract (${outcome.message})`, options);
  if (outcome.kind === "exited" && outcome.code === 0) return parseTsv(outcome.stdout.toString("utf8"));
  const detail = outcome.kind === "exited" ? (outcome.stderr.trim().split(/\r?\n/).filter(Boolean).pop() ?? `exit ${outcome.code ?? outcome.signal}`) : outcome.kind;
  throw ocrFailed(page, `tesseract: ${detail}`, options);
}
