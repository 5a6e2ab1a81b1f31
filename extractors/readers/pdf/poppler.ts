/**
 * The poppler engine for text PDFs: `pdftotext -raw -bbox` gives every word
 * with its box, including the values e-signing stamps into signature widgets;
 * the words become the same positioned items pdf.js text becomes, and the
 * same layout (lines, columns, furniture, repairs, paragraphs: buildModel)
 * reads them. Signatures come from the file's bytes (signatures.ts).
 *
 * Poppler decides only what it can decide for sure: the text of a file it
 * reads cleanly, a password it lacks, too many pages, a run that will not
 * end. A file it cannot open, or opens only by repairing damage, goes back to
 * pdf.js (null here), so such a file ends the same whichever engine is
 * installed.
 */
import { ReadError } from "../../errors.ts";
import type { TextModel } from "../../model.ts";
import { buildModel, hasEofMarker, MAX_PDF_PAGES, MIN_PAGE_CHARS, passwordError, scanWarning, tooManyPagesError, TRUNCATED_WARNING } from "./model.ts";
import type { PageInput } from "./layout.ts";
import { signatureBlockInfo, signatureWarning, snapStamps } from "./annotations.ts";
import { readRawSignatures, signerOf, type RawSignature, type SignatureInfo } from "./signatures.ts";
import { signaturePages } from "./signature-pages.ts";
import { DEFAULT_PDFTOTEXT_LIMITS, PdftotextError, popplerPageCount, runPdftotext, type PdftotextLimits } from "./pdftotext.ts";
import { parsePopplerWords, type PopplerPage } from "./poppler-words.ts";
import { learnBoxEms, pageItems } from "./poppler-items.ts";
import { readAppearanceWords, splitAppearanceWords } from "./appearance-words.ts";

export interface PopplerReadOptions {
  fileName?: string;
  limits?: Partial<PdftotextLimits>;
}

/** The model, or null when poppler could not read the file cleanly and pdf.js should. */
export async function readPdfWithPoppler(bytes: Uint8Array, options: PopplerReadOptions = {}): Promise<TextModel | null> {
  const { fileName } = options;
  const limits = { ...DEFAULT_PDFTOTEXT_LIMITS, lastPage: MAX_PDF_PAGES + 1, ...options.limits };
  const run = runPdftotext(bytes, limits);
  // While poppler runs: the signature dictionaries, and (pdf.js) the pages their widgets are on.
  // Best effort, as in signatures.ts: a file pdf.js cannot open keeps its text, without its signatures.
  const raw = readRawSignatures(bytes);
  const locating = signaturePages(bytes, raw).catch(() => new Map<RawSignature, number>());
  let pages: PopplerPage[];
  try {
    pages = parsePopplerWords(await run);
  } catch (error) {
    if (!(error instanceof PdftotextError)) return null; // output that is not the XHTML poppler writes
    if (error.failure === "password") {
      throw passwordError(fileName);
    }
    if (error.failure === "timeout") throw new ReadError("timeout", `reading the PDF's text did not finish (${error.message})`, fileName);
    return null;
  }
  if (!pages.length) return null;
  if (pages.length > MAX_PDF_PAGES) {
    const count = (await popplerPageCount(bytes, limits)) ?? pages.length;
    throw tooManyPagesError(count, fileName);
  }

  const warnings: string[] = [];
  if (!hasEofMarker(bytes)) warnings.push(TRUNCATED_WARNING);
  const located = await locating;
  const boxEms = learnBoxEms(pages);
  const inputs: PageInput[] = [];
  const signatures: SignatureInfo[] = [];
  for (const [index, page] of pages.entries()) {
    const n = index + 1;
    const signed = raw.filter((s) => located.get(s) === n);
    const { content, shown } = splitAppearanceWords(page.words, signed.map((s) => s.rect), page.height);
    const { items, rotatedChars } = pageItems(content, page.height, boxEms);
    const chars = items.reduce((sum, i) => sum + i.text.replace(/\s+/g, "").length, 0);
    const scan = chars + rotatedChars < MIN_PAGE_CHARS;
    // Poppler lays a page out as displayed (/Rotate applied), pdf.js in the page's own space: where
    // the two may differ, a page mostly of vertical text or with words beyond its box, pdf.js reads.
    if (!scan && (rotatedChars > chars || outsidePage(page))) return null;
    if (scan) warnings.push(scanWarning(n));
    const appearance = readAppearanceWords(shown, page.height, n, boxEms);
    // On a scan the stamps have no line to land on; OCR reads the page, stamps included.
    if (!scan) items.push(...snapStamps(appearance.stamps, items));
    for (const [k, sig] of signed.entries()) {
      const block = appearance.blocks[k];
      const printed = block ? signatureBlockInfo(block) : { signer: null, signedAt: null };
      const info: SignatureInfo = { signer: signerOf(sig) ?? printed.signer, signedAt: sig.time ?? printed.signedAt, rect: normalizedRect(sig.rect), page: n };
      warnings.push(signatureWarning(info));
      signatures.push(info);
    }
    inputs.push({ frame: { page: n, view: [0, 0, page.width, page.height] }, items: scan ? [] : items });
  }
  const model = buildModel(inputs, pages.length, [...new Set(warnings)]);
  model.source.reader = "pdftotext";
  if (signatures.length) model.source.signatures = signatures;
  return model;
}

function outsidePage(page: PopplerPage): boolean {
  return page.words.some((w) => w.xMin < -1 || w.yMin < -1 || w.xMax > page.width + 1 || w.yMax > page.height + 1);
}

/** [x1, y1, x2, y2] with x1 < x2 and y1 < y2, to a tenth of a point, as pdf.js reports a widget's rectangle. */
function normalizedRect(rect: number[]): number[] {
  const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = rect;
  return [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)].map((v) => Math.round(v * 10) / 10);
}
