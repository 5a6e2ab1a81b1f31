/**
 * The scan inside a scanned PDF page, taken out through pdf.js rather than
 * rendered: a scanner or phone app writes each page as one image drawn over
 * the page (usually 200–300 dpi, JPEG, CCITT or JBIG2), and pdf.js decodes
 * every one of those filters in JavaScript. No poppler, no canvas: the
 * operator list says which image is drawn where, `page.objs` holds its pixels.
 */
import { grayFromPixels, orient, type GrayImage } from "./image.ts";
import { multiply, type Matrix } from "../pdf/geometry.ts";
import { loadPdfJs } from "../pdf/pdfjs.ts";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
type PdfDocument = Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>;
type PdfPage = Awaited<ReturnType<PdfDocument["getPage"]>>;

/** Page images above this many pixels are not decoded (a 600-dpi A3 scan is 7000 × 9900). */
const MAX_IMAGE_PIXELS = 10_000 * 10_000;
/** pdf.js resolves an image object after the operator list; one that never comes is not waited for forever. */
const OBJECT_WAIT_MS = 30_000;

interface PdfImageData {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

export interface PdfImageSource {
  pageCount: number;
  /** The page's scan, upright, with the resolution it is drawn at; null when the page draws no image. */
  pageImage(pageNumber: number): Promise<{ image: GrayImage; images: number } | null>;
  /** Width and height of the page in points (after its /Rotate), for the layout. */
  pageSize(pageNumber: number): Promise<{ width: number; height: number }>;
  close(): Promise<void>;
}

export async function openPdfImages(bytes: Uint8Array): Promise<PdfImageSource> {
  const pdfjs = await loadPdfJs();
  const doc: PdfDocument = await pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    maxImageSize: MAX_IMAGE_PIXELS,
    useSystemFonts: false,
    disableFontFace: true,
    // Pixels, not ImageBitmaps: Node has no OffscreenCanvas, and the browser decoder is not wanted.
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    verbosity: 0,
  } as Parameters<PdfJs["getDocument"]>[0]).promise;
  return {
    pageCount: doc.numPages,
    async pageImage(n) {
      const page = await doc.getPage(n);
      try {
        return await largestImage(pdfjs, page);
      } finally {
        page.cleanup();
      }
    },
    async pageSize(n) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      return { width: viewport.width, height: viewport.height };
    },
    close: () => doc.destroy(),
  };
}


interface Placed {
  objId: string | null;
  inline: PdfImageData | null;
  /** Image space → screen (points, y down, page rotation applied). */
  matrix: Matrix;
  area: number;
}

/**
 * The image covering most of the page. A scan page is one image; e-signing
 * tools add small ones (a seal, a signature) and some producers split a page
 * into strips: then the largest part is read (the fallback the contract allows).
 * Annotation appearances (signature widgets) are not part of the scan and are skipped.
 */
async function largestImage(pdfjs: PdfJs, page: PdfPage): Promise<{ image: GrayImage; images: number } | null> {
  const ops = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE });
  const OPS = pdfjs.OPS;
  const viewport = page.getViewport({ scale: 1 });
  let ctm = viewport.transform as Matrix;
  const stack: Matrix[] = [];
  const placed: Placed[] = [];
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
    else if (fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject) {
      const area = Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]);
      const inline = fn === OPS.paintInlineImageXObject ? (args[0] as PdfImageData) : null;
      placed.push({ objId: inline ? null : String(args[0]), inline, matrix: ctm, area });
    }
  }
  if (!placed.length) return null;
  const best = placed.reduce((a, b) => (b.area > a.area ? b : a));
  const data = best.inline ?? (await imageObject(page, best.objId!));
  if (!data?.data || !data.width || !data.height) return null;
  const gray = grayFromPixels(data.width, data.height, data.data, data.kind ?? 0);
  const [a, b, c, d] = best.matrix;
  // Image columns advance along (a, b) on screen; rows advance along -(c, d) (row 0 is the image's top).
  const axis = (x: number, y: number): [number, number] => (Math.abs(x) >= Math.abs(y) ? [Math.sign(x), 0] : [0, Math.sign(y)]);
  const [ux, uy] = axis(a, b);
  const [vx, vy] = axis(-c, -d);
  const upright = orient(gray, ux, uy, vx, vy);
  const drawnWidth = Math.hypot(a, b);
  upright.dpi = drawnWidth > 0 ? Math.round((data.width / drawnWidth) * 72) : null;
  return { image: upright, images: placed.length };
}

function imageObject(page: PdfPage, objId: string): Promise<PdfImageData | null> {
  // Images used on several pages live in the document's common objects ("g_" ids).
  const objs = (objId.startsWith("g_") ? page.commonObjs : page.objs) as unknown as {
    get(id: string, callback: (data: PdfImageData) => void): void;
  };
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), OBJECT_WAIT_MS);
    objs.get(objId, (value) => {
      clearTimeout(timer);
      resolve(value ?? null);
    });
  });
}
