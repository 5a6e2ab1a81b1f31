import type { ScenarioSpec } from "../harness.ts";
import { fillUp, mountTmpfs } from "../mounts.ts";
import { sleep, until } from "../time.ts";

/**
 * The data folder (originals, archive) lives on a small volume (a tmpfs), which
 * fills up mid-batch. A letter that cannot be stored must not be recorded,
 * must stay in the watched folder, be reported, and be taken once space is
 * back. Recovery: from space freed to the inbox empty and all settled.
 */
export function diskFull(size: { letters: number; dropSpanMs: number; faultMs: number; volumeMb: number }): ScenarioSpec {
  return {
    name: "disk-full",
    description: `data folder on a ${size.volumeMb} MB volume, full for ${size.faultMs / 1000} s mid-batch; ${size.letters} letters`,
    letters: size.letters,
    dropSpanMs: size.dropSpanMs,
    deadlineMs: size.dropSpanMs + 120_000,
    workers: 2,
    progress: "intake",
    // Not permitted to mount: the harness skips the drill and says why (filling the real disk is no option).
    prepare: async (dirs) => void (await mountTmpfs(dirs.dataDir, size.volumeMb)),
    async inject(env) {
      await until("a third of the batch dropped", async () => env.dropper.dropped.length >= env.dropper.total / 3, size.dropSpanMs + 60_000);
      const errorsBefore = env.intake.watcherErrors.length;
      const startedAt = Date.now();
      const filler = await fillUp(env.dirs.dataDir);
      env.log(`data volume filled (${(filler.bytes / 2 ** 20).toFixed(1)} MB of filler)`);
      env.monitor.status = () => "data volume FULL";
      await sleep(size.faultMs);
      await filler.free();
      const endedAt = Date.now();
      env.monitor.status = () => "space back";
      env.log("filler removed: space back");
      const errors = env.intake.watcherErrors.slice(errorsBefore);
      return {
        fault: `data volume full, ${size.faultMs / 1000} s`,
        startedAt,
        endedAt,
        details: { fillerBytes: filler.bytes, watcherErrors: errors.length, errorCodes: [...new Set(errors.map((e) => e.code))] },
        problems: errors.length === 0 ? ["drill design: no letter hit the full volume"] : [],
      };
    },
  };
}
