/**
 * Text drawn inside annotation appearance streams. E-signing tools (VNPT
 * SmartCA, Ban Cơ yếu) stamp the letter's number and day into the blanks of
 * "Số:   /TB-UBND" and "ngày   tháng" as signature widgets; pdf.js's
 * getTextContent reads only the page content, so those values are missing
 * from the text layer. pdf.js does evaluate the appearances into the page's
 * operator list (between beginAnnotation and endAnnotation), with each glyph's
 * Unicode already mapped through the font's ToUnicode: a small text-state
 * interpreter over those operators gives the text and where it stands.
 */
import type { PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { PdfItem } from "./geometry.ts";
import { multiply, type Matrix } from "./geometry.ts";


export interface AnnotationText {
  id: string;
  subtype: string;
  rect: number[];
  /** One run per baseline inside the appearance, in page space. */
  runs: PdfItem[];
}

interface Glyph {
  ch: string;
  x: number;
  y: number;
  advance: number;
  size: number;
}

interface TextState {
  ctm: Matrix;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** Matrices arrive as arrays or as typed arrays serialised to {0:..,1:..}. */
function toMatrix(value: unknown): Matrix | null {
  if (!value || typeof value !== "object") return null;
  const src = value as Record<number, unknown>;
  const m = [0, 1, 2, 3, 4, 5].map((k) => Number(src[k]));
  return m.every(Number.isFinite) ? (m as Matrix) : null;
}

interface AnnotationData {
  id?: string;
  subtype?: string;
  rect?: number[];
  hasAppearance?: boolean;
  hidden?: boolean;
  noView?: boolean;
}

/** Annotation kinds whose appearance never carries letter text. */
const SKIP_SUBTYPES = new Set(["Link", "Popup"]);

export function hasAppearanceText(annotations: AnnotationData[]): boolean {
  return annotations.some((a) => a.hasAppearance && !a.hidden && !a.noView && !SKIP_SUBTYPES.has(a.subtype ?? ""));
}

/** Text of every visible annotation appearance on the page, positioned in page space. */
export async function readAnnotationTexts(page: PDFPageProxy, pdfjs: typeof import("pdfjs-dist/legacy/build/pdf.mjs"), annotations: AnnotationData[]): Promise<AnnotationText[]> {
  const byId = new Map(annotations.filter((a) => a.id).map((a) => [a.id!, a]));
  const { OPS, AnnotationMode } = pdfjs;
  // ENABLE draws every widget from its appearance, form fields included (ENABLE_FORMS would
  // leave text fields to an HTML layer and their values out of the operator list).
  const list = await page.getOperatorList({ annotationMode: AnnotationMode.ENABLE });
  const out: AnnotationText[] = [];
  let current: { data: AnnotationData; glyphs: Glyph[] } | null = null;
  let depth = 0;
  let state: TextState = freshState(IDENTITY);
  const stack: TextState[] = [];
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;

  for (let i = 0; i < list.fnArray.length; i++) {
    const fn = list.fnArray[i]!;
    const args = (list.argsArray[i] ?? []) as unknown[];
    if (fn === OPS.beginAnnotation) {
      depth++;
      if (depth > 1) continue;
      const data = byId.get(String(args[0])) ?? { id: String(args[0]), rect: Array.from(args[1] as ArrayLike<number>) };
      const base = multiply(toMatrix(args[2]) ?? IDENTITY, toMatrix(args[3]) ?? IDENTITY);
      current = { data, glyphs: [] };
      state = freshState(base);
      stack.length = 0;
      tm = tlm = IDENTITY;
      continue;
    }
    if (fn === OPS.endAnnotation) {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && current) {
        const d = current.data;
        if (!SKIP_SUBTYPES.has(d.subtype ?? "") && current.glyphs.length) {
          out.push({
            id: d.id ?? "",
            subtype: d.subtype ?? "",
            rect: d.rect ?? [],
            runs: toRuns(current.glyphs),
          });
        }
        current = null;
      }
      continue;
    }
    if (!current) continue;
    switch (fn) {
      case OPS.save:
      case OPS.paintFormXObjectBegin:
        stack.push({ ...state });
        if (fn === OPS.paintFormXObjectBegin) {
          const m = toMatrix(args[0]);
          if (m) state.ctm = multiply(state.ctm, m);
        }
        break;
      case OPS.restore:
      case OPS.paintFormXObjectEnd:
        state = stack.pop() ?? state;
        break;
      case OPS.transform: {
        const m = toMatrix(args);
        if (m) state.ctm = multiply(state.ctm, m);
        break;
      }
      case OPS.beginText:
        tm = tlm = IDENTITY;
        break;
      case OPS.setTextMatrix: {
        const m = toMatrix(args.length === 6 ? args : args[0]);
        if (m) tm = tlm = m;
        break;
      }
      case OPS.setLeadingMoveText:
        state.leading = -Number(args[1] ?? 0);
        tm = tlm = moveText(tlm, Number(args[0] ?? 0), Number(args[1] ?? 0));
        break;
      case OPS.moveText:
        tm = tlm = moveText(tlm, Number(args[0] ?? 0), Number(args[1] ?? 0));
        break;
      case OPS.nextLine:
        tm = tlm = moveText(tlm, 0, -state.leading);
        break;
      case OPS.setLeading:
        state.leading = Number(args[0] ?? 0);
        break;
      case OPS.setFont:
        state.fontSize = Math.abs(Number(args[1] ?? 0)) || state.fontSize;
        break;
      case OPS.setCharSpacing:
        state.charSpacing = Number(args[0] ?? 0);
        break;
      case OPS.setWordSpacing:
        state.wordSpacing = Number(args[0] ?? 0);
        break;
      case OPS.setHScale:
        state.hScale = Number(args[0] ?? 100) / 100;
        break;
      case OPS.setTextRise:
        state.rise = Number(args[0] ?? 0);
        break;
      case OPS.showText:
      case OPS.showSpacedText:
        tm = showText(args[0], tm, state, current.glyphs);
        break;
    }
  }
  return out;
}

function freshState(ctm: Matrix): TextState {
  return { ctm, fontSize: 12, charSpacing: 0, wordSpacing: 0, hScale: 1, leading: 0, rise: 0 };
}

function moveText(tlm: Matrix, tx: number, ty: number): Matrix {
  return multiply(tlm, [1, 0, 0, 1, tx, ty]);
}

interface GlyphLike {
  unicode?: string;
  width?: number;
  isSpace?: boolean;
}

/** Lays out one showText array; numbers are TJ adjustments in thousandths of an em. */
function showText(arg: unknown, tm: Matrix, state: TextState, out: Glyph[]): Matrix {
  if (!Array.isArray(arg)) return tm;
  const fs = state.fontSize;
  let m = tm;
  for (const g of arg as (GlyphLike | number | null)[]) {
    if (typeof g === "number") {
      m = multiply(m, [1, 0, 0, 1, (-g / 1000) * fs * state.hScale, 0]);
      continue;
    }
    if (!g) continue;
    const advance = ((g.width ?? 0) / 1000) * fs + state.charSpacing + (g.isSpace ? state.wordSpacing : 0);
    const full = multiply(state.ctm, m);
    const [x, y] = apply(full, 0, state.rise);
    const [x2] = apply(full, advance * state.hScale, state.rise);
    const scale = Math.hypot(full[2], full[3]);
    out.push({ ch: g.unicode ?? "", x, y, advance: x2 - x, size: fs * scale });
    m = multiply(m, [1, 0, 0, 1, advance * state.hScale, 0]);
  }
  return m;
}

/** Glyphs → one run per baseline, spaces at the edges trimmed so x is where the ink starts. */
function toRuns(glyphs: Glyph[]): PdfItem[] {
  const rows: Glyph[][] = [];
  for (const g of [...glyphs].sort((a, b) => b.y - a.y)) {
    const row = rows.find((r) => Math.abs(r[0]!.y - g.y) <= 0.3 * Math.max(1, g.size));
    if (row) row.push(g);
    else rows.push([g]);
  }
  const runs: PdfItem[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    const inked = row.filter((g) => g.ch.trim());
    if (!inked.length) continue;
    const first = inked[0]!;
    const last = inked[inked.length - 1]!;
    const text = row.slice(row.indexOf(first), row.indexOf(last) + 1).map((g) => g.ch).join("");
    runs.push({ text, x: first.x, y: first.y, width: last.x + last.advance - first.x, size: Math.max(...row.map((g) => g.size)), stamped: true });
  }
  return runs;
}
