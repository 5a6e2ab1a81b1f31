import { describe, expect, it } from "vitest";
import { retryWhileBusy } from "../pipeline/store/sqlite-busy.ts";

function sqliteError(code: string): Error {
  return Object.assign(new Error("database is locked"), { code });
}

describe("retryWhileBusy", () => {
  it("runs the statement again while SQLite answers BUSY, and returns its result", () => {
    let calls = 0;
    const result = retryWhileBusy(() => {
      calls++;
      if (calls < 3) throw sqliteError(calls === 1 ? "SQLITE_BUSY" : "SQLITE_BUSY_RECOVERY");
      return "wal";
    }, 1000, 1);
    expect(result).toBe("wal");
    expect(calls).toBe(3);
  });

  it("throws any other error at once", () => {
    let calls = 0;
    expect(() =>
      retryWhileBusy(() => {
        calls++;
        throw sqliteError("SQLITE_CORRUPT");
      }, 1000, 1),
    ).toThrow(expect.objectContaining({ code: "SQLITE_CORRUPT" }));
    expect(calls).toBe(1);
  });

  it("gives up with the BUSY error once the timeout has passed, having waited between tries", () => {
    let calls = 0;
    const start = Date.now();
    expect(() =>
      retryWhileBusy(() => {
        calls++;
        throw sqliteError("SQLITE_BUSY");
      }, 100, 10),
    ).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    expect(Date.now() - start).toBeGreaterThanOrEqual(100);
    // Paused between tries, not spinning: about timeout / pause tries.
    expect(calls).toBeGreaterThan(2);
    expect(calls).toBeLessThan(30);
  });
});
