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

function measure(label: string, texts: string[], minMs = 5000): ExtractorBench {
  // Warm-up until the JIT has settled, so the figure is the steady state a long-running worker sees.
  // Measured here in half-second windows: letters/s still rises until about 2 s into a run (3.5 s
  // with the process held to one core, where V8's compiler threads share it); a one-second
  // warm-up counted part of that climb. The measurement then runs 5 s, as the machines this runs
  // on swing between a fast and a slow level (by up to 40 %) for seconds at a time.
  const warmUntil = performance.now() + 3000;
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
