/**
 * vanthu's extractor: pure functions from a file's bytes to the extraction.
 * No I/O beyond the input buffer.
 */
export { extract, extractFromText, extractFromModel, EXTRACTOR_VERSION } from "./extract.ts";
export type { ExtractOptions } from "./extract.ts";
export { ReadError, isReadError, READ_ERROR_CODES } from "./errors.ts";
export type { ReadErrorCode } from "./errors.ts";
export type { TextModel, Line, Block, SourceSpan } from "./model.ts";
