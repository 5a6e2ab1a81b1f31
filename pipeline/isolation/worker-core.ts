/**
 * The inside of an extraction worker: the message loop, the memory watch and
 * the extraction job itself. worker.ts serves `extractionJob`; a test entry
 * can serve its own handler through `serveJobs` with the same plumbing.
 */
import { parentPort, workerData } from "node:worker_threads";
import { extract, isReadError, type ExtractOptions } from "../../extractors/index.ts";
import { detectFormat } from "../../extractors/readers/detect.ts";
import type { Extraction } from "../../schemas/extraction.ts";
import { checkImageSize } from "../../extractors/readers/ocr/image-size.ts";
import { checkPdfInflation } from "./pdf-inflate-check.ts";
import { useOcrLimiter } from "../../extractors/readers/ocr/limit.ts";
import { RemoteOcrSlots } from "./ocr-slots.ts";
import { MEMORY_EXIT_CODE, toWire, type JobMessage, type ParentMessage, type WorkerLimits, type WorkerMessage } from "./protocol.ts";

export interface JobContext {
  limits: WorkerLimits;
  /** Tells the pool the job will OCR `pages` pages, so its deadline grows by the per-page allowance. */
  reportOcrPages(pages: number): void;
}

export type JobHandler = (job: JobMessage, context: JobContext) => Promise<Extraction>;

/** How often the worker looks at its own memory while a job runs. */
const MEMORY_CHECK_MS = 50;

/**
 * Serves jobs from the pool, one at a time, until the pool terminates the
 * worker. The heap is capped by V8 (resourceLimits); memory outside it
 * (ArrayBuffers: decoded streams, inflated parts) is watched here, between
 * turns of the event loop, and a job past the cap ends the worker.
 */
export function serveJobs(handler: JobHandler): void {
  const port = parentPort;
  if (!port) throw new Error("an extraction worker must run in a worker thread");
  const limits = workerData as WorkerLimits;
  const post = (message: WorkerMessage) => port.postMessage(message);
  const capBytes = limits.memoryMb * 1024 * 1024;
  // OCR processes take their slots from the pool, which shares them among all its threads.
  const ocrSlots = new RemoteOcrSlots(post);
  useOcrLimiter(ocrSlots);

  port.on("message", (message: ParentMessage) => {
    if (message?.type === "ocr-slot-granted") return ocrSlots.granted(message.ticket);
    if (message?.type !== "job") return;
    const job: JobMessage = message;
    const watch = setInterval(() => {
      const { heapUsed, external } = process.memoryUsage();
      if (heapUsed + external > capBytes) {
        post({ type: "memory", id: job.id, usedMb: Math.round((heapUsed + external) / 1024 / 1024) });
        process.exit(MEMORY_EXIT_CODE);
      }
    }, MEMORY_CHECK_MS);
    const context: JobContext = {
      limits,
      reportOcrPages: (pages) => post({ type: "ocr-pages", id: job.id, pages }),
    };
    handler(job, context).then(
      (extraction) => post({ type: "result", id: job.id, extraction }),
      (error: unknown) => {
        // Readers do not always know the file name (detection, decoding): name the file here.
        const named = isReadError(error) && job.fileName ? error.withFileName(job.fileName) : error;
        post({ type: "error", id: job.id, error: toWire(named) });
      },
    ).finally(() => clearInterval(watch));
  });
  post({ type: "ready" });
}

/** Extra options the worker passes to `extract`; readers that know them use them (the OCR reader). */
export interface IsolatedExtractOptions extends ExtractOptions {
  /** Called by the OCR path with the number of pages it is about to recognise. */
  onOcrPages?: (pages: number) => void;
}

/** The real job: the PDF and image bomb checks, the OCR allowance for images, then `extract`. */
export const extractionJob: JobHandler = async (job, context) => {
  const { bytes, fileName } = job;
  let format: string | null = null;
  try {
    format = detectFormat(bytes).format;
  } catch {
    // empty_file and the like: extract names them.
  }
  if (format === "pdf" && context.limits.pdfStreamLimitBytes > 0) {
    await checkPdfInflation(bytes, { streamBytes: context.limits.pdfStreamLimitBytes, totalBytes: context.limits.pdfTotalLimitBytes }, fileName);
  }
  if (format === "png" || format === "jpeg" || format === "tiff") {
    if (context.limits.imagePixelLimit > 0) checkImageSize(bytes, format, context.limits.imagePixelLimit, fileName);
    context.reportOcrPages(imagePages(bytes, format));
  }
  const options: IsolatedExtractOptions = { onOcrPages: (pages) => context.reportOcrPages(pages) };
  if (fileName !== undefined) options.fileName = fileName;
  return extract(bytes, options);
};

/** Pages of an image file: 1, or the number of IFDs of a (multi-page) TIFF, at most 300. */
export function imagePages(bytes: Uint8Array, format: string): number {
  if (format !== "tiff" || bytes.length < 8) return 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 0x49;
  const seen = new Set<number>();
  let offset = view.getUint32(4, little);
  let pages = 0;
  while (offset > 0 && offset + 2 <= bytes.length && !seen.has(offset) && pages < 300) {
    seen.add(offset);
    pages++;
    const entries = view.getUint16(offset, little);
    const next = offset + 2 + entries * 12;
    offset = next + 4 <= bytes.length ? view.getUint32(next, little) : 0;
  }
  return Math.max(1, pages);
}
