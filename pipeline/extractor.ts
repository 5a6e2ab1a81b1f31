import type { Logger } from "pino";
import type { Config } from "../schemas/config.ts";
import type { Extraction } from "../schemas/extraction.ts";
import { createExtractionPool } from "./isolation/pool.ts";

/** Where the pipeline's extractions run: a pool of worker threads with time and memory caps. */
export interface Extractor {
  extract(bytes: Uint8Array, fileName: string): Promise<Extraction>;
  close(): Promise<void>;
}

export function createExtractor(config: Config, _logger: Logger): Extractor {
  const pool = createExtractionPool({
    size: config.workers.concurrency,
    timeoutMs: config.workers.extractTimeoutMs,
    memoryMb: config.workers.memoryMb,
    maxBytes: config.workers.maxFileBytes,
  });
  const delay = faultDelayMs();
  return {
    async extract(bytes, fileName) {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      return pool.extract(bytes, { fileName });
    },
    close: () => pool.close(),
  };
}

/**
 * Fault injection for crash drills and tests: VANTHU_FAULT_EXTRACT_DELAY_MS
 * makes every extraction take at least that long, so a worker can be killed
 * while it holds a job. Off unless set.
 */
function faultDelayMs(): number {
  const value = Number(process.env.VANTHU_FAULT_EXTRACT_DELAY_MS ?? 0);
  return Number.isFinite(value) && value > 0 ? value : 0;
}
