// Loading pdf.js, in plain JavaScript so that an extraction worker's bootstrap
// can load it natively before tsx's hooks exist (through them its two 1 MB
// bundles take seconds and hundreds of MB), and TypeScript code gets the very
// same module instance afterwards (pdfjs.ts).
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

async function withNativesKept(load) {
  const kept = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify, toString: Function.prototype.toString };
  try {
    return await load();
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
    const lib = await import("pdfjs-dist/legacy/build/pdf.mjs");
    globalThis.pdfjsWorker = await import("pdfjs-dist/legacy/build/pdf.worker.mjs");
    return lib;
  }));
}

export function loadImageDecoders() {
  return (decoders ??= withNativesKept(() => import("pdfjs-dist/legacy/image_decoders/pdf.image_decoders.mjs")));
}
