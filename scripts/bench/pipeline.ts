/**
 * End-to-end throughput of the pipeline: N distinct text letters accepted
 * (the moment a watched file is stable and recorded), queued, extracted in
 * the isolated workers and stored, on the embedded default (SQLite,
 * in-process queue) and, when Redis and PostgreSQL answer, on BullMQ with 1
 * and 2 workers. Latency is per letter from RECEIVED to EXTRACTED as the
 * store's event log timed them.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { loadConfig } from "../../pipeline/config.ts";
import { createRuntime } from "../../pipeline/runtime.ts";

export interface PipelineBench {
  mode: string;
  letters: number;
  workers: number;
  docsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  peakRssMb: number;
}

const quiet = pino({ level: "silent" });

function letters(lettersDir: string, n: number): Buffer[] {
  const texts = readdirSync(lettersDir).filter((f) => f.endsWith(".txt")).sort().map((f) => readFileSync(join(lettersDir, f), "utf8"));
  return Array.from({ length: n }, (_, i) => Buffer.from(`${texts[i % texts.length]}\n\n(bản số ${i} ${randomBytes(4).toString("hex")})\n`));
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function runOnce(mode: string, overrides: Record<string, unknown>, workers: number, n: number, lettersDir: string): Promise<PipelineBench> {
  const dataDir = mkdtempSync(join(tmpdir(), "vanthu-bench-"));
  const config = loadConfig({}, { dataDir, logLevel: "silent", "workers.concurrency": workers, reconcileIntervalMs: 5000, ...overrides });
  const runtime = await createRuntime(config, { logger: quiet });
  const batch = letters(lettersDir, n);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    await runtime.startWorkers();
    const before = await runtime.store.countByState();
    const done = (c: Record<string, number>) => c.to_review! + c.failed! - before.to_review - before.failed;
    const start = performance.now();
    const ids: string[] = [];
    for (const [i, bytes] of batch.entries()) ids.push((await runtime.services.ingest({ bytes, fileName: `letter-${i}.txt`, source: "folder" })).document.id);
    for (;;) {
      const counts = await runtime.store.countByState();
      if (done(counts) >= n) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - start) / 1000;
    const latencies: number[] = [];
    for (const id of ids) {
      const events = await runtime.store.events(id);
      const received = events.find((e) => e.type === "RECEIVED");
      const extracted = events.find((e) => e.type === "EXTRACTED");
      if (received && extracted) latencies.push(Date.parse(extracted.at) - Date.parse(received.at));
    }
    return { mode, letters: n, workers, docsPerSecond: n / seconds, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), peakRssMb: peakRss / 2 ** 20 };
  } finally {
    clearInterval(sampler);
    await runtime.stop();
  }
}

async function postgresDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> } | null> {
  try {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const name = `vanthu_bench_${randomBytes(4).toString("hex")}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return {
      url: adminUrl.replace(/\/[^/]*$/, `/${name}`),
      async drop() {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  } catch {
    return null;
  }
}

export async function benchPipeline(lettersDir: string, n = 500): Promise<PipelineBench[]> {
  const rows: PipelineBench[] = [];
  for (const workers of [1, 2]) rows.push(await runOnce("embedded (SQLite, in-process queue)", {}, workers, n, lettersDir));
  const redisUrl = process.env.VANTHU_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/15";
  for (const workers of [1, 2]) {
    // A fresh database per run, so one run's documents never count for the next.
    const database = await postgresDatabase(process.env.VANTHU_BENCH_PG_ADMIN ?? "postgres://root@127.0.0.1:5432/postgres");
    if (!database) break;
    try {
      rows.push(await runOnce("BullMQ + PostgreSQL", { redisUrl, databaseUrl: database.url }, workers, n, lettersDir));
    } catch (error) {
      console.warn(`BullMQ bench skipped: ${(error as Error).message}`);
    } finally {
      await database.drop();
    }
  }
  return rows;
}
