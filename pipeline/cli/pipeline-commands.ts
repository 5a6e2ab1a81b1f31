import type { Config } from "../../schemas/config.ts";
import { DOCUMENT_STATES } from "../../schemas/document.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { createRuntime, type Runtime } from "../runtime.ts";
import { watchInbox } from "../watcher.ts";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CommandIO } from "./io.ts";

/**
 * The long-running commands: `vanthu run` (folder + server + workers, one
 * process) and `vanthu worker` (workers only), and the operator's `status` and
 * `requeue`.
 */
export interface RunOptions {
  /** Stop once the inbox is empty and every job has finished (batch use, tests, benchmarks). */
  untilIdle?: boolean;
  http?: boolean;
  watch?: boolean;
}

function configOrExit(io: CommandIO, overrides: Record<string, unknown> = {}): Config | null {
  try {
    return loadConfig(process.env, overrides);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`vanthu: ${error.message}\n`);
      return null;
    }
    throw error;
  }
}

export async function runPipeline(options: RunOptions, io: CommandIO): Promise<number> {
  const config = configOrExit(io);
  if (!config) return EXIT_USAGE;
  const runtime = await createRuntime(config);
  const { logger } = runtime;
  const stops: (() => Promise<void>)[] = [];
  await runtime.startWorkers();
  if (options.watch !== false && config.watcher.enabled) {
    const watcher = await watchInbox(runtime, config);
    stops.push(watcher.close);
  }
  if (options.http !== false && !options.untilIdle) {
    const { startHttp } = await import("../server/listen.ts");
    const close = await startHttp(runtime.services);
    stops.push(close);
  }
  logger.info(
    { dataDir: config.dataDir, inbox: config.inbox, store: config.databaseUrl ? "postgresql" : "sqlite", queue: runtime.queues.kind },
    "vanthu is running",
  );

  if (options.untilIdle) {
    await waitUntilIdle(runtime, config);
    for (const stop of stops.reverse()) await stop();
    const line = await summary(runtime.services.store);
    await runtime.stop();
    io.stderr(`${line}\n`);
    return EXIT_OK;
  }
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, "stopping");
      resolve();
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  });
  for (const stop of stops.reverse()) await stop();
  await runtime.stop();
  return EXIT_OK;
}

/** Idle: nothing left in the inbox, no job queued or running, no document mid-extraction. */
async function waitUntilIdle(runtime: Runtime, config: Config): Promise<void> {
  const { readdir } = await import("node:fs/promises");
  const { isTemporaryName } = await import("../watcher.ts");
  for (;;) {
    await new Promise((r) => setTimeout(r, Math.max(200, config.watcher.stableMs)));
    const waiting = (await readdir(config.inbox!).catch(() => [] as string[])).filter((n) => !isTemporaryName(n));
    if (waiting.length) continue;
    await runtime.queues.idle();
    const counts = await runtime.store.countByState();
    if (counts.received === 0 && counts.extracting === 0) return;
  }
}

export async function runWorker(io: CommandIO): Promise<number> {
  const config = configOrExit(io);
  if (!config) return EXIT_USAGE;
  if (!config.redisUrl) {
    io.stderr("vanthu: `vanthu worker` shares the work of a `vanthu run` through Redis: set REDIS_URL (and DATABASE_URL)\n");
    return EXIT_USAGE;
  }
  const runtime = await createRuntime(config);
  await runtime.startWorkers();
  runtime.logger.info({ concurrency: config.workers.concurrency }, "worker started");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await runtime.stop();
  return EXIT_OK;
}

async function summary(store: Runtime["store"]): Promise<string> {
  const counts = await store.countByState();
  return DOCUMENT_STATES.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(", ") || "no documents";
}

export async function runStatus(options: { json?: boolean }, io: CommandIO): Promise<number> {
  const config = configOrExit(io, { "watcher.enabled": false });
  if (!config) return EXIT_USAGE;
  const runtime = await createRuntime(config);
  try {
    const documents = await runtime.store.countByState();
    const queues = await runtime.queues.counts();
    if (options.json) io.stdout(JSON.stringify({ documents, queues, queue: runtime.queues.kind }, null, 2) + "\n");
    else {
      io.stdout(`documents (${config.databaseUrl ? "PostgreSQL" : config.dataDir})\n`);
      for (const state of DOCUMENT_STATES) io.stdout(`  ${state.padEnd(16)} ${documents[state]}\n`);
      io.stdout(`queues (${runtime.queues.kind})\n`);
      for (const [name, counts] of Object.entries(queues)) io.stdout(`  ${name.padEnd(16)} ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")}\n`);
    }
    return EXIT_OK;
  } finally {
    await runtime.stop();
  }
}

export async function runRequeue(target: { id?: string; failed?: boolean }, io: CommandIO): Promise<number> {
  if (!target.id && !target.failed) {
    io.stderr("vanthu: requeue needs a document id or --failed\n");
    return EXIT_USAGE;
  }
  const config = configOrExit(io);
  if (!config) return EXIT_USAGE;
  const runtime = await createRuntime(config);
  try {
    const documents = target.id
      ? [await runtime.store.getDocument(target.id)].filter((d) => d !== null)
      : (await runtime.store.listDocuments({ state: "failed", limit: 500, offset: 0 })).items;
    if (target.id && !documents.length) {
      io.stderr(`vanthu: no document ${target.id}\n`);
      return EXIT_FAILED;
    }
    let count = 0;
    for (const document of documents) {
      if (document.state !== "failed") {
        io.stderr(`vanthu: ${document.id} is ${document.state}, not failed: left as it is\n`);
        continue;
      }
      const moved = await runtime.store.transition(document.id, "failed", "received", { type: "REQUEUE", data: { by: "cli" } }, { errorCode: null, errorMessage: null });
      if (moved) {
        await runtime.queues.enqueueExtract({ documentId: document.id, contentHash: document.contentHash }, { force: true });
        count++;
      }
    }
    io.stdout(`${count} requeued\n`);
    return EXIT_OK;
  } finally {
    await runtime.stop();
  }
}
