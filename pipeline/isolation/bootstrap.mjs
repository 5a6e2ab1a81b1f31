// Entry of every extraction worker thread, in plain JavaScript.
//
// Worker threads do not inherit the parent's tsx loader on Node 20, and
// `execArgv: ["--import", "tsx"]` does not reach a worker's own entry either
// (both fail with ERR_UNKNOWN_FILE_EXTENSION). So each worker registers tsx's
// ESM hooks for itself (about 0.2 s here; the pool reuses workers, so a batch
// pays it once per worker), then imports the TypeScript entry the pool names.
//
// pdf.js is loaded first, before the hooks exist: through tsx's hooks its two
// 1 MB modules take 1.3-4 s and 150-350 MB to load (tsx scans each module and
// Node parses their source maps); natively about 0.15 s and 50 MB. The readers
// later get the same module instance from the same loader.
import { workerData } from "node:worker_threads";

if (workerData.preloadPdfJs) {
  const { loadPdfJs } = await import("../../extractors/readers/pdf/pdfjs-loader.mjs");
  await loadPdfJs();
}
const { register } = await import("tsx/esm/api");
register();
await import(workerData.entry);
