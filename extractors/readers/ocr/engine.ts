/**
 * Which OCR engine reads the pages. Debian's `tesseract` CLI with the
 * Vietnamese model (`tesseract-ocr-vie`) when it is installed: it is about
 * twice as fast as tesseract.js on the same page. Otherwise tesseract.js (the
 * same engine in WebAssembly) with the model shipped in the npm package
 * `@tesseract.js-data/vie`, so `npm ci` alone gives a working OCR.
 * VANTHU_OCR_ENGINE=tesseract|tesseract.js forces one (tests, comparisons).
 */
import { execFile } from "node:child_process";
import { ReadError } from "../../errors.ts";
import type { EngineName, OcrSession, SessionOptions } from "./session.ts";
import { cliSession } from "./tesseract-cli.ts";
import { wasmSession } from "./tesseract-js.ts";

export type { EngineName, OcrSession } from "./session.ts";

let cliCheck: Promise<boolean> | null = null;

/** Whether `tesseract` is on PATH with the Vietnamese model; asked once per process. */
export function cliAvailable(): Promise<boolean> {
  return (cliCheck ??= new Promise((resolve) => {
    execFile("tesseract", ["--list-langs"], { timeout: 10_000 }, (error, stdout) => {
      if (error) return resolve(false);
      resolve(stdout.split(/\r?\n/).some((l) => l.trim() === "vie"));
    });
  }));
}

/** The engine to use: forced by argument or VANTHU_OCR_ENGINE, else the CLI when `hasCli` says it is there. */
export async function selectEngine(preferred?: EngineName, hasCli: () => Promise<boolean> = cliAvailable): Promise<EngineName> {
  const forced = preferred ?? parseEngine(process.env.VANTHU_OCR_ENGINE);
  if (forced === "tesseract.js") return forced;
  if (await hasCli()) return "tesseract";
  if (forced === "tesseract") throw new ReadError("ocr_failed", "the tesseract CLI with Vietnamese data (tesseract-ocr-vie) is not installed");
  return "tesseract.js";
}

function parseEngine(value: string | undefined): EngineName | undefined {
  return value === "tesseract" || value === "tesseract.js" ? value : undefined;
}

export async function openSession(options: SessionOptions): Promise<OcrSession> {
  const engine = await selectEngine(options.engine);
  return engine === "tesseract" ? cliSession(options) : wasmSession(options);
}
