/**
 * Fuzzing the readers through the extraction pool: good letters (the shared
 * text letters, fixtures/docx, the shared text PDFs) are mutated at random
 * (test/support/fuzz-mutations.ts) for a bounded time, and every mutant must
 * end in a valid extraction or a named ReadError that names the file, within
 * the pool's deadline, without the process's memory running away; at the end
 * the pool must still read a good letter.
 *
 *   VANTHU_FUZZ_SEED=1234 npx vitest run test/fuzz.test.ts   # replay a run
 *   VANTHU_FUZZ_MS=300000 npx vitest run test/fuzz.test.ts   # fuzz for 5 minutes
 *
 * A failing mutant is written to the temp directory and its path printed, so
 * it can also be replayed alone: node bin/vanthu.mjs extract <path>.
 */
import { randomInt } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isReadError } from "../extractors/index.ts";
import { createExtractionPool, type ExtractionPool } from "../pipeline/isolation/index.ts";
import { ExtractionSchema } from "../schemas/extraction.ts";
import { mutate, prng, type Seed } from "./support/fuzz-mutations.ts";

const SEED = process.env.VANTHU_FUZZ_SEED ? Number(process.env.VANTHU_FUZZ_SEED) : randomInt(2 ** 31);
const BUDGET_MS = Number(process.env.VANTHU_FUZZ_MS) || 40_000;
const POOL_SIZE = 2;
/** The pool's deadline for one mutant: far above what a letter of this size takes to read. */
const TIMEOUT_MS = 20_000;
/** Each worker's memory cap. */
const MEMORY_MB = 384;
/** What an outcome may take past the deadline (a terminated worker is replaced; the machine is shared). */
const MARGIN_MS = 5_000;
/** Workers at their cap, plus room for the test process itself. */
const RSS_GROWTH_LIMIT_MB = POOL_SIZE * MEMORY_MB + 300;

const SHARED = path.join(import.meta.dirname, "../../shared/fixtures");
const DOCX = path.join(import.meta.dirname, "../fixtures/docx");

function loadSeeds(): Seed[] {
  const from = (dir: string, ext: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(dir, f))) }));
  return [...from(path.join(SHARED, "letters"), ".txt"), ...from(DOCX, ".docx"), ...from(path.join(SHARED, "pdf"), ".pdf")];
}

let pool: ExtractionPool;
let baseRss = 0;
let peakRss = 0;
let sampler: NodeJS.Timeout;
const previousOcrTimeout = process.env.VANTHU_OCR_TIMEOUT_MS;

beforeAll(async () => {
  // A mutant that loses its text layer may be sent to OCR: keep each page short (workers copy the environment).
  process.env.VANTHU_OCR_TIMEOUT_MS = "5000";
  pool = createExtractionPool({ size: POOL_SIZE, timeoutMs: TIMEOUT_MS, ocrPageTimeoutMs: 5_000, memoryMb: MEMORY_MB });
  await Promise.all(Array.from({ length: POOL_SIZE }, (_, i) => pool.extract(Buffer.from(`khởi động ${i}`), { fileName: `warm-up-${i}.txt` })));
  baseRss = peakRss = process.memoryUsage.rss();
  sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
});

afterAll(async () => {
  clearInterval(sampler);
  await pool?.close();
  if (previousOcrTimeout === undefined) delete process.env.VANTHU_OCR_TIMEOUT_MS;
  else process.env.VANTHU_OCR_TIMEOUT_MS = previousOcrTimeout;
});

/** What was wrong with one mutant's outcome, or null when it is an extraction or a named error naming the file, in time. */
function judge(name: string, outcome: { extraction?: unknown; error?: unknown }, ms: number): string | null {
  if (ms > TIMEOUT_MS + MARGIN_MS) return `took ${ms.toFixed(0)} ms, past the pool's ${TIMEOUT_MS} ms deadline`;
  if ("error" in outcome) {
    const error = outcome.error;
    if (!isReadError(error)) return `not a named error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    if (error.code === "timeout") return `hung: ${error.message}`;
    if (!error.message.startsWith(`${name}: `)) return `the error does not name the file: ${error.message}`;
    return null;
  }
  const parsed = ExtractionSchema.safeParse(outcome.extraction);
  if (!parsed.success) return `the extraction does not match its schema: ${parsed.error.message.slice(0, 500)}`;
  if (parsed.data.provenance.source.fileName !== name) return `the extraction names ${parsed.data.provenance.source.fileName}, not ${name}`;
  return null;
}

it(`mutated letters end in an extraction or a named error, in time and in bounded memory (seed ${SEED})`, async () => {
  const seeds = loadSeeds();
  expect(seeds.length).toBeGreaterThan(10);
  const random = prng(SEED);
  const started = performance.now();
  const failures: string[] = [];
  const outcomes = new Map<string, number>();
  let count = 0;
  let slowest = { ms: 0, name: "" };

  async function runOne(): Promise<void> {
    const n = ++count;
    const seed = random.pick(seeds);
    const mutant = await mutate(seed, seeds, random);
    const name = `fuzz-${SEED}-${n}${path.extname(seed.name)}`;
    const t = performance.now();
    const outcome = await pool.extract(mutant.bytes, { fileName: name }).then(
      (extraction) => ({ extraction }),
      (error: unknown) => ({ error }),
    );
    const ms = performance.now() - t;
    if (ms > slowest.ms) slowest = { ms, name: `${name} (${seed.name}: ${mutant.how.join(", ")})` };
    const code = "error" in outcome ? (isReadError(outcome.error) ? outcome.error.code : "unnamed") : "ok";
    outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
    const problem = judge(name, outcome, ms);
    if (problem) {
      const saved = path.join(tmpdir(), name);
      writeFileSync(saved, mutant.bytes);
      failures.push(`#${n} from ${seed.name} by ${mutant.how.join(" + ")}: ${problem}\n    saved as ${saved}`);
    }
  }

  // As many mutants in flight as the pool has workers, until the budget is spent.
  await Promise.all(
    Array.from({ length: POOL_SIZE }, async () => {
      while (performance.now() - started < BUDGET_MS) await runOne();
    }),
  );

  const growthMb = (peakRss - baseRss) / 1024 / 1024;
  console.log(
    [
      `fuzz: seed ${SEED} (replay: VANTHU_FUZZ_SEED=${SEED}), ${count} mutants in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      `  outcomes: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}`,
      `  slowest: ${slowest.ms.toFixed(0)} ms, ${slowest.name}`,
      `  peak RSS growth (workers included): ${growthMb.toFixed(0)} MB; workers started: ${pool.stats().started}`,
      ...failures.map((f) => `  FAILED ${f}`),
    ].join("\n"),
  );
  expect(count).toBeGreaterThan(0);
  expect(failures, `seed ${SEED}: ${failures.length} mutant(s) failed`).toEqual([]);
  expect(growthMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);

  // The pool survived it all: a good letter is still read.
  const letter = readFileSync(path.join(SHARED, "letters/cv-454-ubnd-haugiang-2011.txt"));
  const extraction = await pool.extract(letter, { fileName: "after-fuzz.txt" });
  expect(extraction.document.number).toBe("454");
}, BUDGET_MS + 4 * (TIMEOUT_MS + MARGIN_MS) + 60_000);
