/**
 * The extraction pool (pipeline/isolation/): deadlines, memory caps, worker
 * reuse and replacement, errors rebuilt across the thread boundary, and the
 * same extraction through the pool as in this process.
 *
 * Faults are injected by a test-only worker entry (pipeline/isolation/
 * fault-worker.ts) chosen by file name: "fault:spin", "fault:heap", ...
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extract, ReadError } from "../extractors/index.ts";
import { createExtractionPool, type ExtractionPool } from "../pipeline/isolation/index.ts";

const FAULT_WORKER = new URL("../pipeline/isolation/fault-worker.ts", import.meta.url);
const SHARED = join(import.meta.dirname, "../../shared/fixtures");
const LOCAL = join(import.meta.dirname, "../fixtures");
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));
const LETTER = bytesOf(join(SHARED, "letters/cv-454-ubnd-haugiang-2011.txt"));

/** The rejection of `promise` (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection, got a result");
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/** Peak process RSS growth (MB) while `work` runs, sampled every 20 ms. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ value: T; growthMb: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const value = await work();
    return { value, growthMb: (Math.max(peak, process.memoryUsage.rss()) - base) / 1024 / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

describe("deadlines", () => {
  let pool: ExtractionPool;
  beforeAll(() => {
    pool = createExtractionPool({ size: 1, timeoutMs: 1500, ocrPageTimeoutMs: 2000, workerEntry: FAULT_WORKER });
  });
  afterAll(() => pool.close());

  it("terminates a worker stuck in a synchronous loop and names the file", async () => {
    await pool.extract(LETTER, { fileName: "warm-up.txt" }); // the deadline should not include worker start-up
    const { value: error, ms } = await timed(() => rejection(pool.extract(LETTER, { fileName: "fault:spin" })));
    expect(error).toBeInstanceOf(ReadError);
    expect(error).toMatchObject({ code: "timeout", fileName: "fault:spin" });
    expect(error.message).toMatch(/^fault:spin: reading took longer than 1\.5 s/);
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(6000);
  });

  it("replaces the terminated worker: the next file is extracted", async () => {
    const before = pool.stats().started;
    const extraction = await pool.extract(LETTER, { fileName: "after-timeout.txt" });
    expect(extraction.document.number).toBe("454");
    expect(pool.stats().started).toBe(before + 1);
  });

  it("stops a job whose promise never settles", async () => {
    const error = await rejection(pool.extract(LETTER, { fileName: "fault:hang" }));
    expect(error).toMatchObject({ code: "timeout" });
  });

  it("gives a job that OCRs pages the per-page allowance on top of the base limit", async () => {
    // 2.5 s of work: past the 1.5 s base limit, within 1.5 s + 2 pages × 2 s.
    const extraction = await pool.extract(LETTER, { fileName: "fault:ocr:2:2500" });
    expect(extraction.document.number).toBe("454");
    // The same work without OCR pages gets only the base limit.
    const error = await rejection(pool.extract(LETTER, { fileName: "fault:ocr:0:2500" }));
    expect(error).toMatchObject({ code: "timeout" });
  });
});

describe("memory cap", () => {
  let pool: ExtractionPool;
  beforeAll(() => {
    pool = createExtractionPool({ size: 1, timeoutMs: 30_000, memoryMb: 96, workerEntry: FAULT_WORKER });
  });
  afterAll(() => pool.close());

  it("a job that fills the V8 heap ends in too_large (resourceLimits), and the process lives on", async () => {
    const error = await rejection(pool.extract(LETTER, { fileName: "fault:heap" }));
    expect(error).toBeInstanceOf(ReadError);
    expect(error).toMatchObject({ code: "too_large", message: "fault:heap: needs more than 96 MB to read" });
    expect((await pool.extract(LETTER, { fileName: "next.txt" })).document.number).toBe("454");
  });

  it("a job that fills memory outside the heap (ArrayBuffers) is stopped by the worker's memory watch", async () => {
    const { value: error, growthMb } = await peakRssGrowth(() => rejection(pool.extract(LETTER, { fileName: "fault:external" })));
    expect(error).toMatchObject({ code: "too_large", message: "fault:external: needs more than 96 MB to read" });
    // resourceLimits alone would let this grow without bound; the watch stops it near the cap.
    expect(growthMb).toBeLessThan(400);
  });

  it("a PDF flate bomb, with the pre-check off, is stopped by the memory cap or the deadline", async () => {
    const bomb = bytesOf(join(LOCAL, "bad/flate-bomb.pdf"));
    const unchecked = createExtractionPool({ size: 1, timeoutMs: 15_000, memoryMb: 192, pdfStreamLimitBytes: 0 });
    try {
      const { value: error, growthMb } = await peakRssGrowth(() => rejection(unchecked.extract(bomb, { fileName: "bomb.pdf" })));
      expect(error).toBeInstanceOf(ReadError);
      expect(["too_large", "timeout"]).toContain((error as ReadError).code);
      expect(growthMb).toBeLessThan(600);
      expect((await unchecked.extract(LETTER, { fileName: "after-bomb.txt" })).document.number).toBe("454");
    } finally {
      await unchecked.close();
    }
  });
});

describe("failures inside the worker", () => {
  let pool: ExtractionPool;
  beforeAll(() => {
    pool = createExtractionPool({ size: 1, workerEntry: FAULT_WORKER });
  });
  afterAll(() => pool.close());

  it("a worker that exits mid-job fails that job with an internal error and is replaced", async () => {
    const error = await rejection(pool.extract(LETTER, { fileName: "fault:crash" }));
    expect(error).not.toBeInstanceOf(ReadError);
    expect(error.message).toMatch(/stopped unexpectedly \(exit code 3\)/);
    expect((await pool.extract(LETTER, { fileName: "after-crash.txt" })).document.number).toBe("454");
  });

  it("a plain Error (a bug) crosses as an Error with its name, message and stack", async () => {
    const error = await rejection(pool.extract(LETTER, { fileName: "fault:throw" }));
    expect(error).not.toBeInstanceOf(ReadError);
    expect(error).toMatchObject({ name: "TypeError", message: "a bug in a reader" });
    expect(error.stack).toContain("fault-worker.ts");
  });
});

describe("the pool", () => {
  let pool: ExtractionPool;
  beforeAll(() => {
    pool = createExtractionPool({ size: 2 });
  });
  afterAll(() => pool.close());

  it("refuses a file over the size limit before any worker sees it", async () => {
    const small = createExtractionPool({ size: 1, maxBytes: 1000 });
    try {
      const error = await rejection(small.extract(new Uint8Array(1001).fill(0x41), { fileName: "big.txt" }));
      expect(error).toBeInstanceOf(ReadError);
      expect(error).toMatchObject({ code: "too_large", fileName: "big.txt" });
      expect(small.stats().started).toBe(0);
    } finally {
      await small.close();
    }
  });

  it("the default size limit is 50 MB", () => {
    expect(pool.options.maxBytes).toBe(50 * 1024 * 1024);
    expect(pool.options.timeoutMs).toBe(60_000);
  });

  it("reuses its workers across files: a batch starts at most `size` of them", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `letter-${i}.txt`);
    const results = await Promise.all(names.map((fileName) => pool.extract(LETTER, { fileName })));
    expect(results.map((r) => r.provenance.source.fileName)).toEqual(names);
    expect(pool.stats()).toMatchObject({ workers: 2, started: 2, running: 0, queued: 0 });
  });

  it("rebuilds a ReadError with the code and message the reader gave", async () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(0), "empty.txt"],
      [bytesOf(join(LOCAL, "bad/truncated.pdf")), "truncated.pdf"],
      [bytesOf(join(LOCAL, "bad/zip-bomb.docx")), "zip-bomb.docx"],
    ];
    for (const [bytes, fileName] of cases) {
      const inProcess = await rejection(extract(bytes, { fileName }));
      const pooled = await rejection(pool.extract(bytes, { fileName }));
      expect(pooled).toBeInstanceOf(ReadError);
      // The pool names the file when the reader did not (the empty-file check does not know it).
      const named = (inProcess as ReadError).withFileName(fileName);
      expect(pooled).toMatchObject({ code: named.code, message: named.message, fileName });
    }
  });

  it("extracts a good letter exactly as in this process (text, DOCX, every shared PDF)", async () => {
    const files = [
      join(SHARED, "letters/cv-454-ubnd-haugiang-2011.txt"),
      join(LOCAL, "docx/001_b5b676eb2548d6d8.docx"),
      ...readdirSync(join(SHARED, "pdf")).sort().map((f) => join(SHARED, "pdf", f)),
    ];
    const pooled = await Promise.all(files.map((file) => pool.extract(bytesOf(file), { fileName: file.split("/").pop()! })));
    for (const [i, file] of files.entries()) {
      const inProcess = await extract(bytesOf(file), { fileName: file.split("/").pop()! });
      expect(pooled[i], file).toEqual(inProcess);
    }
  });

  it("after close, waiting and new jobs are rejected and no worker is left", async () => {
    const closing = createExtractionPool({ size: 1 });
    const running = rejection(closing.extract(LETTER, { fileName: "a.txt" }));
    const waiting = rejection(closing.extract(LETTER, { fileName: "b.txt" }));
    await closing.close();
    expect((await running).message).toMatch(/closed/);
    expect((await waiting).message).toMatch(/closed/);
    expect((await rejection(closing.extract(LETTER, { fileName: "c.txt" }))).message).toMatch(/closed/);
    expect(closing.stats().workers).toBe(0);
  });
});
