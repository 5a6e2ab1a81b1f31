/**
 * Which image a PDF page draws largest, and where: the page's content stream
 * walked as pdf.js builds its operator list (q/Q, cm, Do into images and
 * form XObjects), without decoding a pixel. The matrix is in screen space,
 * y down, with the page's /Rotate applied, as pdf.js's viewport gives it, so
 * both engines turn and measure the scan the same way (image.ts: placedUpright).
 */
import { multiply, type Matrix } from "../pdf/geometry.ts";
import { isDict, isKeyword, isName, isRef, Lexer, type PdfValue, type Ref } from "../pdf/pdf-objects.ts";
import type { Dict, PdfFile, PdfPage } from "../pdf/pdf-file.ts";

export interface Placement {
  ref: Ref;
  width: number;
  height: number;
  /** Image space (the unit square) → screen. */
  matrix: Matrix;
  /** The image has a soft mask or a colour-key mask (pdf.js blends it in; the poppler path does not). */
  masked: boolean;
  /** Images drawn on the page. */
  images: number;
}

/** Page images above this many pixels are not decoded (as pdf-images.ts tells pdf.js). */
export const MAX_IMAGE_PIXELS = 10_000 * 10_000;
/** Forms inside forms: a scan page has none or one. */
const MAX_FORM_DEPTH = 8;
/** Content beyond this is no scanned page (a drawing, a text page): left to pdf.js. */
const MAX_CONTENT_BYTES = 4 * 1024 * 1024;

/**
 * The largest image the page draws; null when it draws none. Throws when the
 * content holds what is not followed here (an inline image, an unknown
 * filter, malformed syntax): pdf.js then reads the page.
 */
export function largestPlacement(file: PdfFile, page: PdfPage): Placement | null {
  let best: Omit<Placement, "images"> | null = null;
  let bestArea = -1;
  let images = 0;
  const visit = (content: string, resources: Dict, start: Matrix, forms: Set<number>) => {
    const lexer = new Lexer(content);
    const stack: Matrix[] = [];
    let ctm = start;
    let operands: PdfValue[] = [];
    for (let token = lexer.next(); token !== undefined; token = lexer.next()) {
      if (!isKeyword(token)) {
        operands.push(token);
        continue;
      }
      const op = token.op;
      if (op === "q") stack.push(ctm);
      else if (op === "Q") ctm = stack.pop() ?? ctm;
      else if (op === "cm" && operands.length >= 6) ctm = multiply(ctm, operands.slice(-6).map(num) as Matrix);
      else if (op === "BI") throw new Error("an inline image");
      else if (op === "Do" && isName(operands.at(-1))) {
        const name = (operands.at(-1) as { name: string }).name;
        const xobjects = file.resolve(resources.get("XObject"));
        const ref = isDict(xobjects) ? xobjects.get(name) : undefined;
        const object = isRef(ref) ? file.stream(ref) : null;
        const subtype = object && file.resolve(object.dict.get("Subtype"));
        if (object && isName(subtype) && subtype.name === "Image") {
          const dict = object.dict;
          const width = num(file.resolve(dict.get("Width") ?? dict.get("W")));
          const height = num(file.resolve(dict.get("Height") ?? dict.get("H")));
          // Stencil masks and oversized images are not candidates, as in pdf.js's operator list.
          if (file.resolve(dict.get("ImageMask") ?? dict.get("IM")) === true || width * height > MAX_IMAGE_PIXELS || !width || !height) {
            operands = [];
            continue;
          }
          images++;
          const area = Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]);
          if (area > bestArea) {
            bestArea = area;
            best = { ref: ref as Ref, width, height, matrix: ctm, masked: dict.has("SMask") || dict.has("Mask") };
          }
        } else if (object && isName(subtype) && subtype.name === "Form" && !forms.has((ref as Ref).num) && forms.size < MAX_FORM_DEPTH) {
          const matrix = file.resolve(object.dict.get("Matrix"));
          const own = file.resolve(object.dict.get("Resources"));
          const formCtm = Array.isArray(matrix) && matrix.length === 6 ? multiply(ctm, matrix.map((v) => num(file.resolve(v))) as Matrix) : ctm;
          visit(text(object.data()), isDict(own) ? own : resources, formCtm, new Set([...forms, (ref as Ref).num]));
        }
      }
      operands = [];
    }
  };
  visit(pageContent(file, page), page.resources, viewportMatrix(page.rotate), new Set());
  return best ? { ...(best as Omit<Placement, "images">), images } : null;
}

/** The page's content streams, one after the other. */
function pageContent(file: PdfFile, page: PdfPage): string {
  const contents = page.dict.get("Contents");
  const refs = isRef(contents) && !Array.isArray(file.resolve(contents)) ? [contents] : (file.resolve(contents) as PdfValue[] | undefined) ?? [];
  if (!Array.isArray(refs)) throw new Error("unreadable /Contents");
  let size = 0;
  const parts = refs.map((ref) => {
    const stream = isRef(ref) ? file.stream(ref) : null;
    if (!stream) throw new Error("a content stream that is not there");
    const data = stream.data();
    size += data.length;
    if (size > MAX_CONTENT_BYTES) throw new Error("content too large");
    return text(data);
  });
  return parts.join("\n");
}

const text = (data: Buffer) => data.toString("latin1");

function num(value: PdfValue | undefined): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error("a number expected");
  return value;
}

/** pdf.js's viewport at scale 1, without its offset: y down, the page's /Rotate applied. */
function viewportMatrix(rotate: number): Matrix {
  const r = rotate % 90 === 0 ? ((rotate % 360) + 360) % 360 : 0;
  if (r === 90) return [0, 1, 1, 0, 0, 0];
  if (r === 180) return [-1, 0, 0, 1, 0, 0];
  if (r === 270) return [0, -1, -1, 0, 0, 0];
  return [1, 0, 0, -1, 0, 0];
}
