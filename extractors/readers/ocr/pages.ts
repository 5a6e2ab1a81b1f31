/**
 * One page through OCR: its image taken out (lazily, so at most a few pages'
 * pixels are in memory at once), brought to about 300 dpi, straightened,
 * cleared of ruled lines, and read by the session's engine; then the few
 * rows the page read is known to get wrong (a handwritten number or day, a
 * name under the seal) are read again on their own.
 */
import { deskew } from "./deskew.ts";
import { inkRatio, normalizeResolution, type GrayImage } from "./image.ts";
import { removeRules } from "./rules.ts";
import type { OcrPage } from "./layout.ts";
import type { OcrWord } from "./tsv.ts";
import { mapLimited, OCR_SLOTS } from "./limit.ts";
import type { OcrSession, SessionOptions } from "./session.ts";
import { rereadSlots } from "./slots.ts";
import { rereadSignerName } from "./signer-name.ts";
import { cliRowReader } from "./tesseract-cli.ts";
import { wasmRowReader } from "./tesseract-js.ts";

export interface PageSource {
  page: number;
  /** The page's image, or null when the page has none (a PDF page that draws no image). */
  load(): Promise<GrayImage | null>;
}

export interface PagesResult {
  pages: OcrPage[];
  warnings: string[];
}

/** Less ink than this share of sampled pixels: a blank page (or the back of a sheet), not read. */
const BLANK_INK = 0.0005;

export async function ocrPages(sources: PageSource[], session: OcrSession, options: SessionOptions): Promise<PagesResult> {
  // Rows are read again in the CLI when it reads the pages (no worker to start), else in tesseract.js.
  const cliRows = session.engine === "tesseract" ? await cliRowReader(options) : null;
  if (cliRows) return readAll(sources, session, cliRows);
  const rows = wasmRowReader(options);
  try {
    return await readAll(sources, session, rows.read);
  } finally {
    await rows.close();
  }
}

async function readAll(sources: PageSource[], session: OcrSession, readRow: (image: GrayImage) => Promise<OcrWord[]>): Promise<PagesResult> {
  // One more page in preparation than there are OCR slots: the next page's image is
  // decoded and straightened while the others are read.
  const results = await mapLimited(sources, OCR_SLOTS + 1, async (source) => {
    const raw = await source.load();
    if (!raw) return { page: null, warning: `page ${source.page} has neither text nor an image to read` };
    const prepared = preparePage(raw);
    if (!prepared) return { page: null, warning: `page ${source.page} is blank` };
    const { image: clean, angle } = prepared;
    const warning = Math.abs(angle) >= 3 ? `page ${source.page} was scanned ${Math.abs(angle)}° askew and straightened` : null;
    let words = await session.recognize(clean, source.page);
    // The number and date rows stand on page 1 only; the signer's name on the page that closes the letter.
    if (source.page === 1) words = await rereadSlots(clean, words, readRow);
    words = await rereadSignerName(clean, words, readRow);
    const page: OcrPage = { page: source.page, words, width: clean.width, height: clean.height, dpi: clean.dpi };
    return { page, warning };
  });
  return {
    pages: results.flatMap((r) => (r.page ? [r.page] : [])),
    warnings: results.flatMap((r) => (r.warning ? [r.warning] : [])),
  };
}

/**
 * A page's image as the engine gets it: about 300 dpi, straightened, ruled
 * lines out; null for a blank page. Exported so the benchmark hands bare
 * tesseract exactly the images vanthu reads.
 */
export function preparePage(raw: GrayImage): { image: GrayImage; angle: number } | null {
  const scaled = normalizeResolution(raw);
  if (inkRatio(scaled) < BLANK_INK) return null;
  const { image, angle } = deskew(scaled);
  return { image: removeRules(image), angle };
}
