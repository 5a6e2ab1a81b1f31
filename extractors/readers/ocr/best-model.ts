/**
 * The npm package's "best" Vietnamese model (@tesseract.js-data/vie, gzipped)
 * unpacked where the tesseract CLI can read it: the CLI reads no gzip. It goes
 * into the system's temporary directory under a name made from its content,
 * so every process and thread shares one copy. That directory is used only
 * when it is this user's and no one else may write to it, and its file only
 * when its bytes are the model's; otherwise a private directory of this
 * process gets a fresh copy.
 */
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { vieLangPath } from "./tesseract-js.ts";

let unpacked: Promise<string | null> | null = null;

/** A directory holding vie.traineddata (the best model), or null when it cannot be written. */
export function bestModelDir(): Promise<string | null> {
  return (unpacked ??= Promise.resolve().then(() => {
    try {
      const model = gunzipSync(readFileSync(join(vieLangPath(), "vie.traineddata.gz")));
      const shared = join(tmpdir(), `vanthu-tessdata-${createHash("sha256").update(model).digest("hex").slice(0, 16)}`);
      try {
        mkdirSync(shared, { recursive: true, mode: 0o755 });
        if (ours(shared)) {
          if (holds(shared, model)) return shared;
          place(shared, model);
          if (holds(shared, model)) return shared;
        }
      } catch {
        // Not ours to write: a private copy below.
      }
      const own = mkdtempSync(join(tmpdir(), "vanthu-tessdata-"));
      place(own, model);
      return holds(own, model) ? own : null;
    } catch {
      return null;
    }
  }));
}

/** Written under a temporary name and renamed: a reader never sees half a model. */
function place(dir: string, model: Buffer): void {
  const part = join(dir, `vie.traineddata.${process.pid}.${Math.random().toString(36).slice(2)}`);
  writeFileSync(part, model, { mode: 0o644 });
  renameSync(part, join(dir, "vie.traineddata"));
}

/** A real directory (not a symbolic link someone planted), owned by this user and writable by no one else. */
function ours(dir: string): boolean {
  const stat = lstatSync(dir);
  return stat.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0;
}

function holds(dir: string, model: Buffer): boolean {
  try {
    return readFileSync(join(dir, "vie.traineddata")).equals(model);
  } catch {
    return false;
  }
}
