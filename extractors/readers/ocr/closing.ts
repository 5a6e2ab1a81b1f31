/**
 * The signature column of a scanned letter: between the authority line
 * ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH") and the signer's name stand only
 * the handwritten signature and the seal, which OCR reads as a scatter of
 * unsure marks and syllables ("Sa hệ hi", "“IS” VU.", "TT", "“tuauL—"). In
 * that column, words read with low confidence or that are no word at all are
 * dropped; the typed authority, title and name there are read sure.
 */
import { fold } from "../../text/normalize.ts";
import { joinItems, type PdfItem } from "../pdf/geometry.ts";
import type { OrderedLine } from "../pdf/layout.ts";
import { plausible } from "./words.ts";
import { isFrameWord } from "./phrases.ts";

/** Confidence (0–1) below which a word of the signature column is taken for signature or seal. */
const SIGNATURE_NOISE = 0.5;

export function dropSignatureNoise(lines: OrderedLine[], confidence: Map<PdfItem, number>): OrderedLine[] {
  let closing = false;
  const out: OrderedLine[] = [];
  for (const line of lines) {
    if (line.column === "left" && /^noi nhan/u.test(fold(line.text.trim()))) closing = true;
    if (!closing || line.column !== "right") {
      out.push(line);
      continue;
    }
    // The authority's prefix and the title are often crossed by the signature's strokes: their
    // words (a closed list) stay however unsure. Any other word stays when read sure and it is a
    // word at all (a syllable of the signer's name, a number, capitals).
    const items = line.items.filter((i) => {
      const text = i.text.trim();
      if (AUTHORITY_WORD.test(text) || isFrameWord(text)) return true;
      return (confidence.get(i) ?? 1) >= SIGNATURE_NOISE && plausible(text);
    });
    if (!items.length) continue;
    out.push(items.length === line.items.length ? line : { ...line, items, text: joinItems(items), x0: items[0]!.x });
  }
  return out;
}

const AUTHORITY = /^(?:TM|KT|TL|TUQ|Q)\.\s/u;
const AUTHORITY_WORD = /^(?:TM|KT|TL|TUQ|Q)\.$/u;

/**
 * "KT." that lost a letter to the signature ("T. CHỦ TỊCH" over "PHÓ CHỦ
 * TỊCH"): a deputy signs for the head of the same title, and that is what
 * KT. (ký thay) says; the format allows no other prefix there.
 */
export function repairAuthority(texts: string[], columns: (string | undefined)[]): void {
  for (let i = 0; i + 1 < texts.length; i++) {
    if (columns[i] !== "right" || columns[i + 1] !== "right") continue;
    const m = /^(\S{1,4})\s+(.+)$/u.exec(texts[i]!);
    if (!m || AUTHORITY.test(texts[i]!) || !/^[\p{Lu}.,:]{1,4}$/u.test(m[1]!)) continue;
    if (texts[i + 1] === `PHÓ ${m[2]}`) texts[i] = `KT. ${m[2]}`;
  }
}
