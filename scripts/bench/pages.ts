/**
 * How cost grows with length: text PDFs of 1, 10 and 100 pages, assembled
 * with poppler's pdfseparate/pdfunite from the pages of the shared PDFs, read
 * (pdf.js) and extracted whole (reader + field extractors), in ms per page.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { extract } from "../../extractors/index.ts";
import { readPdf } from "../../extractors/readers/pdf.ts";
import { timeRounds } from "./readers.ts";

export interface PageGrowthRow {
  pages: number;
  readMsPerPage: number;
  extractMsPerPage: number;
  tasks: number;
}

const available = (tool: string) => spawnSync(tool, ["-v"]).status === 0;

export async function benchPageGrowth(pdfFiles: string[], sizes = [1, 10, 100]): Promise<PageGrowthRow[] | null> {
  if (!pdfFiles.length || !available("pdfseparate") || !available("pdfunite")) return null;
  const dir = mkdtempSync(join(tmpdir(), "vanthu-pages-bench-"));
  try {
    pdfFiles.forEach((file, i) => spawnSync("pdfseparate", [file, join(dir, `src${i}-p%d.pdf`)]));
    const singles = readdirSync(dir).filter((f) => f.startsWith("src")).sort().map((f) => join(dir, f));
    const rows: PageGrowthRow[] = [];
    for (const size of sizes) {
      const out = join(dir, `doc-${size}.pdf`);
      const pages = Array.from({ length: size }, (_, i) => singles[i % singles.length]!);
      // pdfunite wants at least two inputs; one page is the page itself.
      if (size === 1) spawnSync("cp", [pages[0]!, out]);
      else spawnSync("pdfunite", [...pages, out]);
      const bytes = new Uint8Array(readFileSync(out));
      const read = await timeRounds(async () => void (await readPdf(bytes)), 1500);
      let tasks = 0;
      const whole = await timeRounds(async () => void (tasks = (await extract(bytes, { fileName: out })).tasks.length), 1500);
      rows.push({ pages: size, readMsPerPage: read.msPerRound / size, extractMsPerPage: whole.msPerRound / size, tasks });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
