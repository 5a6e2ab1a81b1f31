/**
 * End-to-end throughput of the pipeline: N distinct letters accepted through
 * the real ingest path (original stored, document recorded, job queued),
 * extracted in the isolated workers and stored. Two shapes:
 * - embedded: SQLite and the in-process queue, the workers in this process;
 * - distributed: BullMQ on a private Redis and PostgreSQL, the workers as
 *   separate `vanthu worker` processes, so each one's peak RSS is its own
 *   (VmHWM from /proc).
 * The private services are the fault drill's (scripts/drill/processes.ts).
 * Each run first waits for one warm-up letter, so worker start-up is not
 * counted. Latency is per letter from RECEIVED to EXTRACTED as the store's
 * event log timed them, with the whole batch arriving at once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../../pipeline/config.ts";
import { createRuntime, type Runtime } from "../../pipeline/runtime.ts";
import { syntheticBatch, type BatchKind, type BatchSources } from "./inputs.ts";
import { createDatabase, PrivateRedis } from "../drill/processes.ts";

export interface PipelineBench {
  mode: string;
  kind: BatchKind;
  letters: number;
  workers: number;
  docsPerSecond: number;
  msPerLetter: number;
  p50Ms: number;
  p95Ms: number;
  /** Embedded: this whole process (producer and workers). Distributed: the largest worker process. */
  peakRssMb: number;
  rssScope: "process" | "per worker process";
}

const quiet = pino({ level: "silent" });
const root = resolve(import.meta.dirname, "../..");

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** Peak resident set of a process so far, in MB (Linux). */
function peakRssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const FINISHED_STATES = ["to_review", "failed", "approved", "delivered"] as const;

/**
 * Waits until `total` documents (every one this run's fresh store holds) have finished extraction.
 * One count by state per poll: asking after each letter in turn kept PostgreSQL and this process
 * busy enough to take CPU from the workers being measured.
 */
async function settled(runtime: Runtime, total: number): Promise<void> {
  for (;;) {
    const counts = await runtime.store.countByState();
    if (FINISHED_STATES.reduce((n, state) => n + counts[state], 0) >= total) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Accepts the batch, waits for every letter, and times it from the first acceptance. */
async function timeBatch(runtime: Runtime, kind: BatchKind, n: number, sources: BatchSources) {
  const [warm] = syntheticBatch(kind, 1, sources);
  await runtime.services.ingest({ bytes: warm!.bytes, fileName: `warm-up-${warm!.name}`, source: "folder" });
  await settled(runtime, 1);
  const batch = syntheticBatch(kind, n, sources);
  const start = performance.now();
  const ids: string[] = [];
  for (const file of batch) ids.push((await runtime.services.ingest({ bytes: file.bytes, fileName: file.name, source: "folder" })).document.id);
  await settled(runtime, 1 + n);
  const seconds = (performance.now() - start) / 1000;
  const latencies: number[] = [];
  for (const id of ids) {
    const events = await runtime.store.events(id);
    const received = events.find((e) => e.type === "RECEIVED");
    const extracted = events.find((e) => e.type === "EXTRACTED");
    if (received && extracted) latencies.push(Date.parse(extracted.at) - Date.parse(received.at));
  }
  return { docsPerSecond: n / seconds, msPerLetter: (seconds * 1000) / n, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95) };
}

export async function benchEmbedded(kind: BatchKind, workers: number, n: number, sources: BatchSources): Promise<PipelineBench> {
  const dataDir = mkdtempSync(join(tmpdir(), "vanthu-bench-"));
  const config = loadConfig({}, { dataDir, logLevel: "silent", "workers.concurrency": workers, reconcileIntervalMs: 5000 });
  const runtime = await createRuntime(config, { logger: quiet });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    await runtime.startWorkers();
    const timing = await timeBatch(runtime, kind, n, sources);
    return { mode: "embedded (SQLite, in-process queue)", kind, letters: n, workers, ...timing, peakRssMb: peakRss / 2 ** 20, rssScope: "process" };
  } finally {
    clearInterval(sampler);
    await runtime.stop();
  }
}

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [join(root, "bin/vanthu.mjs"), "worker"], {
    cwd: root,
    env: { ...process.env, VANTHU_CONCURRENCY: "1", VANTHU_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr!.on("data", () => undefined);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Null when Redis or PostgreSQL is not there to run it. */
export async function benchDistributed(kind: BatchKind, workers: number, n: number, sources: BatchSources, redis: PrivateRedis): Promise<PipelineBench | null> {
  const database = await createDatabase("bench").catch(() => null);
  if (!database) return null;
  const dataDir = mkdtempSync(join(tmpdir(), "vanthu-bench-"));
  const config = loadConfig({}, { dataDir, logLevel: "silent", redisUrl: redis.url, databaseUrl: database.url, reconcileIntervalMs: 5000 });
  const runtime = await createRuntime(config, { logger: quiet });
  const children = Array.from({ length: workers }, () =>
    startWorkerProcess({ REDIS_URL: redis.url, DATABASE_URL: database.url, VANTHU_DATA_DIR: dataDir, VANTHU_RECONCILE_INTERVAL_MS: "5000" }),
  );
  try {
    const timing = await timeBatch(runtime, kind, n, sources);
    const peakRssMb = Math.max(...children.map((c) => peakRssOf(c.pid!)));
    return { mode: "BullMQ + PostgreSQL, worker processes", kind, letters: n, workers, ...timing, peakRssMb, rssScope: "per worker process" };
  } finally {
    await Promise.all(children.map(stopProcess));
    await runtime.stop();
    await database.drop();
  }
}

export interface PipelineBenchPlan {
  /** Letters per run for the 1- and 2-worker comparisons. */
  letters: number;
  /** Batch sizes for how cost grows with volume (embedded, 2 workers, text letters). */
  growth: number[];
}

export async function benchPipeline(sources: BatchSources, plan: PipelineBenchPlan, progress: (line: string) => void): Promise<{ runs: PipelineBench[]; growth: PipelineBench[] }> {
  const runs: PipelineBench[] = [];
  const step = (row: PipelineBench | null) => {
    if (!row) return;
    runs.push(row);
    progress(`  ${row.mode}, ${row.kind}, ${row.workers} worker(s): ${row.docsPerSecond.toFixed(1)} docs/s`);
  };
  for (const kind of ["text", "pdf"] as const) for (const workers of [1, 2]) step(await benchEmbedded(kind, workers, plan.letters, sources));
  const redis = await PrivateRedis.start().catch(() => null);
  if (redis) {
    try {
      for (const kind of ["text", "pdf"] as const) for (const workers of [1, 2]) step(await benchDistributed(kind, workers, plan.letters, sources, redis));
    } finally {
      await redis.stop();
    }
  } else progress("  distributed runs skipped: no redis-server");
  const growth: PipelineBench[] = [];
  for (const n of plan.growth) {
    growth.push(await benchEmbedded("text", 2, n, sources));
    progress(`  growth: ${n} letters, ${growth.at(-1)!.msPerLetter.toFixed(2)} ms/letter`);
  }
  return { runs, growth };
}
