import { watch, type FSWatcher } from "chokidar";
import { mkdir, readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Logger } from "pino";
import type { FileArea } from "./files.ts";
import type { IngestInput, IngestResult } from "./services.ts";
import { IngestRejected } from "./ingest.ts";
import type { Config } from "../schemas/config.ts";
import type { Runtime } from "./runtime.ts";

/**
 * The clerks' drop folder. A file is taken when its size and modification time
 * have stayed the same for `stableMs` (a scanner or a copy over the network
 * writes in pieces); hidden and temporary files are left alone; a file is
 * recorded in the store BEFORE it is moved out of the inbox into the archive,
 * so a crash in between leaves it in the inbox to be taken again (same content
 * → same document). A file that could not be taken (disk full, archive
 * read-only, database away) stays in the inbox and is tried again with a
 * growing pause, since no new file event would come for it. Nothing is ever
 * deleted.
 */
export interface WatcherOptions {
  inbox: string;
  stableMs: number;
  polling: boolean;
  pollIntervalMs: number;
}

// Office lock files (~$x.docx), editor swap files, partial downloads and our own temp files.
const TEMPORARY = /(?:^~\$|^\.|\.(?:tmp|temp|part|partial|crdownload|download|swp|swx|lock)$|~$)/i;

export function isTemporaryName(name: string): boolean {
  return TEMPORARY.test(name);
}

// Pauses before trying a file again: 1 s, 2 s, 4 s … at most 15 s, so a fault
// that clears is noticed within seconds without hammering a full disk.
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 15_000;

export function startWatcher(
  options: WatcherOptions,
  deps: {
    ingest: (input: IngestInput) => Promise<IngestResult>;
    files: FileArea;
    logger: Logger;
    /** After a recorded file was moved to the archive (the runtime notes the path on the document). */
    onArchived?: (result: IngestResult, archivedPath: string) => Promise<void>;
  },
): { ready: Promise<void>; close: () => Promise<void> } {
  const inFlight = new Set<string>();
  const retries = new Map<string, { failures: number; timer: NodeJS.Timeout | null }>();
  let watcher: FSWatcher | null = null;
  let closed = false;

  const retryLater = (path: string): number => {
    const retry = retries.get(path) ?? { failures: 0, timer: null };
    retry.failures++;
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (retry.failures - 1));
    if (retry.timer) clearTimeout(retry.timer);
    retry.timer = setTimeout(() => {
      retry.timer = null;
      if (!closed) void take(path);
    }, delay);
    retries.set(path, retry);
    return delay;
  };
  const succeeded = (path: string) => {
    const retry = retries.get(path);
    if (retry?.timer) clearTimeout(retry.timer);
    retries.delete(path);
  };

  const take = async (path: string) => {
    if (inFlight.has(path)) return;
    inFlight.add(path);
    try {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return succeeded(path); // taken or removed meanwhile
        throw error;
      }
      const fileName = basename(path);
      try {
        const result = await deps.ingest({ bytes, fileName, source: "folder", metadata: { receivedAs: fileName } });
        const archived = await deps.files.archive(path);
        deps.logger.info({ file: fileName, documentId: result.document.id, archived }, result.created ? "taken from the folder" : "taken again: same content");
        succeeded(path);
        await deps.onArchived?.(result, archived);
      } catch (error) {
        if (error instanceof IngestRejected) {
          const failed = await deps.files.quarantineUnrecorded(path, { code: error.code, message: error.message });
          deps.logger.warn({ file: fileName, failed, code: error.code }, "refused: moved to failed/");
          succeeded(path);
        } else throw error;
      }
    } catch (error) {
      // Left in the inbox and tried again later (the same content is the same document).
      deps.logger.error({ file: path, err: error, retryInMs: retryLater(path) }, "could not take the file");
    } finally {
      inFlight.delete(path);
    }
  };

  const ready = (async () => {
    await mkdir(options.inbox, { recursive: true });
    watcher = watch(options.inbox, {
      depth: 0,
      ignoreInitial: false,
      usePolling: options.polling,
      interval: options.pollIntervalMs,
      awaitWriteFinish: { stabilityThreshold: options.stableMs, pollInterval: Math.min(250, Math.max(50, options.stableMs / 4)) },
      ignored: (path, stats) => isTemporaryName(basename(path)) || (stats !== undefined && !stats.isFile() && path !== options.inbox),
    });
    watcher.on("add", (path) => void take(path));
    watcher.on("change", (path) => void take(path));
    watcher.on("error", (err) => deps.logger.error({ err }, "watcher error"));
    await new Promise<void>((resolve) => watcher!.once("ready", () => resolve()));
  })();

  return {
    ready,
    async close() {
      closed = true;
      for (const retry of retries.values()) if (retry.timer) clearTimeout(retry.timer);
      retries.clear();
      await ready.catch(() => undefined);
      await watcher?.close();
      while (inFlight.size) await new Promise((r) => setTimeout(r, 20));
    },
  };
}

/**
 * The watched inbox of a running pipeline, as `vanthu run` starts it: files
 * are taken through the runtime's ingest and archived in its file area, and
 * the archiving is noted in the document's event log.
 */
export async function watchInbox(runtime: Runtime, config: Config, logger: Logger = runtime.logger): Promise<{ close(): Promise<void> }> {
  const watcher = startWatcher(
    { inbox: config.inbox!, stableMs: config.watcher.stableMs, polling: config.watcher.polling, pollIntervalMs: config.watcher.pollIntervalMs },
    {
      ingest: runtime.services.ingest,
      files: runtime.files,
      logger,
      onArchived: (result, path) => runtime.store.appendEvent(result.document.id, { type: "ARCHIVED", data: { path } }),
    },
  );
  await watcher.ready;
  return watcher;
}
