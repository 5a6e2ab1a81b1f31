// Loading pdf.js, in plain JavaScript, so that the bundles are evaluated by
// Node itself and TypeScript code gets the very same module instance (pdfjs.ts).
//
// It is loaded on first use, and only then: an extraction worker that reads
// text letters and poppler-read PDFs never needs it, and it costs a thread
// about 65 MB once evaluated. Loaded with `import()` in a thread where tsx's
// hooks are registered, its two 1 MB bundles take 1-4 s and 150-400 MB (tsx
// passes each module's source through its hooks thread, and Node parses their
// 2.4 MB source maps, since tsx turns source maps on). So they are `require`d
// (Node 20.19+ loads an ES module that way, synchronously, without the ESM
// hooks) with source maps off for that synchronous moment: about 0.15 s and
// 65 MB, as if no hooks were there. Nothing else can load during a
// synchronous require, so no TypeScript module misses its source map.
//
// Node 20 needs pdf.js's legacy build, whose bundled core-js polyfills do more
// than add what Node 20 lacks (Promise.withResolvers, Uint8Array.fromBase64, ...):
// they also *replace* built-ins that V8 11 gets wrong only in corners nothing
// here relies on (Array.prototype.push on a frozen length, JSON.parse's
// source-text proposal, Function.prototype.toString) with JavaScript versions,
// for the whole thread. Measured here: the field extractors ran ~15 % slower
// once pdf.js had loaded, and pushes and JSON inside pdf.js took a large share
// of reading a page. So the bundles are evaluated once, here, and the native
// built-ins put back; what core-js added stays.
//
// The worker bundle is evaluated here too and handed to pdf.js through
// globalThis.pdfjsWorker (pdf.js's way to run its worker in the same thread),
// so its polyfills land now and not on first use, after the natives are back.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The module at `specifier`, required natively when Node can require ES modules, else imported. */
async function load(specifier) {
  if (!process.features.require_module) return import(specifier);
  const sourceMaps = process.sourceMapsEnabled;
  if (sourceMaps) process.setSourceMapsEnabled(false);
  try {
    return require(specifier);
  } finally {
    if (sourceMaps) process.setSourceMapsEnabled(true);
  }
}

async function withNativesKept(loadModules) {
  const kept = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify, toString: Function.prototype.toString };
  try {
    return await loadModules();
  } finally {
    Array.prototype.push = kept.push;
    JSON.parse = kept.parse;
    JSON.stringify = kept.stringify;
    Function.prototype.toString = kept.toString;
  }
}

let pdfjs = null;
let decoders = null;

export function loadPdfJs() {
  return (pdfjs ??= withNativesKept(async () => {
    const lib = await load("pdfjs-dist/legacy/build/pdf.mjs");
    globalThis.pdfjsWorker = await load("pdfjs-dist/legacy/build/pdf.worker.mjs");
    process.on("unhandledRejection", ignorePdfJsOwnRejection);
    return lib;
  }));
}

// The exceptions pdf.js's core throws on a damaged file. Some of its calls (getPageIndex, page and
// annotation loading) reject to the caller and also leave a promise of pdf.js's own rejected with
// no handler: by Node's default that ends the thread, and with it the extraction worker, though
// the caller has already handled the failure. Those are dropped; any other rejection nobody
// handled is thrown on, as Node would have done.
const PDFJS_EXCEPTIONS = new Set(["FormatError", "XRefEntryException", "XRefParseException", "InvalidPDFException", "ParserEOFException", "MissingDataException", "UnknownErrorException", "PasswordException", "AbortException"]);

function ignorePdfJsOwnRejection(reason) {
  if (reason !== null && typeof reason === "object" && PDFJS_EXCEPTIONS.has(reason.name)) return;
  throw reason;
}

export function loadImageDecoders() {
  return (decoders ??= withNativesKept(() => load("pdfjs-dist/legacy/image_decoders/pdf.image_decoders.mjs")));
}
