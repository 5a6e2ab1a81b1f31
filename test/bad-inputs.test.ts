/**
 * The bad-input corpus (fixtures/bad/, made by fixtures/make-bad-inputs.ts and
 * fixtures/make-docx.ts): every file goes through the extraction pool and must
 * end in the outcome EXPECTED.json names, in time, without taking the process
 * down or its memory up.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extract, isReadError } from "../extractors/index.ts";
import { createExtractionPool, type ExtractionPool } from "../pipeline/isolation/index.ts";
import { ExtractionSchema } from "../schemas/extraction.ts";

const BAD = path.join(import.meta.dirname, "../fixtures/bad");

interface Expected {
  ok?: true;
  error?: string;
  accept?: string[];
  says?: string;
  format?: string;
  encoding?: string;
  fileNames?: string[];
  maxMs?: number;
  note?: string;
}

const EXPECTED = JSON.parse(readFileSync(path.join(BAD, "EXPECTED.json"), "utf8")) as Record<string, Expected>;
/** Time to the outcome of one file, unless EXPECTED.json says otherwise. Generous: CI machines are shared. */
const DEFAULT_MAX_MS = 15_000;
/** The pool's own deadline for these files: every expected outcome comes well before it. */
const POOL_TIMEOUT_MS = 30_000;
const RSS_GROWTH_LIMIT_MB = 500;

let pool: ExtractionPool;
let baseRss = 0;
let peakRss = 0;
let sampler: NodeJS.Timeout;
const report: string[] = [];

beforeAll(async () => {
  pool = createExtractionPool({ size: 2, timeoutMs: POOL_TIMEOUT_MS, memoryMb: 512 });
  // Start both workers before measuring, so their start-up is not counted as growth.
  await Promise.all([0, 1].map((i) => pool.extract(Buffer.from(`khởi động ${i}`), { fileName: `warm-up-${i}.txt` })));
  baseRss = peakRss = process.memoryUsage.rss();
  sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
});

afterAll(async () => {
  clearInterval(sampler);
  await pool?.close();
  if (report.length) console.log(["bad inputs through the pool:", ...report].join("\n"));
});

describe("the corpus", () => {
  it("lists every file in fixtures/bad, and only those", () => {
    const files = readdirSync(BAD).filter((f) => f !== "EXPECTED.json").sort();
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  it("stays small on disk (under 5 MB)", () => {
    const total = readdirSync(BAD).reduce((n, f) => n + readFileSync(path.join(BAD, f)).length, 0);
    expect(total).toBeLessThan(5 * 1024 * 1024);
  });
});

describe.each(Object.entries(EXPECTED))("%s", (file, expected) => {
  const bytes = () => new Uint8Array(readFileSync(path.join(BAD, file)));
  const maxMs = expected.maxMs ?? DEFAULT_MAX_MS;

  it(expected.ok ? "is read" : `ends in ${expected.error}`, async () => {
    const start = performance.now();
    const outcome = await pool.extract(bytes(), { fileName: file }).then(
      (extraction) => ({ extraction, error: undefined }),
      (error: unknown) => ({ extraction: undefined, error }),
    );
    const ms = performance.now() - start;
    const { extraction, error } = outcome;
    report.push(`  ${file.padEnd(34)} ${(extraction ? "ok" : isReadError(error) ? error.code : "NOT NAMED").padEnd(20)} ${ms.toFixed(0).padStart(6)} ms`);

    if (error !== undefined) {
      expect(isReadError(error), `${file}: not a named error: ${String(error)}`).toBe(true);
      if (!isReadError(error)) return;
      expect(expected.ok, `${file} failed with ${error.code}: ${error.message}`).toBeUndefined();
      expect([expected.error, ...(expected.accept ?? [])], error.message).toContain(error.code);
      expect(error.fileName).toBe(file);
      expect(error.message.startsWith(`${file}: `)).toBe(true);
      if (expected.says) expect(error.message.toLowerCase()).toContain(expected.says.toLowerCase());
    } else {
      expect(expected.ok, `${file} was read, expected ${expected.error}`).toBe(true);
      expect(ExtractionSchema.safeParse(extraction).success).toBe(true);
      expect(extraction!.provenance.source.fileName).toBe(file);
      if (expected.format) expect(extraction!.provenance.source.format).toBe(expected.format);
      if (expected.encoding) expect(extraction!.provenance.source.encoding).toBe(expected.encoding);
    }
    expect(ms).toBeLessThan(maxMs);
  });

  if (expected.fileNames) {
    it.each(expected.fileNames.map((name) => [JSON.stringify(name.length > 40 ? `${name.slice(0, 12)}…(${name.length})` : name), name]))(
      "is read under the name %s, which stays metadata",
      async (_label, name) => {
        const extraction = await pool.extract(bytes(), { fileName: name });
        expect(extraction.provenance.source.fileName).toBe(name);
        // Nothing was written where the name points (relative to the working directory and to the fixture).
        if (!name.includes("\u0000")) {
          expect(existsSync(path.resolve(name))).toBe(name === "/dev/zero");
          expect(existsSync(path.resolve(BAD, name))).toBe(name === "/dev/zero");
        }
        const inProcess = await extract(bytes(), { fileName: name });
        expect(extraction).toEqual(inProcess);
      },
    );
  }
});

describe("after the whole corpus", () => {
  it("the process is alive, the pool still extracts, and RSS grew less than 500 MB", async () => {
    const letter = readFileSync(path.join(BAD, "hostile-names.txt"));
    const extraction = await pool.extract(letter, { fileName: "after.txt" });
    expect(extraction.document.number).toBe("454");
    const growthMb = (peakRss - baseRss) / 1024 / 1024;
    report.push(`  peak RSS growth of the process (workers included): ${growthMb.toFixed(0)} MB`);
    expect(growthMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);
  });
});

describe("the CVE-2024-4367 FontMatrix payload", () => {
  const marker = "__vanthuCve20244367";

  // After the RSS check: pdf.js loaded into this process would count as growth.
  it("does not run when the PDF is read in this process either (isEvalSupported: false, no glyph compiled)", async () => {
    const bytes = new Uint8Array(readFileSync(path.join(BAD, "cve-2024-4367-fontmatrix.pdf")));
    expect(new TextDecoder("latin1").decode(bytes)).toContain(`globalThis.${marker} = 1`);
    await extract(bytes, { fileName: "cve.pdf" }).catch((error: unknown) => {
      if (!isReadError(error)) throw error;
    });
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
  });
});

describe.each([
  ["javascript-actions.pdf", "__vanthuPdfScript"],
  ["letter.html", "__vanthuHtml"],
])("the script in %s", (file, marker) => {
  it("does not run when the file is read in this process", async () => {
    const bytes = new Uint8Array(readFileSync(path.join(BAD, file)));
    expect(new TextDecoder("latin1").decode(bytes)).toContain(marker);
    const extraction = await extract(bytes, { fileName: file });
    expect(extraction.provenance.source.fileName).toBe(file);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
  });
});
