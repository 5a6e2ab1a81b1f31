import type { Extraction } from "../../schemas/extraction.ts";

/**
 * Folds text for accent-insensitive search: "Sở Tài chính" and
 * "so tai chinh" both become "so tai chinh". NFD splits every Vietnamese
 * letter into a base letter and combining marks, which are dropped; đ has no
 * decomposition, so it is mapped by hand. Whitespace runs collapse so a query
 * typed with one space matches text that had two.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The `search_text` column: the file name, and once extracted the letter's
 * number, symbol, "number/symbol" (as people type it), issuer and subject.
 * Fields are joined with " | " so a query cannot match across two of them by
 * accident of adjacency.
 */
export function buildSearchText(fileName: string, extraction?: Extraction): string {
  const parts: string[] = [fileName];
  if (extraction) {
    const { number, symbol, issuer, subject } = extraction.document;
    if (number && symbol) parts.push(`${number}/${symbol}`);
    for (const value of [number, symbol, issuer, subject]) if (value) parts.push(value);
  }
  return parts.map(foldForSearch).join(" | ");
}
