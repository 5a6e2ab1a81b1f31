/**
 * The extractor alone, one core: letters/s at steady state on the shared text
 * letters, on renumbered copies, and on long letters, to see how cost grows
 * with length.
 */
import { extractFromText } from "../../extractors/index.ts";

export interface ExtractorBench {
  label: string;
  letters: number;
  perSecond: number;
  msPerLetter: number;
  kbPerLetter: number;
}

/** A letter renumbered so no two synthetic letters are the same text. */
function variant(text: string, i: number): string {
  return text.replace(/Số:\s*[^\n/]*\//u, `Số: ${1000 + i}/`);
}

function measure(label: string, texts: string[], minMs = 3000): ExtractorBench {
  // Warm-up until the JIT has settled (a second of work), so the figure is the steady state a long-running worker sees.
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) for (const t of texts) extractFromText(t);
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (const t of texts) extractFromText(t);
    count += texts.length;
  }
  const elapsed = performance.now() - start;
  const kb = texts.reduce((n, t) => n + t.length, 0) / texts.length / 1024;
  return { label, letters: count, perSecond: (count / elapsed) * 1000, msPerLetter: elapsed / count, kbPerLetter: kb };
}

export function benchExtractor(letters: string[]): ExtractorBench[] {
  return [
    measure("shared text letters", letters),
    measure("synthetic x10 (renumbered)", Array.from({ length: 10 }, (_, i) => letters.map((l) => variant(l, i))).flat()),
    measure("long letters (body x4)", letters.map((l) => l + "\n\n" + l.split("\n").slice(8).join("\n").repeat(3))),
  ];
}
