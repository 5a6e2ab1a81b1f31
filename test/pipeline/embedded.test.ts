import { describe, it, expect, afterEach } from "vitest";
import { mkdir, readdir, readFile, writeFile, appendFile } from "node:fs/promises";
import { join } from "node:path";
import { createRuntime, type Runtime } from "../../pipeline/runtime.ts";
import { startWatcher } from "../../pipeline/watcher.ts";
import { distinctLetters, dropInto, quietLogger, tempDir, testConfig, waitFor } from "./helpers.ts";

/**
 * The embedded default (SQLite file, in-process jobs) end to end through the
 * watched folder: what `vanthu run` does on a fresh machine.
 */
const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!();
});

async function start(dataDir: string, overrides: Record<string, unknown> = {}) {
  const config = testConfig(dataDir, overrides);
  const runtime = await createRuntime(config, { logger: quietLogger });
  await runtime.startWorkers();
  const watcher = startWatcher(
    { inbox: config.inbox!, stableMs: config.watcher.stableMs, polling: false, pollIntervalMs: 100 },
    {
      ingest: runtime.services.ingest,
      files: runtime.files,
      logger: quietLogger,
      onArchived: (result, path) => runtime.store.appendEvent(result.document.id, { type: "ARCHIVED", data: { path } }),
    },
  );
  await watcher.ready;
  const stop = async () => {
    await watcher.close();
    await runtime.stop();
  };
  running.push(stop);
  return { runtime, config, stop };
}

async function settled(runtime: Runtime, expected: number) {
  return waitFor(`${expected} documents settled`, async () => {
    const counts = await runtime.store.countByState();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return total >= expected && counts.received === 0 && counts.extracting === 0 ? counts : null;
  }, 60_000);
}

describe("embedded pipeline (SQLite, in-process jobs)", () => {
  it("takes 50 letters from the folder, extracts every one, and archives the originals", async () => {
    const dataDir = await tempDir("embedded");
    const { runtime, config } = await start(dataDir);
    const letters = await distinctLetters(50);
    await dropInto(config.inbox!, letters);
    const counts = await settled(runtime, 50);
    expect(counts.to_review).toBe(50);
    expect(counts.failed).toBe(0);
    expect(await readdir(config.inbox!)).toEqual([]);
    const { items } = await runtime.store.listDocuments({ limit: 100, offset: 0 });
    expect(new Set(items.map((d) => d.contentHash)).size).toBe(50);
    // Every document has its extraction and its archived file.
    for (const d of items.slice(0, 5)) {
      const extraction = await runtime.store.latestExtraction(d.id);
      expect(extraction?.extraction.tasks.length).toBeGreaterThan(0);
      const archived = (await runtime.store.events(d.id)).find((e) => e.type === "ARCHIVED");
      expect(String(archived?.data.path)).toContain(join(dataDir, "archive"));
    }
    // Copies of the same letter (same issuer, number, symbol, year) are linked as duplicates, not merged.
    expect(items.filter((d) => d.duplicateOf).length).toBeGreaterThan(0);
  }, 90_000);

  it("the same content dropped twice is one document", async () => {
    const dataDir = await tempDir("same");
    const { runtime, config } = await start(dataDir);
    const [letter] = await distinctLetters(1);
    await writeFile(join(config.inbox!, "a.txt"), letter!.text);
    await settled(runtime, 1);
    await writeFile(join(config.inbox!, "copy of a.txt"), letter!.text);
    await waitFor("the copy taken", async () => (await readdir(config.inbox!)).length === 0);
    const { items, total } = await runtime.store.listDocuments({ limit: 10, offset: 0 });
    expect(total).toBe(1);
    expect(items[0]!.fileName).toBe("a.txt");
    const archived = await readdir(join(dataDir, "archive"), { recursive: true });
    expect(archived.filter((f) => f.endsWith(".txt")).sort()).toEqual(expect.arrayContaining([expect.stringContaining("a.txt"), expect.stringContaining("copy of a.txt")]));
  }, 30_000);

  it("waits for a half-written file to be complete before taking it", async () => {
    const dataDir = await tempDir("half");
    const { runtime, config } = await start(dataDir, { "watcher.stableMs": 800 });
    const [letter] = await distinctLetters(1);
    const text = letter!.text;
    const path = join(config.inbox!, "scanning.txt");
    await writeFile(path, text.slice(0, 200));
    for (let i = 200; i < text.length; i += 400) {
      await new Promise((r) => setTimeout(r, 150));
      await appendFile(path, text.slice(i, i + 400));
    }
    await settled(runtime, 1);
    const { items, total } = await runtime.store.listDocuments({ limit: 10, offset: 0 });
    expect(total).toBe(1);
    expect(items[0]!.size).toBe(Buffer.byteLength(text));
  }, 30_000);

  it("quarantines bad files with their reason and goes on with the rest", async () => {
    const dataDir = await tempDir("bad");
    const { runtime, config } = await start(dataDir);
    const letters = await distinctLetters(3);
    await writeFile(join(config.inbox!, "empty.txt"), "");
    await writeFile(join(config.inbox!, "noise.pdf"), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256)));
    await dropInto(config.inbox!, letters);
    const counts = await settled(runtime, 5);
    expect(counts.to_review).toBe(3);
    expect(counts.failed).toBe(2);
    const failedFiles = await readdir(join(dataDir, "failed"), { recursive: true });
    const reports = failedFiles.filter((f) => f.endsWith(".error.json"));
    expect(reports).toHaveLength(2);
    const reasons = await Promise.all(reports.map(async (f) => JSON.parse(await readFile(join(dataDir, "failed", f), "utf8")).error.code));
    expect(reasons.sort()).toEqual(["empty_file", "unsupported_format"]);
    // The bad files themselves sit beside their reports; nothing was deleted.
    expect(failedFiles.filter((f) => !f.endsWith(".error.json") && /empty\.txt|noise\.pdf/.test(f))).toHaveLength(2);
  }, 30_000);

  it("resumes after a crash: documents recorded but never extracted are picked up at start", async () => {
    const dataDir = await tempDir("crash");
    const config = testConfig(dataDir);
    // A process that records letters and dies before any job runs (no workers started).
    const first = await createRuntime(config, { logger: quietLogger });
    const letters = await distinctLetters(5);
    for (const l of letters) await first.services.ingest({ bytes: Buffer.from(l.text), fileName: l.name, source: "cli" });
    await first.store.close();
    // The next start reconciles from the store.
    const { runtime } = await start(dataDir);
    const counts = await settled(runtime, 5);
    expect(counts.to_review).toBe(5);
  }, 30_000);

  it("a file name is metadata only: ../ and NUL never become a path", async () => {
    const dataDir = await tempDir("names");
    const { runtime } = await start(dataDir);
    const [letter] = await distinctLetters(1);
    const { document } = await runtime.services.ingest({ bytes: Buffer.from(letter!.text), fileName: "../../etc/passwd\u0000.txt", source: "http" });
    await settled(runtime, 1);
    expect((await runtime.store.getDocument(document.id))!.fileName).toBe("../../etc/passwd\u0000.txt");
    const everything = await readdir(dataDir, { recursive: true });
    expect(everything.some((f) => f.includes("passwd"))).toBe(false);
  }, 30_000);
});
