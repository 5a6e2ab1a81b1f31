/** Isolated extraction: a pool of worker threads with memory, time and size limits. See pool.ts. */
export {
  createExtractionPool,
  defaultPoolSize,
  DEFAULT_IMAGE_PIXEL_LIMIT,
  DEFAULT_MAX_BYTES,
  DEFAULT_MEMORY_MB,
  DEFAULT_OCR_PAGE_TIMEOUT_MS,
  DEFAULT_PDF_STREAM_LIMIT_BYTES,
  DEFAULT_PDF_TOTAL_LIMIT_BYTES,
  DEFAULT_TIMEOUT_MS,
} from "./pool.ts";
export type { ExtractionPool, ExtractionPoolOptions, ExtractionPoolStats } from "./pool.ts";
export { checkPdfInflation, findPdfStreams } from "./pdf-inflate-check.ts";
export { checkImageSize, declaredImageSizes } from "../../extractors/readers/ocr/image-size.ts";
export type { IsolatedExtractOptions } from "./worker-core.ts";
