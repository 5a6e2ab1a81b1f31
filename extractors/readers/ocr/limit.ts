/**
 * At most one OCR process per core. tesseract runs single-threaded here
 * (OMP_THREAD_LIMIT=1: its OpenMP threads only fight each other when several
 * pages run at once), so one process per core keeps every core busy and the
 * machine responsive. Two documents read at the same time share the limit.
 * It is this module's, so it spans one thread: where several threads read
 * documents (the extraction pool), the pool hands its threads a limiter of
 * its own that spans them all (useOcrLimiter).
 */
import { availableParallelism } from "node:os";

export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A released slot is handed straight to the next waiter, so a newcomer cannot take it in between.
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export const OCR_SLOTS = Math.max(1, availableParallelism());

/** What OCR runs each page through: something that runs a task when a slot is free. */
export interface SlotLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
}

let currentLimiter: SlotLimiter = new Limiter(OCR_SLOTS);

/** Every OCR process of this thread starts through this. */
export const ocrLimiter: SlotLimiter = { run: (task) => currentLimiter.run(task) };

/** Replaces this thread's own limit, before any OCR starts (an extraction worker, with its pool's). */
export function useOcrLimiter(limiter: SlotLimiter): void {
  currentLimiter = limiter;
}

/** Maps with at most `limit` calls in flight; results in input order; the first failure rejects. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
