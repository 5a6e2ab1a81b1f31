import { describe, it, expect, afterEach } from "vitest";
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { FileArea } from "../../pipeline/files.ts";
import { createRuntime } from "../../pipeline/runtime.ts";
import { startWatcher } from "../../pipeline/watcher.ts";
import { distinctLetters, tempDir, testConfig, waitFor } from "./helpers.ts";

/**
 * Storage faults at the watched folder (found by `npm run drill`): a letter
 * the watcher could not move into the archive used to stay in the inbox until
 * a restart, since no new file event comes for it; and an inbox on another
 * filesystem than the data folder could never be archived at all.
 */
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function folder(dataDir: string) {
  const config = testConfig(dataDir);
  const errors: { file?: string; err?: { code?: string }; retryInMs?: number }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void (line.includes('"could not take the file"') && errors.push(JSON.parse(line))) });
  const runtime = await createRuntime(config, { logger });
  const watcher = startWatcher({ inbox: config.inbox!, stableMs: config.watcher.stableMs, polling: false, pollIntervalMs: 100 }, { ingest: runtime.services.ingest, files: runtime.files, logger });
  await watcher.ready;
  stops.push(async () => {
    await watcher.close();
    await runtime.stop();
  });
  return { config, runtime, errors };
}

describe("the watched folder under storage faults", () => {
  it("a letter that cannot be archived is recorded, reported, kept in the folder, and moved once the archive works again", async () => {
    const dataDir = await tempDir("archive-fault");
    const archive = join(dataDir, "archive");
    // A file where the archive folder should be: every move into it fails (ENOTDIR), as a read-only or lost mount would.
    await writeFile(archive, "not a folder\n");
    const { config, runtime, errors } = await folder(dataDir);
    const [letter] = await distinctLetters(1, "archive-fault");
    await writeFile(join(config.inbox!, letter!.name), letter!.text);

    await waitFor("the failure reported", async () => errors.length > 0, 10_000);
    expect(errors[0]!.err?.code).toBe("ENOTDIR");
    expect(errors[0]!.retryInMs).toBeGreaterThan(0);
    expect(await readdir(config.inbox!)).toEqual([letter!.name]);
    const document = await runtime.store.getDocumentByHash(FileArea.sha256(Buffer.from(letter!.text)));
    expect(document?.fileName).toBe(letter!.name);

    await rm(archive);
    await mkdir(archive);
    await waitFor("the letter moved out of the folder", async () => (await readdir(config.inbox!)).length === 0, 10_000);
    const archived = (await readdir(archive, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    expect(archived.map((e) => e.name)).toEqual([letter!.name]);
    expect((await runtime.store.listDocuments({ limit: 10, offset: 0 })).total).toBe(1);
  }, 30_000);

  // The inbox on a mounted share: /dev/shm is a separate filesystem on Linux.
  const otherDevice = existsSync("/dev/shm") && statSync("/dev/shm").dev !== statSync(tmpdir()).dev;
  it.skipIf(!otherDevice)("an inbox on another filesystem than the data folder: the file is copied into the archive and leaves the inbox", async () => {
    const dataDir = await tempDir("exdev");
    const inbox = await mkdtemp("/dev/shm/vanthu-inbox-");
    stops.push(() => rm(inbox, { recursive: true, force: true }));
    const path = join(inbox, "công văn.txt");
    await writeFile(path, "nội dung\n");
    const archived = await new FileArea(dataDir).archive(path);
    expect(archived.startsWith(join(dataDir, "archive"))).toBe(true);
    expect(await readFile(archived, "utf8")).toBe("nội dung\n");
    expect(existsSync(path)).toBe(false);
  });
});
