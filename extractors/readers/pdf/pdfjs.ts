/**
 * Loading pdf.js. Node 20 needs its legacy build, whose bundled core-js
 * polyfills do more than add what Node 20 lacks (Promise.withResolvers,
 * Uint8Array.fromBase64, ...): they also *replace* built-ins that V8 11 gets
 * wrong only in corners no one here relies on — Array.prototype.push (a
 * non-writable length not throwing), JSON.parse/stringify (the source-text
 * proposal), Function.prototype.toString — with JavaScript versions, for the
 * whole thread. Measured here: the field extractors ran ~15 % slower once
 * pdf.js was loaded, and pushes and JSON inside pdf.js itself took a large
 * share of reading a page. So the bundles are evaluated once, here, and the
 * native built-ins put back; what core-js *added* stays.
 *
 * The worker bundle is imported here too and handed to pdf.js through
 * `globalThis.pdfjsWorker` (pdf.js's documented way to run its worker in the
 * same thread), so it is evaluated now rather than on first use, when its
 * polyfills would land after the natives were restored.
 */
type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

interface ImageDecoders {
  JpegImage: new () => unknown;
}

const natives = () => ({
  push: Array.prototype.push,
  parse: JSON.parse,
  stringify: JSON.stringify,
  toString: Function.prototype.toString,
});

async function withNativesKept<T>(load: () => Promise<T>): Promise<T> {
  const kept = natives();
  try {
    return await load();
  } finally {
    Array.prototype.push = kept.push;
    JSON.parse = kept.parse;
    JSON.stringify = kept.stringify;
    Function.prototype.toString = kept.toString;
  }
}

// Bundles without type declarations, named by variable so TypeScript does not look for any.
const WORKER = "pdfjs-dist/legacy/build/pdf.worker.mjs";
const IMAGE_DECODERS = "pdfjs-dist/legacy/image_decoders/pdf.image_decoders.mjs";

let pdfjs: Promise<PdfJs> | null = null;
let decoders: Promise<ImageDecoders> | null = null;

export function loadPdfJs(): Promise<PdfJs> {
  return (pdfjs ??= withNativesKept(async () => {
    const lib = await import("pdfjs-dist/legacy/build/pdf.mjs");
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(WORKER);
    return lib;
  }));
}

/** pdf.js's standalone image decoders (JPEG for image files), loaded the same way. */
export function loadImageDecoders<T extends ImageDecoders>(): Promise<T> {
  return (decoders ??= withNativesKept(() => import(IMAGE_DECODERS) as Promise<ImageDecoders>)) as Promise<T>;
}
