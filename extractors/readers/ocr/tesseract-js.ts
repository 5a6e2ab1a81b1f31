/**
 * tesseract.js: the same engine compiled to WebAssembly, in worker threads.
 * Used when the tesseract CLI is not installed, so OCR works from `npm ci`.
 *
 * The Vietnamese model comes from the npm package `@tesseract.js-data/vie`
 * (gzipped, as the package ships it). `langPath` must point at it: left
 * unset, tesseract.js fetches the model from a CDN and, offline, waits
 * forever. `cacheMethod: "none"` keeps it from writing a copy into the
 * working directory. Workers live for one document and are ended with it,
 * so a finished run leaves no thread that keeps Node alive.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { devNull } from "node:os";
import { dirname, join } from "node:path";
import { encodePgm, type GrayImage } from "./image.ts";
import { ocrLimiter } from "./limit.ts";
import { ocrFailed, PAGE_SEGMENTATION, timeoutError, type OcrSession, type SessionOptions } from "./session.ts";
import { parseTsv, type OcrWord } from "./tsv.ts";

type TesseractJs = typeof import("tesseract.js");
type Worker = Awaited<ReturnType<TesseractJs["createWorker"]>>;

/**
 * The model directory inside the package: the LSTM-only "best_int" model
 * (1.4 MB), which the LSTM engine reads as well as the bigger legacy+LSTM
 * file (same words on the shared scans) and loads faster.
 */
export function vieLangPath(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve("@tesseract.js-data/vie/package.json"));
  for (const dir of ["4.0.0_best_int", "4.0.0"]) {
    if (existsSync(join(pkg, dir, "vie.traineddata.gz"))) return join(pkg, dir);
  }
  throw new Error(`no vie.traineddata.gz in ${pkg}`);
}

let tesseractModule: Promise<TesseractJs> | null = null;
const loadTesseract = () => (tesseractModule ??= import("tesseract.js").then((m) => ((m as { default?: TesseractJs }).default ?? m) as TesseractJs));

export async function createVieWorker(log?: (message: string) => void, psm = PAGE_SEGMENTATION): Promise<Worker> {
  const tesseract = await loadTesseract();
  const worker = await tesseract.createWorker("vie", tesseract.OEM.LSTM_ONLY, {
    langPath: vieLangPath(),
    cacheMethod: "none",
    gzip: true,
    logger: log ? (m) => log(`${m.status} ${Math.round(m.progress * 100)}%`) : () => undefined,
    // Failures reject the job's promise; without a handler tesseract.js would also throw them uncaught.
    errorHandler: () => undefined,
  });
  await worker.setParameters({ tessedit_pageseg_mode: String(psm) as never, debug_file: devNull });
  return worker;
}

export function wasmSession(options: SessionOptions): OcrSession {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  let closed = false;
  const end = (worker: Worker) => {
    all.delete(worker);
    return worker.terminate().catch(() => undefined);
  };
  const recognize = async (image: GrayImage, page: number): Promise<OcrWord[]> => {
    let worker: Worker | undefined;
    let timer: NodeJS.Timeout | undefined;
    let expired = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        expired = true;
        reject(timeoutError(page, options));
      }, options.timeoutMs);
    });
    try {
      const work = (async () => {
        worker = idle.pop() ?? (await createVieWorker());
        all.add(worker);
        if (expired) throw timeoutError(page, options);
        await worker.setParameters({ user_defined_dpi: image.dpi ? String(Math.round(image.dpi)) : "0" });
        const result = await worker.recognize(encodePgm(image), {}, { tsv: true, text: false, blocks: false, hocr: false });
        return parseTsv(result.data.tsv ?? "");
      })();
      // The loser of the race below must not become an unhandled rejection.
      work.catch(() => (worker && expired ? end(worker) : undefined));
      const words = await Promise.race([work, timeout]);
      if (closed) void end(worker!);
      else idle.push(worker!);
      return words;
    } catch (error) {
      // A timed-out or failed worker may be stuck mid-page: end it rather than reuse it.
      if (worker) void end(worker);
      if (error instanceof Error && error.name === "ReadError") throw error;
      throw ocrFailed(page, `tesseract.js: ${error instanceof Error ? error.message : String(error)}`, options);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    engine: "tesseract.js",
    recognize: (image, page) => ocrLimiter.run(() => recognize(image, page)),
    async close() {
      closed = true;
      idle.length = 0;
      await Promise.all([...all].map(end));
    },
  };
}

/**
 * Reads single rows (psm 7: one text line) with the npm model, for the
 * second readings (slots.ts, signer-name.ts) when the CLI cannot do them
 * (tesseract-cli.ts). One worker, made on first use and ended by `close`.
 */
export function wasmRowReader(options: SessionOptions): { read: (image: GrayImage) => Promise<OcrWord[]>; close(): Promise<void> } {
  let worker: Promise<Worker> | null = null;
  const read = (image: GrayImage) =>
    ocrLimiter.run(async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timeoutError(1, options)), options.timeoutMs);
      });
      try {
        const work = (async () => {
          const w = await (worker ??= createVieWorker(undefined, 7));
          await w.setParameters({ user_defined_dpi: image.dpi ? String(Math.round(image.dpi)) : "0" });
          const result = await w.recognize(encodePgm(image), {}, { tsv: true, text: false, blocks: false, hocr: false });
          return parseTsv(result.data.tsv ?? "");
        })();
        work.catch(() => undefined);
        return await Promise.race([work, timeout]);
      } finally {
        clearTimeout(timer);
      }
    });
  return {
    read,
    async close() {
      const w = worker;
      worker = null;
      if (w) await (await w.catch(() => null))?.terminate().catch(() => undefined);
    },
  };
}
