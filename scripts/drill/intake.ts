import { createWriteStream } from "node:fs";
import { pino } from "pino";
import { loadConfig } from "../../pipeline/config.ts";
import { createRuntime, type Runtime } from "../../pipeline/runtime.ts";
import { watchInbox } from "../../pipeline/watcher.ts";
import { onCleanup } from "./cleanup.ts";

/**
 * The clerks' side, hosted in the drill process: the pipeline runtime as a
 * producer (store + queues, no workers: the `vanthu worker` processes do the
 * work) and the watched folder wired exactly as `vanthu run` wires it. Its
 * JSON log goes to a file, and the watcher's "could not take the file" errors
 * are collected, since reporting them is part of what a drill checks.
 */
export interface WatcherError {
  at: number;
  file: string;
  code: string;
  message: string;
}

export interface Intake {
  runtime: Runtime;
  readonly watcherErrors: WatcherError[];
  stop(): Promise<void>;
}

export async function startIntake(options: { dataDir: string; inbox: string; redisUrl: string; databaseUrl: string; logFile: string }): Promise<Intake> {
  const watcherErrors: WatcherError[] = [];
  const file = createWriteStream(options.logFile);
  const logger = pino(
    { name: "vanthu-intake", level: "info" },
    {
      write(line: string) {
        file.write(line);
        if (!line.includes('"could not take the file"')) return;
        try {
          const entry = JSON.parse(line) as { file?: string; err?: { code?: string; message?: string } };
          watcherErrors.push({ at: Date.now(), file: entry.file ?? "?", code: entry.err?.code ?? "?", message: entry.err?.message ?? "" });
        } catch {
          watcherErrors.push({ at: Date.now(), file: "?", code: "?", message: line.slice(0, 200) });
        }
      },
    },
  );
  const config = loadConfig(
    {},
    {
      dataDir: options.dataDir,
      inbox: options.inbox,
      redisUrl: options.redisUrl,
      databaseUrl: options.databaseUrl,
      "watcher.stableMs": 300,
      "watcher.pollIntervalMs": 100,
      logLevel: "info",
    },
  );
  const runtime = await createRuntime(config, { logger });
  const watcher = await watchInbox(runtime, config, logger);
  const stop = onCleanup("intake runtime", async () => {
    await watcher.close();
    await runtime.stop();
    await new Promise<void>((resolve) => file.end(() => resolve()));
  });
  return { runtime, watcherErrors, stop };
}
