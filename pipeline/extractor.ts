import type { Logger } from "pino";
import type { Config } from "../schemas/config.ts";
import type { Extraction } from "../schemas/extraction.ts";
import { extract } from "../extractors/index.ts";

/** Where the pipeline's extractions run. */
export interface Extractor {
  extract(bytes: Uint8Array, fileName: string): Promise<Extraction>;
  close(): Promise<void>;
}

// Placeholder until the isolated worker pool lands: extraction in this process.
export function createExtractor(_config: Config, _logger: Logger): Extractor {
  const delay = faultDelayMs();
  return {
    async extract(bytes, fileName) {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      return extract(bytes, { fileName });
    },
    close: async () => undefined,
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
