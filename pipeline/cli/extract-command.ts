import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Extraction } from "../../schemas/extraction.ts";
import { createExtractionPool, defaultPoolSize, type ExtractionPool } from "../isolation/index.ts";
import {
  describeExtractFailure,
  describeReadFailure,
  describeUnexpected,
  describeWriteFailure,
  failureLine,
  type FileFailure,
} from "./failure.ts";
import { formatTable } from "./format-table.ts";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CommandIO } from "./io.ts";
import type { Progress, ProgressFactory } from "./progress.ts";

export const OUTPUT_FORMATS = ["json", "table"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The options of `vanthu extract`, as commander parses them. */
export interface ExtractCommandOptions {
  out?: string;
  format?: string;
}

export interface ExtractCommandIO extends CommandIO {
  /** Makes the progress display; used only for more than one file. Absent: no progress (not a TTY). */
  progress?: ProgressFactory;
  /** Print the stack of internal errors (VANTHU_DEBUG). */
  debug?: boolean;
  /**
   * Where files are extracted: a pool of isolated workers. Absent: the command
   * makes one (up to one worker per core) and closes it at the end; a given
   * pool is left open.
   */
  pool?: ExtractionPool;
}

/** The output file name for an input: its base name without directories or the last extension. */
export function outputStem(file: string): string {
  const base = path.basename(file);
  const ext = path.extname(base);
  const stem = ext ? base.slice(0, -ext.length) : base;
  return stem === "" ? base : stem;
}

/** Two stems that would be the same file on a case-insensitive or normalising file system (macOS, Windows). */
const collisionKey = (stem: string): string => stem.normalize("NFC").toLowerCase();

type Outcome = { ok: true; extraction: Extraction } | { ok: false; failure: FileFailure };

/** Reads the file and extracts it in the pool's workers (never rejects). */
async function extractFile(file: string, pool: ExtractionPool): Promise<Outcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { ok: false, failure: describeReadFailure(error) };
  }
  try {
    return { ok: true, extraction: await pool.extract(bytes, { fileName: path.basename(file) }) };
  } catch (error) {
    return { ok: false, failure: describeExtractFailure(error) };
  }
}

/** Writes via a temporary file and a rename, so an interrupted run never leaves half a JSON file. */
async function writeJsonAtomically(target: string, value: unknown): Promise<void> {
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, "utf8");
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * `vanthu extract <files...>`: extracts each file in an isolated worker (see
 * pipeline/isolation/), several at once when there are cores for it, and
 * reports them in the order given; a file that fails is reported on stderr
 * (one line) and the batch goes on. Returns the exit code: 0 when every file
 * was extracted, 1 when any failed, 2 on bad options.
 */
export async function runExtract(files: string[], options: ExtractCommandOptions, io: ExtractCommandIO): Promise<number> {
  const format = options.format ?? "json";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    io.stderr(`vanthu: unknown format ${JSON.stringify(format)}; use one of: ${OUTPUT_FORMATS.join(", ")}\n`);
    return EXIT_USAGE;
  }
  if (files.length === 0) {
    io.stderr("vanthu: no files given\n");
    return EXIT_USAGE;
  }
  const outDir = options.out;
  if (outDir !== undefined) {
    try {
      await mkdir(outDir, { recursive: true });
    } catch (error) {
      io.stderr(`vanthu: cannot create the output directory ${outDir}: ${describeWriteFailure(outDir, error).reason}\n`);
      return EXIT_FAILED;
    }
  }

  const batch = files.length > 1;
  const progress: Progress | undefined = batch && io.progress ? io.progress(files.length) : undefined;
  const stdout = (text: string): void => {
    progress?.clear();
    io.stdout(text);
  };
  const report = (file: string, failure: FileFailure): void => {
    let line = failureLine(file, failure);
    if (io.debug && failure.stack) line += `${failure.stack}\n`;
    if (progress) progress.log(line);
    else io.stderr(line);
  };

  /** Output stem (collision key) -> the input that wrote it in this run. */
  const written = new Map<string, string>();
  let extracted = 0;
  let failed = 0;

  const pool = io.pool ?? createExtractionPool({ size: Math.min(defaultPoolSize(), files.length) });
  // Files are extracted ahead of the one being reported, as many as the pool runs at once. A file
  // whose output name an earlier input also has is left to its turn: it may turn out a duplicate.
  const ahead = new Map<number, Promise<Outcome>>();
  const keys = files.map((file) => collisionKey(outputStem(file)));
  const mayRunAhead = (i: number) => outDir === undefined || keys.indexOf(keys[i]!) === i;
  const outcomeOf = (i: number): Promise<Outcome> => {
    const window = Math.min(files.length, i + pool.options.size);
    for (let k = i + 1; k < window; k++) {
      if (!ahead.has(k) && mayRunAhead(k)) ahead.set(k, extractFile(files[k]!, pool));
    }
    const outcome = ahead.get(i) ?? extractFile(files[i]!, pool);
    ahead.delete(i);
    return outcome;
  };

  try {
    for (const [index, file] of files.entries()) {
      progress?.working(file);
      const stem = outputStem(file);
      try {
        const earlier = outDir !== undefined ? written.get(collisionKey(stem)) : undefined;
        if (earlier !== undefined) {
          failed++;
          report(file, {
            stage: "write",
            code: "duplicate_output",
            reason: `${stem}.json is already written from ${earlier} in this run; rename one of them or extract them separately`,
          });
          continue;
        }
        const outcome = await outcomeOf(index);
        if (!outcome.ok) {
          failed++;
          report(file, outcome.failure);
          continue;
        }
        if (outDir !== undefined) {
          const target = path.join(outDir, `${stem}.json`);
          try {
            await writeJsonAtomically(target, outcome.extraction);
          } catch (error) {
            failed++;
            report(file, describeWriteFailure(target, error));
            continue;
          }
          written.set(collisionKey(stem), file);
        }
        if (format === "table") stdout(`${extracted > 0 ? "\n" : ""}${formatTable(file, outcome.extraction)}`);
        else if (outDir === undefined && batch) stdout(`${JSON.stringify({ file, extraction: outcome.extraction })}\n`);
        else if (outDir === undefined) stdout(`${JSON.stringify(outcome.extraction, null, 2)}\n`);
        extracted++;
      } catch (error) {
        failed++;
        report(file, describeUnexpected(error));
      } finally {
        progress?.finished();
      }
    }
  } finally {
    progress?.stop();
    if (!io.pool) await pool.close();
  }

  if (batch) io.stderr(`${extracted} extracted, ${failed} failed\n`);
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}
