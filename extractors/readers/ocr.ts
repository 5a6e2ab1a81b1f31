/**
 * The OCR reader: scanned PDF pages and image files (PNG, JPEG, TIFF) → the
 * same line/block model the text readers produce, with `Line.confidence`
 * and `source.ocr: true`.
 *
 * Pipeline per page: the scan's pixels (the image embedded in the PDF page,
 * taken out by pdf.js, or the decoded image file) → grayscale with red
 * stamps dropped → about 300 dpi → straightened → tesseract (the Debian CLI
 * when installed, else tesseract.js) → words with boxes → the PDF reader's
 * layout (header and closing columns, furniture, paragraphs) → OCR
 * confusions repaired where the letter format pins the reading.
 *
 * Environment: VANTHU_OCR_ENGINE=tesseract|tesseract.js forces the engine;
 * VANTHU_OCR_TIMEOUT_MS sets the per-page limit (default 60 s). At most one
 * OCR process runs per core (ocr/limit.ts).
 */
import { ReadError } from "../errors.ts";
import type { TextModel } from "../model.ts";
import { imagePages, type ImageFormat } from "./ocr/decode-image.ts";
import { checkImageSize, DEFAULT_IMAGE_PIXEL_LIMIT } from "./ocr/image-size.ts";
import { openSession } from "./ocr/engine.ts";
import { buildOcrModel } from "./ocr/layout.ts";
import { ocrPages, type PageSource } from "./ocr/pages.ts";
import { openPdfImages } from "./ocr/pdf-images.ts";
import type { EngineName, OcrSession, SessionOptions } from "./ocr/session.ts";
import { spliceModels, withoutScanWarnings } from "./ocr/splice.ts";

export type { EngineName } from "./ocr/session.ts";
export type { ImageFormat } from "./ocr/decode-image.ts";

export interface OcrReadOptions {
  fileName?: string;
  /** Force an engine; by default the CLI when installed (see ocr/engine.ts). */
  engine?: EngineName;
  /** Per-page OCR limit in milliseconds (VANTHU_OCR_TIMEOUT_MS, default 60 s). */
  timeoutMs?: number;
}

export const DEFAULT_PAGE_TIMEOUT_MS = 60_000;

const pageTimeout = (options: OcrReadOptions) =>
  options.timeoutMs ?? (Number(process.env.VANTHU_OCR_TIMEOUT_MS) || DEFAULT_PAGE_TIMEOUT_MS);

/**
 * OCR of a PDF's scanned pages. `textModel` is what `readPdf` made of the file
 * (its warnings and signatures are kept); `pages` are the pages to OCR, by
 * default all. When some pages are left out, their text-layer lines are
 * spliced with the OCR'd ones in page order.
 */
export async function readScannedPdf(bytes: Uint8Array, textModel: TextModel, options: OcrReadOptions & { pages?: number[] } = {}): Promise<TextModel> {
  const all = Array.from({ length: textModel.source.pages }, (_, i) => i + 1);
  const wanted = options.pages ?? all;
  const ocrSet = new Set(wanted);
  return withSession(options, async (session, sessionOptions) => {
    const images = await openPdfImages(bytes);
    try {
      const sources: PageSource[] = wanted.map((page) => ({ page, load: async () => (await images.pageImage(page))?.image ?? null }));
      const { pages, warnings } = await ocrPages(sources, session, sessionOptions);
      const ocrModel = buildOcrModel(pages, {
        pageCount: textModel.source.pages,
        format: "pdf",
        reader: session.engine,
        warnings: ocrSet.size === all.length ? [...withoutScanWarnings(textModel.source.warnings, ocrSet), ...warnings] : warnings,
      });
      if (ocrSet.size < all.length) return spliceModels(textModel, ocrModel, ocrSet);
      if (!ocrModel.lines.length) throw new ReadError("no_text", "the PDF is a scan and OCR found no text on its pages", options.fileName);
      if (textModel.source.signatures) ocrModel.source.signatures = textModel.source.signatures;
      return ocrModel;
    } finally {
      await images.close();
    }
  });
}

/** An image file (PNG, JPEG, or TIFF of one or more pages) → the model. */
export async function readImage(bytes: Uint8Array, format: ImageFormat, options: OcrReadOptions = {}): Promise<TextModel> {
  // Before a pixel is decoded: the header says how large the decoded page would be.
  checkImageSize(bytes, format, DEFAULT_IMAGE_PIXEL_LIMIT, options.fileName);
  let pages: ReturnType<typeof imagePages>;
  try {
    pages = imagePages(bytes, format);
  } catch (error) {
    throw decodeError(error, format, options);
  }
  return withSession(options, async (session, sessionOptions) => {
    const sources: PageSource[] = pages.map((decode, i) => ({
      page: i + 1,
      load: () => decode().catch((error: unknown) => Promise.reject(decodeError(error, format, options))),
    }));
    const result = await ocrPages(sources, session, sessionOptions);
    const model = buildOcrModel(result.pages, { pageCount: pages.length, format: "image", reader: session.engine, warnings: result.warnings });
    if (!model.lines.length) throw new ReadError("no_text", "OCR found no text in the image", options.fileName);
    return model;
  });
}

/** An image that cannot be decoded: damaged (corrupt_file), or a kind of TIFF not read (unsupported_format). */
function decodeError(error: unknown, format: ImageFormat, options: OcrReadOptions): ReadError {
  if (error instanceof ReadError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  if (/not supported/.test(reason)) return new ReadError("unsupported_format", `${reason}; save the scan as PNG, JPEG or PDF`, options.fileName);
  return new ReadError("corrupt_file", `the ${format.toUpperCase()} image is damaged or incomplete and cannot be decoded (${reason})`, options.fileName);
}

/** Runs `fn` with an OCR session that is always closed; unexpected failures become ocr_failed. */
async function withSession<T>(options: OcrReadOptions, fn: (session: OcrSession, sessionOptions: SessionOptions) => Promise<T>): Promise<T> {
  const sessionOptions: SessionOptions = { timeoutMs: pageTimeout(options), ...(options.engine ? { engine: options.engine } : {}), ...(options.fileName ? { fileName: options.fileName } : {}) };
  let session: OcrSession | null = null;
  try {
    session = await openSession(sessionOptions);
    return await fn(session, sessionOptions);
  } catch (error) {
    if (error instanceof ReadError) throw error.fileName || !options.fileName ? error : error.withFileName(options.fileName);
    const reason = error instanceof Error ? error.message : String(error);
    throw new ReadError("ocr_failed", `OCR failed (${reason})`, options.fileName);
  } finally {
    await session?.close();
  }
}
