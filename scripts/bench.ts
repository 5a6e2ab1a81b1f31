/**
 * `npm run bench`: throughput of the extractor alone on the shared text
 * letters and on synthetic letters built from them (renumbered, repeated
 * sections) to see how cost grows with length. Prints a table and writes
 * bench-results/bench.json. Figures, not assertions: speed goals are read
 * here, never timed inside unit tests.
 */
import { readFileSync, readdirSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { extractFromText } from "../extractors/index.ts";

const root = resolve(import.meta.dirname, "..");
const lettersDir = resolve(root, "../shared/fixtures/letters");
if (!existsSync(lettersDir)) {
  console.error(`bench: ${lettersDir} not found (the shared fixtures sit beside the project)`);
  process.exit(1);
}
const letters = readdirSync(lettersDir)
  .filter((f) => f.endsWith(".txt"))
  .sort()
  .map((f) => readFileSync(join(lettersDir, f), "utf8"));

/** A letter renumbered so no two synthetic letters are the same text. */
function variant(text: string, i: number): string {
  return text.replace(/Số:\s*[^\n/]*\//u, `Số: ${1000 + i}/`);
}

function measure(label: string, texts: string[], minMs = 1500): { label: string; letters: number; perSecond: number; msPerLetter: number; kbPerLetter: number } {
  for (const t of texts.slice(0, 20)) extractFromText(t); // warm-up: JIT and regex compilation
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

const rows = [
  measure("shared text letters", letters),
  measure("synthetic x10 (renumbered)", Array.from({ length: 10 }, (_, i) => letters.map((l) => variant(l, i))).flat()),
  measure("long letters (body x4)", letters.map((l) => l + "\n\n" + l.split("\n").slice(8).join("\n").repeat(3))),
];

const fmt = (n: number, d = 1) => n.toFixed(d).padStart(10);
console.log("Extractor alone, one core (node " + process.version + ")");
console.log("set".padEnd(30) + "letters".padStart(10) + "letters/s".padStart(10) + "ms/letter".padStart(10) + "KB/letter".padStart(10));
for (const r of rows) console.log(r.label.padEnd(30) + String(r.letters).padStart(10) + fmt(r.perSecond, 0) + fmt(r.msPerLetter, 3) + fmt(r.kbPerLetter, 1));

mkdirSync(join(root, "bench-results"), { recursive: true });
const file = join(root, "bench-results/bench.json");
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, extractor: rows }, null, 2) + "\n");
console.log(`\nwritten ${file}`);
