/**
 * Running poppler's `pdftotext` on a PDF's bytes. The bytes go in on stdin and
 * the words come back on stdout, so no path a person chose ever reaches a
 * command line. `-raw` keeps the words in content-stream order: the page's
 * own text first, then the text of its annotation appearances (drawn after
 * the page), which is how appearance-words.ts tells a stamped value from the
 * letter.
 * `-bbox` gives each word with its box.
 *
 * The process is bounded three ways: a wall-clock timer here, an output cap,
 * and `ulimit` on CPU time and address space, which still hold if the thread
 * that started it is terminated (the extraction pool ends a worker at its
 * deadline without waiting for its children).
 */
import { runTool } from "../run-tool.ts";

/** Every way a run can fail; poppler.ts decides which of them pdf.js gets to retry. */
export type PdftotextFailure =
  /** Poppler needs a password it was not given ("Incorrect password"). */
  | "password"
  /** Poppler could not open the file, or read it only by repairing damage (it printed a syntax error). */
  | "damaged"
  /** Any other non-zero exit (3: copying not permitted; 99: no pages to read). */
  | "failed"
  | "timeout"
  | "output_too_large"
  /** pdftotext could not be started at all. */
  | "spawn";

export class PdftotextError extends Error {
  constructor(
    readonly failure: PdftotextFailure,
    detail: string,
  ) {
    super(`pdftotext: ${detail}`);
    this.name = "PdftotextError";
  }
}

export interface PdftotextLimits {
  /** Wall clock. */
  timeoutMs: number;
  /** Bytes of XHTML at most; a letter of 300 dense pages makes ~20 MB. */
  maxOutputBytes: number;
  /** Pages read at most (`-l`): one more than a letter may have tells a file with too many. */
  lastPage: number;
}

export const DEFAULT_PDFTOTEXT_LIMITS: PdftotextLimits = {
  timeoutMs: 20_000,
  maxOutputBytes: 64 * 1024 * 1024,
  lastPage: Infinity,
};

/** CPU seconds and address space (KiB) of the child, enforced by the kernel. */
const CPU_SECONDS = 30;
const ADDRESS_SPACE_KIB = 2 * 1024 * 1024;

/** The arguments of one run (exported so the benchmark runs exactly what the reader runs). */
export function pdftotextArgs(lastPage = Infinity): string[] {
  // Not -nodiag: in poppler 22.12 it also drops the first word drawn after diagonal text
  // ("UY BAN NHÂN DÂN" after a watermark lost "UY"); poppler-items.ts leaves diagonal text out.
  const args = ["-raw", "-bbox", "-enc", "UTF-8"];
  if (Number.isFinite(lastPage)) args.push("-l", String(lastPage));
  return [...args, "-", "-"];
}

/** The XHTML of `pdftotext -raw -bbox` for these bytes. Rejects with a PdftotextError. */
export function runPdftotext(bytes: Uint8Array, limits: PdftotextLimits = DEFAULT_PDFTOTEXT_LIMITS): Promise<string> {
  return runPoppler("pdftotext", pdftotextArgs(limits.lastPage), bytes, limits);
}

/** The page count poppler reads for these bytes (`pdfinfo`), or null when it cannot tell. */
export async function popplerPageCount(bytes: Uint8Array, limits: PdftotextLimits = DEFAULT_PDFTOTEXT_LIMITS): Promise<number | null> {
  try {
    const info = await runPoppler("pdfinfo", ["-"], bytes, limits);
    const m = /^Pages:\s*(\d+)/m.exec(info);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * What poppler prints when it meets damage. Its run is then over as far as vanthu is
 * concerned (the file goes to pdf.js, below), so the process is stopped at the first
 * such line: reading some damaged files from stdin, poppler prints errors at offsets
 * far past the end of the input and does not stop (a fuzzed PDF, 0.02 s from a path,
 * ran into the 20 s limit from stdin).
 */
const DAMAGE = /^(?:Syntax|Internal) Error/m;

async function runPoppler(tool: string, args: string[], bytes: Uint8Array, limits: PdftotextLimits): Promise<string> {
  // A fixed script; the tool and its arguments are passed as positional parameters, never parsed by the shell.
  const script = `ulimit -t ${CPU_SECONDS} 2>/dev/null; ulimit -v ${ADDRESS_SPACE_KIB} 2>/dev/null; exec "$@"`;
  const outcome = await runTool("/bin/sh", ["-c", script, "sh", tool, ...args], bytes, {
    timeoutMs: limits.timeoutMs,
    maxOutputBytes: limits.maxOutputBytes,
    stopOnStderr: DAMAGE,
  });
  switch (outcome.kind) {
    case "timeout":
      throw new PdftotextError("timeout", `took longer than ${Math.round(limits.timeoutMs / 1000)} s`);
    case "output_too_large":
      throw new PdftotextError("output_too_large", `more than ${Math.round(limits.maxOutputBytes / 1024 / 1024)} MB of text`);
    case "spawn_failed":
      throw new PdftotextError("spawn", `cannot run ${tool} (${outcome.message})`);
  }
  const { code, signal, stderr: err } = outcome;
  const messages = err.split(/\r?\n/).filter((l) => l.trim() && l.trim() !== "no word list");
  const detail = messages.slice(-3).join("; ") || `exit ${code ?? signal}`;
  if (/Incorrect password/i.test(err)) throw new PdftotextError("password", detail);
  // An error poppler recovered from still means the file is damaged: pdf.js, the
  // reference engine, decides whether it can be read, so the outcome does not hang on
  // which engine is installed.
  if (DAMAGE.test(err)) throw new PdftotextError("damaged", detail);
  if (code === 1) throw new PdftotextError("damaged", detail);
  // Our own kill is reported as a timeout above; a kill seen here is the kernel enforcing the CPU limit.
  if (signal === "SIGXCPU" || signal === "SIGKILL") throw new PdftotextError("timeout", `stopped at its limit of ${CPU_SECONDS} s of CPU`);
  if (code !== 0) throw new PdftotextError("failed", detail);
  return outcome.stdout.toString("utf8");
}
