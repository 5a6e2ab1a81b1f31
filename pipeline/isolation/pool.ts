/**
 * Isolated extraction: every parse runs in a worker thread with a memory cap
 * and a wall-clock deadline, so a hostile or pathological file costs one
 * worker, never the process that asked for it.
 *
 *   const pool = createExtractionPool();
 *   const extraction = await pool.extract(bytes, { fileName: "cv.pdf" });
 *   await pool.close();
 *
 * - Size: a file over `maxBytes` is refused (`too_large`) before it is copied
 *   to a worker or parsed at all.
 * - Time: a job gets `timeoutMs`; a job that reports OCR pages gets
 *   `ocrPageTimeoutMs` more per page (the OCR reader bounds each page itself;
 *   this bounds the whole job). Past its deadline the worker is terminated and
 *   the job fails with `timeout`.
 * - Memory: the worker's V8 heap is capped by `resourceLimits`; the memory V8
 *   does not count (ArrayBuffers) is watched by the worker itself (see
 *   worker-core.ts), and a PDF's compressed streams are measured before
 *   pdf.js inflates them (pdf-inflate-check.ts). A worker over the cap fails
 *   its job with `too_large` ("needs more than N MB to read").
 * - Workers are started lazily, up to `size`, reused from file to file, and
 *   replaced after one is terminated or dies.
 * - OCR: the workers share `ocrSlots` tesseract processes at once (one per
 *   core), handed out by this thread (ocr-slots.ts).
 *
 * Errors come back as data and are rebuilt: a ReadError keeps its code and
 * message; anything else is a plain Error (the CLI's internal_error).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { ReadError } from "../../extractors/errors.ts";
import { DEFAULT_IMAGE_PIXEL_LIMIT } from "../../extractors/readers/ocr/image-size.ts";
import type { ExtractOptions } from "../../extractors/extract.ts";
import type { Extraction } from "../../schemas/extraction.ts";
import { OCR_SLOTS } from "../../extractors/readers/ocr/limit.ts";
import { OcrSlotBroker } from "./ocr-slots.ts";
import { MEMORY_EXIT_CODE, fromWire, type JobMessage, type OcrSlotGranted, type WorkerLimits, type WorkerMessage } from "./protocol.ts";

export interface ExtractionPoolOptions {
  /** Worker threads at most (started on demand). Default: the number of cores, at least 2. */
  size?: number;
  /** Wall-clock limit of one job, in ms. Default 60 s. */
  timeoutMs?: number;
  /** Added to a job's limit for each page it OCRs, in ms. Default 60 s. */
  ocrPageTimeoutMs?: number;
  /** Memory cap of one job (V8 heap, and heap + ArrayBuffers), in MB. Default 1024. */
  memoryMb?: number;
  /** Largest file accepted, in bytes. Default 50 MB. */
  maxBytes?: number;
  /** Largest size one compressed PDF stream may inflate to, in bytes; 0 turns the check off. Default 128 MB. */
  pdfStreamLimitBytes?: number;
  /** Largest total all compressed streams of a PDF may inflate to, in bytes. Default 1 GB. */
  pdfTotalLimitBytes?: number;
  /** Most pixels an image file's page may declare before it is refused unread; 0 turns the check off. Default 100 megapixels. */
  imagePixelLimit?: number;
  /** OCR processes at once across all the pool's workers. Default: one per core. */
  ocrSlots?: number;
  /** The worker's entry module (tests use a fault-injecting one). Default: ./worker.ts. */
  workerEntry?: URL;
}

export interface ExtractionPoolStats {
  /** Workers alive now (starting or ready). */
  workers: number;
  /** Workers started since the pool was made: more than `size` means some were replaced. */
  started: number;
  /** Jobs running and waiting. */
  running: number;
  queued: number;
}

export interface ExtractionPool {
  /** Reads and extracts one file's bytes in a worker. Rejects with a ReadError for a bad file. */
  extract(bytes: Uint8Array, options?: ExtractOptions): Promise<Extraction>;
  /** Stops every worker; jobs still waiting are rejected. */
  close(): Promise<void>;
  stats(): ExtractionPoolStats;
  readonly options: Readonly<Required<Omit<ExtractionPoolOptions, "workerEntry">>>;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_OCR_PAGE_TIMEOUT_MS = 60_000;
export const DEFAULT_MEMORY_MB = 1024;
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_PDF_STREAM_LIMIT_BYTES = 128 * 1024 * 1024;
export const DEFAULT_PDF_TOTAL_LIMIT_BYTES = 1024 * 1024 * 1024;
export { DEFAULT_IMAGE_PIXEL_LIMIT };
const YOUNG_GENERATION_MB = 16;
/** A worker that has not started in this long is given up (tsx + the extractor load in about 0.5 s). */
const START_TIMEOUT_MS = 30_000;

export function defaultPoolSize(): number {
  return Math.max(2, availableParallelism());
}

const BOOTSTRAP = new URL("./bootstrap.mjs", import.meta.url);
const WORKER_ENTRY = new URL("./worker.ts", import.meta.url);

interface Job {
  id: number;
  bytes: Uint8Array;
  fileName: string | undefined;
  resolve(extraction: Extraction): void;
  reject(error: Error): void;
  startedAt: number;
  timer: NodeJS.Timeout | undefined;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  /** Set once the slot is given up: later events from its worker are ignored. */
  gone: boolean;
  startTimer: NodeJS.Timeout | undefined;
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

export function createExtractionPool(options: ExtractionPoolOptions = {}): ExtractionPool {
  const settings = {
    size: Math.max(1, Math.floor(options.size ?? defaultPoolSize())),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ocrPageTimeoutMs: options.ocrPageTimeoutMs ?? DEFAULT_OCR_PAGE_TIMEOUT_MS,
    memoryMb: options.memoryMb ?? DEFAULT_MEMORY_MB,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    pdfStreamLimitBytes: options.pdfStreamLimitBytes ?? DEFAULT_PDF_STREAM_LIMIT_BYTES,
    pdfTotalLimitBytes: options.pdfTotalLimitBytes ?? DEFAULT_PDF_TOTAL_LIMIT_BYTES,
    imagePixelLimit: options.imagePixelLimit ?? DEFAULT_IMAGE_PIXEL_LIMIT,
    ocrSlots: Math.max(1, Math.floor(options.ocrSlots ?? OCR_SLOTS)),
  };
  const limits: WorkerLimits = {
    entry: (options.workerEntry ?? WORKER_ENTRY).href,
    memoryMb: settings.memoryMb,
    pdfStreamLimitBytes: settings.pdfStreamLimitBytes,
    pdfTotalLimitBytes: settings.pdfTotalLimitBytes,
    imagePixelLimit: settings.imagePixelLimit,
  };
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextId = 1;
  let started = 0;
  let closed = false;
  const ocrSlots = new OcrSlotBroker<Slot>(settings.ocrSlots, (slot, ticket) => {
    if (!slot.gone) slot.worker.postMessage({ type: "ocr-slot-granted", ticket } satisfies OcrSlotGranted);
  });

  const tooLarge = (job: Job) => new ReadError("too_large", `needs more than ${settings.memoryMb} MB to read`, job.fileName);

  function spawn(): void {
    started++;
    const worker = new Worker(BOOTSTRAP, {
      workerData: limits,
      resourceLimits: {
        maxOldGenerationSizeMb: settings.memoryMb,
        // The young generation is scratch for short-lived objects; its size is resident whatever the
        // cap. Measured on the shared PDFs: 16 MB rather than 32-64 keeps a worker ~20-50 MB smaller
        // for a few per cent of speed.
        maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
      },
      // The worker's stdout/stderr go to the parent's (pdf.js may warn); stdin is never read.
      stdin: false,
    });
    const slot: Slot = { worker, ready: false, job: null, gone: false, startTimer: undefined };
    slot.startTimer = setTimeout(() => {
      if (!slot.ready) giveUp(slot, new Error(`an extraction worker did not start within ${seconds(START_TIMEOUT_MS)}`), true);
    }, START_TIMEOUT_MS);
    slots.add(slot);
    worker.on("message", (message: WorkerMessage) => onMessage(slot, message));
    worker.on("error", (error: Error & { code?: string }) => {
      if (slot.gone) return;
      const job = slot.job;
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY" && job) giveUp(slot, tooLarge(job), false);
      else giveUp(slot, new Error(`the extraction worker failed: ${error.message}`, { cause: error }), false);
    });
    worker.on("exit", (code) => {
      if (slot.gone) return;
      const job = slot.job;
      if (code === MEMORY_EXIT_CODE && job) giveUp(slot, tooLarge(job), false);
      else giveUp(slot, new Error(`the extraction worker stopped unexpectedly (exit code ${code})`), false);
    });
  }

  function onMessage(slot: Slot, message: WorkerMessage): void {
    if (slot.gone) return;
    if (message.type === "ready") {
      slot.ready = true;
      clearTimeout(slot.startTimer);
      pump();
      return;
    }
    if (message.type === "ocr-slot-wait") return ocrSlots.request(slot, message.ticket);
    if (message.type === "ocr-slot-free") return ocrSlots.release(slot, message.ticket);
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    switch (message.type) {
      case "result":
        finish(slot, job);
        job.resolve(message.extraction);
        break;
      case "error":
        finish(slot, job);
        job.reject(fromWire(message.error));
        break;
      case "ocr-pages":
        arm(slot, job, settings.timeoutMs + settings.ocrPageTimeoutMs * Math.max(0, message.pages));
        break;
      case "memory":
        giveUp(slot, tooLarge(job), false);
        break;
    }
  }

  /** (Re)sets the job's deadline to `limitMs` after it started. */
  function arm(slot: Slot, job: Job, limitMs: number): void {
    clearTimeout(job.timer);
    const left = job.startedAt + limitMs - performance.now();
    job.timer = setTimeout(() => {
      if (slot.job !== job) return;
      giveUp(slot, new ReadError("timeout", `reading took longer than ${seconds(limitMs)} and was stopped`, job.fileName), false);
    }, Math.max(0, left));
  }

  function finish(slot: Slot, job: Job): void {
    clearTimeout(job.timer);
    slot.job = null;
    pump();
  }

  /**
   * Ends a slot: its worker is terminated (if it still runs) and its job, if
   * any, fails with `error`. A worker that died while starting takes the first
   * waiting job with it, so a worker that can never start fails jobs instead
   * of being respawned forever.
   */
  function giveUp(slot: Slot, error: Error, starting: boolean): void {
    if (slot.gone) return;
    slot.gone = true;
    slots.delete(slot);
    ocrSlots.dropOwner(slot);
    clearTimeout(slot.startTimer);
    const job = slot.job ?? (!slot.ready || starting ? queue.shift() : undefined);
    slot.job = null;
    if (job) {
      clearTimeout(job.timer);
      job.reject(error);
    }
    void slot.worker.terminate().catch(() => undefined);
    pump();
  }

  function pump(): void {
    if (closed) return;
    while (queue.length > 0) {
      const idle = [...slots].find((s) => s.ready && !s.job && !s.gone);
      if (idle) {
        const job = queue.shift()!;
        idle.job = job;
        job.startedAt = performance.now();
        arm(idle, job, settings.timeoutMs);
        const message: JobMessage = { type: "job", id: job.id, bytes: job.bytes, ...(job.fileName !== undefined ? { fileName: job.fileName } : {}) };
        idle.worker.postMessage(message);
        continue;
      }
      // Start a worker for each waiting job that no starting worker will take.
      const starting = [...slots].filter((s) => !s.ready).length;
      if (slots.size < settings.size && starting < queue.length) {
        spawn();
        continue;
      }
      break;
    }
    // An idle worker does not keep the process alive (a caller that forgets close() still exits);
    // a starting or busy one does, or a pending job could be dropped by the process exiting.
    for (const slot of slots) {
      if (slot.ready && !slot.job) slot.worker.unref();
      else slot.worker.ref();
    }
  }

  return {
    options: settings,
    extract(bytes, extractOptions = {}) {
      const fileName = extractOptions.fileName;
      if (closed) return Promise.reject(new Error("the extraction pool is closed"));
      if (bytes.byteLength > settings.maxBytes) {
        return Promise.reject(
          new ReadError("too_large", `the file is ${megabytes(bytes.byteLength)}; vanthu reads files of at most ${megabytes(settings.maxBytes)}`, fileName),
        );
      }
      // postMessage copies a view's whole ArrayBuffer: hand it just the file's bytes.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      return new Promise<Extraction>((resolve, reject) => {
        queue.push({ id: nextId++, bytes: own, fileName, resolve, reject, startedAt: 0, timer: undefined });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error("the extraction pool is closed"));
      const stopping = [...slots].map((slot) => {
        slot.gone = true;
        ocrSlots.dropOwner(slot);
        clearTimeout(slot.startTimer);
        if (slot.job) {
          clearTimeout(slot.job.timer);
          slot.job.reject(new Error("the extraction pool is closed"));
          slot.job = null;
        }
        return slot.worker.terminate().catch(() => undefined);
      });
      slots.clear();
      await Promise.all(stopping);
    },
    stats() {
      const all = [...slots];
      return { workers: all.length, started, running: all.filter((s) => s.job).length, queued: queue.length };
    },
  };
}
