/**
 * Everything the drill starts (child processes, mounts, databases, servers)
 * registers how to undo it here. `runCleanups` runs them newest first, each
 * once, and is called from the scenarios' finally blocks and from the signal
 * handlers, so an interrupted or failing drill leaves nothing behind.
 */
type Cleanup = { label: string; run: () => Promise<void> | void };

const pending: Cleanup[] = [];
let shuttingDown = false;

/** Throws once the drill is shutting down, so a scenario still running cannot start what cleanup just stopped. */
export function assertNotShuttingDown(what: string): void {
  if (shuttingDown) throw new Error(`not starting ${what}: the drill is shutting down`);
}

/** Registers an undo step; the returned function runs it now (once) and unregisters it. */
export function onCleanup(label: string, run: () => Promise<void> | void): () => Promise<void> {
  const entry: Cleanup = { label, run };
  pending.push(entry);
  return async () => {
    const index = pending.indexOf(entry);
    if (index === -1) return;
    pending.splice(index, 1);
    await entry.run();
  };
}

/** Runs every registered undo step, newest first; a failing step is reported and the others still run. */
export async function runCleanups(): Promise<void> {
  while (pending.length) {
    const entry = pending.pop()!;
    try {
      // Bounded: a step stuck on a dead service must not keep the others from running.
      await Promise.race([entry.run(), new Promise((_, reject) => setTimeout(() => reject(new Error("did not finish in 15 s")), 15_000).unref())]);
    } catch (error) {
      console.error(`drill cleanup: ${entry.label}: ${(error as Error).message}`);
    }
  }
}

/** Ctrl-C, a kill, or a crash of the drill itself: undo everything, then exit. */
export function cleanupOnExit(): void {
  let exiting = false;
  const bail = (reason: string, code: number) => {
    if (exiting) return;
    exiting = true;
    shuttingDown = true;
    console.error(`drill: ${reason}: cleaning up`);
    void runCleanups().finally(() => process.exit(code));
  };
  // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal, and relayed by tsx),
  // and a second signal with no listener would kill it in the middle of cleaning up.
  process.on("SIGINT", () => bail("interrupted", 130));
  process.on("SIGTERM", () => bail("terminated", 143));
  process.on("uncaughtException", (error) => {
    console.error(error);
    bail("uncaught exception", 1);
  });
  process.on("unhandledRejection", (error) => {
    console.error(error);
    bail("unhandled rejection", 1);
  });
}
