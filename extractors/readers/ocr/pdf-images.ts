/**
 * The scan inside each scanned PDF page, taken out rather than rendered: a
 * scanner or phone app writes each page as one image drawn over the page
 * (usually 200–300 dpi, JPEG, CCITT or JBIG2).
 *
 * pdf.js's decoders read it: a page that is one plain JPEG straight from the
 * file's objects (pdf-jpeg.ts), any other through pdf.js's operator list
 * (pdfjs-images.ts); the two give the same pixels. VANTHU_OCR_DECODER=poppler
 * asks poppler's `pdfimages` instead (poppler-images.ts; pdf.js still takes
 * what it leaves). Poppler is the faster (native libjpeg: 0.15 s of CPU a page
 * of the shared scans, pdfimages included, against 0.20 s) but not the default: libjpeg and pdf.js decode a JPEG to
 * pixels a grey level apart here and there, and tesseract's page layout
 * reacts to that as to any imperceptible noise, moving words between blocks
 * around seals and signatures. Measured on the five shared scans: poppler's
 * pixels, or pdf.js's with one grey level added to a random 5 % of them, both
 * lose header fields and tasks that pdf.js's exact pixels keep (header
 * 0.90 → 0.82); the scan scores stand on pdf.js's pixels.
 */
import type { GrayImage } from "./image.ts";
import { openPdfFile } from "../pdf/pdf-file.ts";
import { jpegPageImage } from "./pdf-jpeg.ts";
import { openPdfJsImages } from "./pdfjs-images.ts";
import { openPopplerImages } from "./poppler-images.ts";

export interface PdfImageSource {
  pageCount: number;
  /** The page's scan, upright, with the resolution it is drawn at; null when the page draws no image. */
  pageImage(pageNumber: number): Promise<{ image: GrayImage; images: number } | null>;
  close(): Promise<void>;
}

export type PageDecoder = "pdfjs" | "poppler";

type Direct = (pageNumber: number) => Promise<{ image: GrayImage; images: number } | null | undefined>;

export async function openPdfImages(bytes: Uint8Array, decoder: PageDecoder = process.env.VANTHU_OCR_DECODER === "poppler" ? "poppler" : "pdfjs"): Promise<PdfImageSource> {
  const file = openPdfFile(bytes);
  const native = file && decoder === "poppler" ? await openPopplerImages(bytes, file).catch(() => null) : null;
  const direct: Direct | null = native ? native.pageImage : file ? (n) => jpegPageImage(file, n) : null;
  let pdfjs: Promise<PdfImageSource> | null = null;
  // Opened only when a page needs it: pdf.js's document costs a thread ~65 MB once loaded.
  const fallback = () => (pdfjs ??= openPdfJsImages(bytes));
  return {
    pageCount: file ? file.pages.length : (await fallback()).pageCount,
    async pageImage(n) {
      const image = direct ? await direct(n).catch(() => undefined) : undefined;
      return image !== undefined ? image : (await fallback()).pageImage(n);
    },
    async close() {
      await native?.close();
      if (pdfjs) await (await pdfjs.catch(() => null))?.close();
    },
  };
}
