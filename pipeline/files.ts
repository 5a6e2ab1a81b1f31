import { createHash, randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, link, mkdir, open, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * The file side of the store, under the data directory:
 *   originals/ab/<sha256>      every accepted file, content-addressed, never deleted
 *   archive/YYYY/MM/DD/<name>  files taken from the watched folder, after they are recorded
 *   failed/YYYY-MM-DD/<name>   files that could not be read, with <name>.error.json
 * A file name that arrived with a document is metadata: it is reduced to a safe
 * base name here and nowhere else becomes part of a path.
 */
export class FileArea {
  constructor(readonly dataDir: string) {}

  static sha256(bytes: Uint8Array): string {
    return createHash("sha256").update(bytes).digest("hex");
  }

  originalPath(contentHash: string): string {
    if (!/^[0-9a-f]{64}$/.test(contentHash)) throw new Error(`not a content hash: ${contentHash}`);
    return join(this.dataDir, "originals", contentHash.slice(0, 2), contentHash);
  }

  /** Writes the original durably (temp file, fsync, rename) unless it is already there. */
  async saveOriginal(bytes: Uint8Array, contentHash = FileArea.sha256(bytes)): Promise<string> {
    const target = this.originalPath(contentHash);
    if (await exists(target)) return target;
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.tmp`;
    const handle = await open(temp, "wx");
    try {
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (error) {
      // A disk that filled up mid-write must not keep the partial copy: it holds the space that ran out.
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDir(dirname(target));
    return target;
  }

  readOriginal(contentHash: string): Promise<Uint8Array> {
    return readFile(this.originalPath(contentHash));
  }

  /** Moves a file out of the inbox into archive/YYYY/MM/DD/, never overwriting. */
  async archive(path: string, at = new Date()): Promise<string> {
    const dir = join(this.dataDir, "archive", String(at.getFullYear()), pad(at.getMonth() + 1), pad(at.getDate()));
    return moveInto(path, dir, safeName(basename(path)));
  }

  /**
   * Puts a file that could not be read into failed/ with a .error.json naming
   * the reason. `from` is the archived copy when there is one (moved), else the
   * original is copied from originals/.
   */
  async quarantine(input: { from?: string | null; contentHash: string; fileName: string; error: { code: string; message: string }; documentId: string }, at = new Date()): Promise<string> {
    const dir = join(this.dataDir, "failed", `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`);
    const name = safeName(input.fileName);
    let target: string;
    if (input.from && (await exists(input.from))) target = await moveInto(input.from, dir, name);
    else {
      await mkdir(dir, { recursive: true });
      target = await freeName(dir, name);
      await copyFile(this.originalPath(input.contentHash), target, constants.COPYFILE_EXCL);
    }
    const report = { file: input.fileName, documentId: input.documentId, contentHash: input.contentHash, error: input.error, at: at.toISOString() };
    await writeFile(`${target}.error.json`, JSON.stringify(report, null, 2) + "\n", { flag: "wx" });
    return target;
  }

  /** A file refused at the door (never recorded): moved from the inbox to failed/ with its reason. */
  async quarantineUnrecorded(path: string, error: UnrecordedFailure, at = new Date()): Promise<string> {
    const dir = join(this.dataDir, "failed", `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`);
    const target = await moveInto(path, dir, safeName(basename(path)));
    const report = { file: basename(path), error, at: at.toISOString() };
    await writeFile(`${target}.error.json`, JSON.stringify(report, null, 2) + "\n", { flag: "wx" });
    return target;
  }
}

/** A file refused before it was recorded (over the size limit): moved from the inbox to failed/ with its reason. */
export interface UnrecordedFailure {
  code: string;
  message: string;
}

/** A name that is safe as one path segment: no separators, no control characters, bounded length. */
export function safeName(name: string): string {
  let s = name.normalize("NFC").replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, "_").replace(/^\.+/, "_").trim();
  if (!s || s === "." || s === "..") s = "file";
  // 200 bytes leaves room for " (n)" and ".error.json" under the common 255-byte limit.
  while (Buffer.byteLength(s) > 200) s = s.slice(0, -1);
  return s;
}

async function moveInto(path: string, dir: string, name: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < 1000; attempt++) {
    const target = attempt ? join(dir, withSuffix(name, attempt)) : join(dir, name);
    try {
      // A hard link refuses to overwrite an existing name (rename would replace it silently).
      await link(path, target);
      await unlink(path);
      await syncDir(dir);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") continue;
      // No hard links on this filesystem: a rename on the same device.
      if (code === "EPERM") {
        const free = await freeName(dir, name);
        await rename(path, free);
        return free;
      }
      // The inbox on another device than the data folder (a mounted share): neither link nor rename crosses it.
      if (code === "EXDEV") return copyAcross(path, dir, name);
      throw error;
    }
  }
  throw new Error(`no free name for ${name} in ${dir}`);
}

/** Copies a file to a free name in `dir` (never overwriting), makes the copy durable, then removes the source. */
async function copyAcross(path: string, dir: string, name: string): Promise<string> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const target = attempt ? join(dir, withSuffix(name, attempt)) : join(dir, name);
    try {
      await copyFile(path, target, constants.COPYFILE_EXCL);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      // COPYFILE_EXCL: whatever is at `target` now is our partial copy.
      await unlink(target).catch(() => undefined);
      throw error;
    }
    try {
      const handle = await open(target, "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      // Not durable (the disk filled up while copying): drop the copy, keep the source.
      await unlink(target).catch(() => undefined);
      throw error;
    }
    await syncDir(dir);
    await unlink(path);
    return target;
  }
  throw new Error(`no free name for ${name} in ${dir}`);
}

async function freeName(dir: string, name: string): Promise<string> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const target = attempt ? join(dir, withSuffix(name, attempt)) : join(dir, name);
    if (!(await exists(target))) return target;
  }
  throw new Error(`no free name for ${name} in ${dir}`);
}

function withSuffix(name: string, n: number): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

const pad = (n: number) => String(n).padStart(2, "0");

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}
