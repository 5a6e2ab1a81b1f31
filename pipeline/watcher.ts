import { watch, type FSWatcher } from "chokidar";
import { mkdir, readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Logger } from "pino";
import type { FileArea } from "./files.ts";
import type { IngestInput, IngestResult } from "./services.ts";
import { IngestRejected } from "./ingest.ts";

/**
 * The clerks' drop folder. A file is taken when its size and modification time
 * have stayed the same for `stableMs` (a scanner or a copy over the network
 * writes in pieces); hidden and temporary files are left alone; a file is
 * recorded in the store BEFORE it is moved out of the inbox into the archive,
 * so a crash in between leaves it in the inbox to be taken again (same content
 * → same document). Nothing is ever deleted.
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
  let watcher: FSWatcher | null = null;

  const take = async (path: string) => {
    if (inFlight.has(path)) return;
    inFlight.add(path);
    try {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // taken or removed meanwhile
        throw error;
      }
      const fileName = basename(path);
      try {
        const result = await deps.ingest({ bytes, fileName, source: "folder", metadata: { receivedAs: fileName } });
        const archived = await deps.files.archive(path);
        deps.logger.info({ file: fileName, documentId: result.document.id, archived }, result.created ? "taken from the folder" : "taken again: same content");
        await deps.onArchived?.(result, archived);
      } catch (error) {
        if (error instanceof IngestRejected) {
          const failed = await deps.files.quarantineUnrecorded(path, { code: error.code, message: error.message });
          deps.logger.warn({ file: fileName, failed, code: error.code }, "refused: moved to failed/");
        } else throw error;
      }
    } catch (error) {
      // Left in the inbox: the next scan (or restart) tries again.
      deps.logger.error({ file: path, err: error }, "could not take the file");
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
      await ready.catch(() => undefined);
      await watcher?.close();
      while (inFlight.size) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
