// Entry of every extraction worker thread, in plain JavaScript.
//
// Worker threads do not inherit the parent's tsx loader on Node 20, and
// `execArgv: ["--import", "tsx"]` does not reach a worker's own entry either
// (both fail with ERR_UNKNOWN_FILE_EXTENSION). So each worker registers tsx's
// ESM hooks for itself (about 0.2 s here; the pool reuses workers, so a batch
// pays it once per worker), then imports the TypeScript entry the pool names.
//
// pdf.js is not loaded here: most files never need it, and it is loaded
// natively on first use (pdfjs-loader.mjs), for ~65 MB the thread then keeps.
import { workerData } from "node:worker_threads";

const { register } = await import("tsx/esm/api");
register();
await import(workerData.entry);
