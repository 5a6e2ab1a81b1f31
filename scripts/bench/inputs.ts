/**
 * Synthetic batches for volume, made from the fixtures: every copy differs in
 * content (the pipeline treats identical bytes as one document), but reads as
 * the letter it came from.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

export interface BenchFile {
  name: string;
  bytes: Buffer;
}

export type BatchKind = "text" | "pdf";

function filesIn(dir: string, ext: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => join(dir, f)) : [];
}

/** Text letters with a copy number of their own at the end. */
function textCopies(lettersDir: string, n: number): BenchFile[] {
  const texts = filesIn(lettersDir, ".txt").map((f) => readFileSync(f, "utf8"));
  return Array.from({ length: n }, (_, i) => ({
    name: `letter-${i}.txt`,
    bytes: Buffer.from(`${texts[i % texts.length]}\n\n(bản số ${i} ${randomBytes(4).toString("hex")})\n`),
  }));
}

/**
 * Text PDFs (the shared real ones and the generated seed letters) with a PDF
 * comment after %%EOF: readers ignore it, so every copy is read in full.
 */
function pdfCopies(pdfDirs: string[], n: number): BenchFile[] {
  const pdfs = pdfDirs.flatMap((dir) => filesIn(dir, ".pdf")).map((f) => readFileSync(f));
  if (!pdfs.length) return [];
  return Array.from({ length: n }, (_, i) => ({
    name: `letter-${i}.pdf`,
    bytes: Buffer.concat([pdfs[i % pdfs.length]!, Buffer.from(`\n%vanthu bench copy ${i} ${randomBytes(4).toString("hex")}\n`)]),
  }));
}

export interface BatchSources {
  lettersDir: string;
  pdfDirs: string[];
}

export function syntheticBatch(kind: BatchKind, n: number, sources: BatchSources): BenchFile[] {
  return kind === "text" ? textCopies(sources.lettersDir, n) : pdfCopies(sources.pdfDirs, n);
}
