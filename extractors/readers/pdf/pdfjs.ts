/**
 * pdf.js for the readers, typed. The loading itself lives in plain JavaScript
 * (pdfjs-loader.mjs: why, there) so an extraction worker's bootstrap can run
 * it before TypeScript support exists in the thread.
 */
import { loadImageDecoders as loadDecoders, loadPdfJs } from "./pdfjs-loader.mjs";

export { loadPdfJs };

export function loadImageDecoders<T>(): Promise<T> {
  return loadDecoders() as Promise<T>;
}
