export function loadPdfJs(): Promise<typeof import("pdfjs-dist/legacy/build/pdf.mjs")>;
/** pdf.js's standalone image decoders (no type declarations of their own). */
export function loadImageDecoders(): Promise<unknown>;
