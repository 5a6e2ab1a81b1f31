/**
 * Retrying a SQLite statement that fails with SQLITE_BUSY where SQLite does
 * not call its busy handler itself.
 *
 * `PRAGMA journal_mode = WAL` on a file another process is switching to WAL
 * at the same moment can fail with SQLITE_BUSY at once, whatever
 * busy_timeout says (seen here: 3 of 150 races of three processes opening
 * one fresh file). Every process (server, workers, CLI) opens the store at
 * start, so a start next to another start must wait its turn, not fail.
 */

/** Waits without returning to the event loop: opening the store is synchronous, like better-sqlite3 itself. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isBusy(error: unknown): boolean {
  return typeof error === "object" && error !== null && String((error as { code?: unknown }).code).startsWith("SQLITE_BUSY");
}

/**
 * Runs `statement`, again every `pauseMs` while it fails with SQLITE_BUSY
 * (or one of its extended codes), until `timeoutMs` has passed; then the
 * last error is thrown. Any other error is thrown at once.
 */
export function retryWhileBusy<T>(statement: () => T, timeoutMs: number, pauseMs = 20): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return statement();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      sleepSync(Math.min(pauseMs, Math.max(1, deadline - Date.now())));
    }
  }
}
