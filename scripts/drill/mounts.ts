import { execFile } from "node:child_process";
import { open, statfs, unlink } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { assertNotShuttingDown, onCleanup } from "./cleanup.ts";
import { sleep } from "./time.ts";

/**
 * Real storage faults for the archive drills. The drill runs as root, so
 * chmod would not stop a write; a read-only bind mount and a small tmpfs do.
 * Every mount is undone at cleanup (lazily if something still holds it).
 */
const run = promisify(execFile);

export class MountNotPermitted extends Error {
  constructor(what: string, detail: string) {
    super(`${what}: mounting is not permitted here (${detail.trim()})`);
    this.name = "MountNotPermitted";
  }
}

async function mount(args: string[], what: string): Promise<void> {
  assertNotShuttingDown(what);
  try {
    await run("mount", args);
  } catch (error) {
    throw new MountNotPermitted(what, (error as { stderr?: string }).stderr || (error as Error).message);
  }
}

async function unmount(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await run("umount", [dir]);
      return;
    } catch {
      await sleep(200);
    }
  }
  await run("umount", ["-l", dir]); // still busy: detach now, the kernel frees it when the last user goes
}

/** A tmpfs of `megabytes` over `dir` (a data folder on a small volume). */
export async function mountTmpfs(dir: string, megabytes: number): Promise<() => Promise<void>> {
  await mount(["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", dir], `tmpfs on ${dir}`);
  return onCleanup(`tmpfs on ${dir}`, () => unmount(dir));
}

/** `dir` becomes read-only (bind-mounted onto itself, remounted ro); the returned function makes it writable again. */
export async function makeReadOnly(dir: string): Promise<() => Promise<void>> {
  await mount(["--bind", dir, dir], `bind mount of ${dir}`);
  const undo = onCleanup(`read-only bind mount on ${dir}`, () => unmount(dir));
  try {
    await mount(["-o", "remount,ro,bind", dir], `read-only remount of ${dir}`);
  } catch (error) {
    await undo();
    throw error;
  }
  return undo;
}

/**
 * Fills the filesystem under `dir` with one file until the next write gets
 * ENOSPC; the returned function deletes it (space is back). Returns how much
 * was written too.
 */
export async function fillUp(dir: string): Promise<{ bytes: number; free: () => Promise<void> }> {
  const path = join(dir, "drill-filler.bin");
  const handle = await open(path, "wx");
  const free = onCleanup(`filler ${path}`, () => unlink(path).catch(() => undefined));
  const chunk = Buffer.alloc(1024 * 1024, 0xa5);
  let bytes = 0;
  try {
    for (;;) {
      const { bavail, bsize } = await statfs(dir);
      const left = Number(bavail) * Number(bsize);
      const size = left > chunk.length ? chunk.length : Math.max(left, 4096);
      try {
        const { bytesWritten } = await handle.write(chunk, 0, size);
        bytes += bytesWritten;
        if (bytesWritten < size) break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOSPC") break;
        throw error;
      }
    }
  } finally {
    await handle.close();
  }
  return { bytes, free };
}
