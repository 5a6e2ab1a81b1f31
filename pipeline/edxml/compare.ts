import type { DocumentFields } from "../../schemas/extraction.ts";
import type { EdxmlFields } from "./parse.ts";

/**
 * Where the letter's text disagrees with its edXML header. The header is what
 * the sender's system recorded, so a disagreement means either the extractor
 * misread the letter or the sender's record is wrong: both are worth a
 * reviewer's look. Only fields the header states are compared (a header
 * without a signer says nothing about the signer).
 *
 * Values are compared after normalisation: Unicode NFC, case folded,
 * diacritics removed (đ → d), whitespace collapsed and dropped around
 * separators ("BTTTT - CĐSQG" = "BTTTT-CĐSQG"), a trailing period dropped;
 * numbers without leading zeros ("05" = "5"); subjects without "V/v".
 */

export interface Disagreement {
  /** The extraction's field name: "number", "signer.name", ... */
  field: string;
  edxml: string;
  extracted: string | null;
}

type Normaliser = (value: string) => string;

const COMPARED: Array<{ field: string; edxml: (f: EdxmlFields) => string | null; extracted: (d: DocumentFields) => string | null; normalise?: Normaliser }> = [
  { field: "number", edxml: (f) => f.number, extracted: (d) => d.number, normalise: (v) => normaliseText(v).replace(/^0+(?=\d)/, "") },
  { field: "symbol", edxml: (f) => f.symbol, extracted: (d) => d.symbol, normalise: (v) => normaliseText(v).replace(/\s+/g, "") },
  { field: "issuer", edxml: (f) => f.issuer, extracted: (d) => d.issuer },
  { field: "place", edxml: (f) => f.place, extracted: (d) => d.place },
  { field: "date", edxml: (f) => f.date, extracted: (d) => d.date },
  { field: "type", edxml: (f) => (f.type === "unknown" ? null : f.type), extracted: (d) => d.type },
  { field: "subject", edxml: (f) => f.subject, extracted: (d) => d.subject, normalise: (v) => normaliseText(v).replace(/^(?:v\/v|ve viec)\s*:?\s*/, "") },
  { field: "signer.name", edxml: (f) => f.signer.name, extracted: (d) => d.signer.name },
  { field: "signer.title", edxml: (f) => f.signer.title, extracted: (d) => d.signer.title },
  { field: "signer.authority", edxml: (f) => f.signer.authority, extracted: (d) => d.signer.authority },
];

export function compareWithExtraction(edxml: EdxmlFields, extracted: DocumentFields): Disagreement[] {
  const disagreements: Disagreement[] = [];
  for (const { field, edxml: fromHeader, extracted: fromText, normalise = normaliseText } of COMPARED) {
    const expected = fromHeader(edxml);
    if (expected === null || expected.trim() === "") continue;
    const actual = fromText(extracted);
    if (actual !== null && normalise(expected) === normalise(actual)) continue;
    disagreements.push({ field, edxml: expected, extracted: actual });
  }
  return disagreements;
}

/** Case, diacritics and whitespace folded, for comparing values written by different hands. */
export function normaliseText(value: string): string {
  return value
    .normalize("NFC")
    .replace(/[đĐ]/g, "d")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/\s*([-/.,;:])\s*/g, "$1")
    .replace(/[.]+$/, "")
    .trim();
}
