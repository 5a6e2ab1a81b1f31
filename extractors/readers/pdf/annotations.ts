/**
 * What a page's annotations add to its text: the values stamped into blanks
 * by e-signing (put back on their lines) and the digital signatures (signer
 * and time, reported as metadata).
 */
import type { PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { PdfItem } from "./geometry.ts";
import { hasAppearanceText, readAnnotationTexts, type AnnotationText } from "./stamps.ts";
import { matchSignature, readRawSignatures, signerOf, type SignatureInfo } from "./signatures.ts";

export interface PageAnnotations {
  /** Stamped text runs, snapped to the baseline of the text they fill in. */
  stamps: PdfItem[];
  signatures: SignatureInfo[];
}

interface AnnotationData {
  id?: string;
  subtype?: string;
  fieldType?: string;
  fieldName?: string;
  rect?: number[];
  hasAppearance?: boolean;
}

// A signature's own visible block ("Ký bởi: ...", an e-mail, "09.01.2025 10:21:11 +07:00") is
// information about the signature, not text of the letter.
const SIGNATURE_INFO = /@|\d{1,2}[.:]\d{2}[.:]\d{2}|[+-]\d{2}:\d{2}|ký bởi|ky boi|signed|thời gian ký|ngày ký|đã ký/iu;

export async function readPageAnnotations(
  page: PDFPageProxy,
  pdfjs: typeof import("pdfjs-dist/legacy/build/pdf.mjs"),
  pageNumber: number,
  /** The file's signature dictionaries, read from its bytes on first need. */
  raw: () => ReturnType<typeof readRawSignatures>,
  /** False on a scanned page: its stamps have no line to land on, and evaluating it decodes the scan. */
  withText = true,
): Promise<PageAnnotations> {
  const annotations = (await page.getAnnotations()) as AnnotationData[];
  if (!annotations.length) return { stamps: [], signatures: [] };
  const texts = withText && hasAppearanceText(annotations) ? await readAnnotationTexts(page, pdfjs, annotations) : [];
  const textById = new Map(texts.map((t) => [t.id, t]));

  // Only form widgets fill blanks of the letter; a FreeText or Stamp annotation is a reader's note.
  const stamps: PdfItem[] = [];
  for (const t of texts) if (t.subtype === "Widget" && !isSignatureInfo(t)) stamps.push(...t.runs);

  const signatures: SignatureInfo[] = [];
  for (const a of annotations) {
    if (a.fieldType !== "Sig" || !a.rect) continue;
    const match = matchSignature(raw(), a.rect);
    const shown = textById.get(a.id ?? "");
    const fromAppearance = shown && isSignatureInfo(shown) ? appearanceInfo(shown) : { signer: null, signedAt: null };
    signatures.push({
      signer: signerOf(match) ?? fromAppearance.signer,
      signedAt: match?.time ?? fromAppearance.signedAt,
      rect: a.rect.map((v) => Math.round(v * 10) / 10),
      page: pageNumber,
    });
  }
  return { stamps, signatures };
}

function isSignatureInfo(t: AnnotationText): boolean {
  return isSignatureBlock(t.runs.map((r) => r.text));
}

/**
 * Whether the lines of text an annotation appearance shows are a signature's
 * own block (three lines or more, or a signer, e-mail or time stamp) rather
 * than a value filling a blank of the letter. Shared with the poppler reader.
 */
export function isSignatureBlock(lines: string[]): boolean {
  return lines.length >= 3 || SIGNATURE_INFO.test(lines.join(" "));
}

function appearanceInfo(t: AnnotationText): { signer: string | null; signedAt: string | null } {
  return signatureBlockInfo(t.runs.map((r) => r.text));
}

/** Signer and time as the visible signature block prints them (one entry per line of the block). */
export function signatureBlockInfo(blockLines: string[]): { signer: string | null; signedAt: string | null } {
  const lines = blockLines.map((l) => l.trim());
  const signer = lines.find((l) => !SIGNATURE_INFO.test(l) && /\p{L}{2}/u.test(l))?.replace(/^(?:ký bởi|signed by)\s*:?\s*/iu, "") ?? null;
  let signedAt: string | null = null;
  for (const l of lines) {
    const m = /(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{2}:?\d{2})?/u.exec(l);
    if (!m) continue;
    const [, d, mo, y, h, mi, s = "00", zone] = m;
    const z = zone ? (zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`) : "";
    signedAt = `${y}-${mo!.padStart(2, "0")}-${d!.padStart(2, "0")}T${h!.padStart(2, "0")}:${mi}:${s}${z}`;
    break;
  }
  return { signer, signedAt };
}

/**
 * Moves each stamped run onto the baseline of the page text it fills in
 * ("Số:" … "/TB-UBND"): the appearance's own baseline is a point or two off,
 * enough to make a line of its own.
 */
export function snapStamps(stamps: PdfItem[], items: PdfItem[]): PdfItem[] {
  return stamps.map((stamp) => {
    let best: PdfItem | null = null;
    for (const item of items) {
      const dy = Math.abs(item.y - stamp.y);
      if (dy > 0.6 * Math.max(item.size, stamp.size)) continue;
      const dx = Math.max(0, item.x - (stamp.x + stamp.width), stamp.x - (item.x + item.width));
      if (dx > 4 * item.size) continue;
      if (!best || dy < Math.abs(best.y - stamp.y)) best = item;
    }
    return best ? { ...stamp, y: best.y } : stamp;
  });
}

export function signatureWarning(sig: SignatureInfo): string {
  const who = sig.signer ?? "unknown signer";
  const when = sig.signedAt ? `, signed ${sig.signedAt}` : "";
  return `digital signature: ${who}${when} (page ${sig.page})`;
}
