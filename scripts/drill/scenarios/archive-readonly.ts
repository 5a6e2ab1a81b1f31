import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DrillEnv, ScenarioSpec } from "../harness.ts";
import { MountNotPermitted, makeReadOnly } from "../mounts.ts";
import { sleep, until } from "../time.ts";

/**
 * The archive folder becomes read-only mid-batch (a read-only bind mount:
 * as root, chmod would not stop a write). A letter taken meanwhile is
 * recorded, but cannot be moved out of the watched folder: the watcher must
 * report it, keep the file where it is, and move it once the folder is
 * writable again. Recovery: from the folder writable again to the inbox empty.
 */
export function archiveReadOnly(size: { letters: number; dropSpanMs: number; faultMs: number }): ScenarioSpec {
  return {
    name: "archive-readonly",
    description: `archive folder read-only for ${size.faultMs / 1000} s mid-batch; ${size.letters} letters`,
    letters: size.letters,
    dropSpanMs: size.dropSpanMs,
    deadlineMs: size.dropSpanMs + 120_000,
    workers: 2,
    progress: "intake",
    prepare: async (dirs) => void (await mkdir(join(dirs.dataDir, "archive"), { recursive: true })),
    async inject(env) {
      await until("a third of the batch dropped", async () => env.dropper.dropped.length >= env.dropper.total / 3, size.dropSpanMs + 60_000);
      const archive = join(env.dirs.dataDir, "archive");
      const errorsBefore = env.intake.watcherErrors.length;
      const startedAt = Date.now();
      const { restore, how } = await breakFolder(archive, env);
      env.monitor.status = () => `archive ${how}`;
      await sleep(size.faultMs);
      await restore();
      const endedAt = Date.now();
      env.monitor.status = () => "archive writable again";
      env.log("archive folder writable again");
      const errors = env.intake.watcherErrors.slice(errorsBefore);
      return {
        fault: `archive ${how}, ${size.faultMs / 1000} s`,
        startedAt,
        endedAt,
        details: { watcherErrors: errors.length, errorCodes: [...new Set(errors.map((e) => e.code))] },
        problems: errors.length === 0 ? ["drill design: no letter hit the read-only archive"] : [],
      };
    },
  };
}

/** A read-only bind mount where mounting is allowed; else the archive folder replaced by a file (writes fail with ENOTDIR). */
async function breakFolder(archive: string, env: DrillEnv): Promise<{ restore: () => Promise<void>; how: string }> {
  try {
    const restore = await makeReadOnly(archive);
    env.log("archive folder is now a read-only bind mount");
    return { restore, how: "read-only (bind mount)" };
  } catch (error) {
    if (!(error instanceof MountNotPermitted)) throw error;
    env.log(`${error.message}: replacing the archive folder with a file instead`);
    await rename(archive, `${archive}.aside`);
    await writeFile(archive, "not a folder\n");
    return {
      how: "replaced by a file (ENOTDIR)",
      restore: async () => {
        await rm(archive);
        await rename(`${archive}.aside`, archive);
      },
    };
  }
}
