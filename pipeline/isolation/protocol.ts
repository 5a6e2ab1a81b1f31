/**
 * What crosses the thread boundary between the extraction pool and its
 * workers: plain, structured-cloneable data only. Errors travel as data and
 * are rebuilt on the other side (a ReadError keeps its code and message).
 */
import { READ_ERROR_CODES, ReadError, isReadError, type ReadErrorCode } from "../../extractors/errors.ts";
import type { Extraction } from "../../schemas/extraction.ts";

/** Limits the pool hands each worker at start (workerData). */
export interface WorkerLimits {
  /** The module the bootstrap imports: the worker entry (worker.ts, or a test entry). */
  entry: string;
  /** Heap + external memory a job may use, in MB (the heap part is also V8's resourceLimits). */
  memoryMb: number;
  /** Largest size one Flate stream of a PDF may inflate to; 0 turns the PDF pre-check off. */
  pdfStreamLimitBytes: number;
  /** Largest total all Flate streams of a PDF may inflate to. */
  pdfTotalLimitBytes: number;
  /** Most pixels an image file's page may declare; 0 turns the image pre-check off. */
  imagePixelLimit: number;
}

/** Parent → worker. */
export interface JobMessage {
  type: "job";
  id: number;
  bytes: Uint8Array;
  fileName?: string;
}

/** Parent → worker: the OCR slot asked for with `ticket` is the worker's now (ocr-slots.ts). */
export interface OcrSlotGranted {
  type: "ocr-slot-granted";
  ticket: number;
}

export type ParentMessage = JobMessage | OcrSlotGranted;

/** Worker → parent. */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "result"; id: number; extraction: Extraction }
  | { type: "error"; id: number; error: WireError }
  /** The job will OCR this many pages: its deadline grows by the per-page allowance. */
  | { type: "ocr-pages"; id: number; pages: number }
  /** An OCR process wants a slot of the pool's; answered by ocr-slot-granted with the same ticket. */
  | { type: "ocr-slot-wait"; ticket: number }
  /** The OCR process that held the slot of `ticket` has ended. */
  | { type: "ocr-slot-free"; ticket: number }
  /** The job went over its memory cap; the worker exits right after. */
  | { type: "memory"; id: number; usedMb: number };

export type WireError =
  | { kind: "read"; code: ReadErrorCode; message: string; fileName?: string }
  | { kind: "other"; name: string; message: string; stack?: string };

/** Exit code of a worker that stopped itself because a job went over its memory cap. */
export const MEMORY_EXIT_CODE = 75;

export function toWire(error: unknown): WireError {
  if (isReadError(error)) {
    return { kind: "read", code: error.code, message: error.message, ...(error.fileName !== undefined ? { fileName: error.fileName } : {}) };
  }
  if (error instanceof Error) {
    return { kind: "other", name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { kind: "other", name: "Error", message: String(error) };
}

/** The error as it was thrown in the worker: a ReadError with the same code and message, or an Error. */
export function fromWire(wire: WireError): Error {
  if (wire.kind === "read" && (READ_ERROR_CODES as readonly string[]).includes(wire.code)) {
    // ReadError's message is "<fileName>: <reason>" when it knows the file: rebuild it from the reason.
    const prefix = wire.fileName ? `${wire.fileName}: ` : "";
    const reason = prefix && wire.message.startsWith(prefix) ? wire.message.slice(prefix.length) : wire.message;
    const rebuilt = new ReadError(wire.code, reason, wire.fileName);
    return rebuilt.message === wire.message ? rebuilt : Object.assign(rebuilt, { message: wire.message });
  }
  const error = new Error(wire.message);
  if (wire.kind === "other") {
    error.name = wire.name;
    if (wire.stack) error.stack = wire.stack;
  }
  return error;
}
