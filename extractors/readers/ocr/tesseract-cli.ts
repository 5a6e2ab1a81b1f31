/**
 * Debian's `tesseract` CLI: one process per page, the page fed on stdin as
 * PGM, TSV read from stdout. OMP_THREAD_LIMIT=1 because pages already run
 * in parallel (one per core, see limit.ts) and tesseract's OpenMP threads
 * only slow each other down then.
 */
import { spawn } from "node:child_process";
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

function runTesseract(image: GrayImage, page: number, options: SessionOptions): Promise<OcrWord[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("tesseract", tesseractArgs(image.dpi), {
      env: { ...process.env, OMP_THREAD_LIMIT: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let err = "";
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(() => reject(timeoutError(page, options)));
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      if (err.length < 4000) err += chunk.toString("utf8");
    });
    child.on("error", (error) => finish(() => reject(ocrFailed(page, `cannot run tesseract (${error.message})`, options))));
    child.on("close", (code, signal) => {
      finish(() => {
        if (code === 0) return resolve(parseTsv(Buffer.concat(out).toString("utf8")));
        const detail = err.trim().split(/\r?\n/).filter(Boolean).pop() ?? `exit ${code ?? signal}`;
        reject(ocrFailed(page, `tesseract: ${detail}`, options));
      });
    });
    // The process may die before it reads all of its input; the exit code tells why.
    child.stdin.on("error", () => undefined);
    child.stdin.end(encodePgm(image));
  });
}
