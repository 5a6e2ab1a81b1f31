/**
 * The scan inside a scanned PDF page, taken out through pdf.js rather than
 * rendered (the engine when poppler is not installed, and for what
 * poppler-images.ts leaves): pdf.js decodes every image filter in
 * JavaScript. No canvas: the operator list says which image is drawn where,
 * `page.objs` holds its pixels.
 */
import { grayFromPixels, placedUpright } from "./image.ts";
import { multiply, type Matrix } from "../pdf/geometry.ts";
import { loadPdfJs } from "../pdf/pdfjs.ts";
import { MAX_IMAGE_PIXELS } from "./pdf-placement.ts";
import type { PdfImageSource } from "./pdf-images.ts";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
type PdfDocument = Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>;
type PdfPage = Awaited<ReturnType<PdfDocument["getPage"]>>;

/** pdf.js resolves an image object after the operator list; one that never comes is not waited for forever. */
const OBJECT_WAIT_MS = 30_000;

interface PdfImageData {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

export async function openPdfJsImages(bytes: Uint8Array): Promise<PdfImageSource> {
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
async function largestImage(pdfjs: PdfJs, page: PdfPage): ReturnType<PdfImageSource["pageImage"]> {
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
    else if (fn === OPS.restore || fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
    else if (fn === OPS.paintFormXObjectBegin) {
      // A form XObject draws in its own space (its /Matrix), restored when it ends.
      stack.push(ctm);
      const matrix = args[0] as ArrayLike<number> | null;
      if (matrix && matrix.length === 6) ctm = multiply(ctm, Array.from(matrix) as Matrix);
    }
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
  return { image: placedUpright(gray, best.matrix), images: placed.length };
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
