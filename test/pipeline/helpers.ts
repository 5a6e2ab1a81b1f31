import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../../pipeline/config.ts";
import type { Config } from "../../schemas/config.ts";

export const root = resolve(import.meta.dirname, "../..");
export const sharedLetters = resolve(root, "../shared/fixtures/letters");
export const quietLogger = pino({ level: "silent" });

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `vanthu-${prefix}-`));
}

/**
 * N distinct letters: the shared letters, each variant with a line of its own
 * so its content differs. `salt` keeps tests that share a database apart.
 */
export async function distinctLetters(n: number, salt = ""): Promise<{ name: string; text: string }[]> {
  const names = (await readdir(sharedLetters)).filter((f) => f.endsWith(".txt")).sort();
  const texts = await Promise.all(names.map((f) => readFile(join(sharedLetters, f), "utf8")));
  return Array.from({ length: n }, (_, i) => {
    const base = texts[i % texts.length]!;
    return { name: `letter-${String(i).padStart(3, "0")}.txt`, text: `${base}\n\n(bản sao số ${i}${salt ? ` ${salt}` : ""})\n` };
  });
}

export async function dropInto(dir: string, letters: { name: string; text: string }[]): Promise<void> {
  await Promise.all(letters.map((l) => writeFile(join(dir, l.name), l.text)));
}

export function testConfig(dataDir: string, overrides: Record<string, unknown> = {}): Config {
  return loadConfig({}, { dataDir, "watcher.stableMs": 300, "watcher.pollIntervalMs": 100, reconcileIntervalMs: 1000, logLevel: "silent", ...overrides });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | false | undefined>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const POSTGRES_ADMIN_URL = process.env.VANTHU_TEST_PG_ADMIN ?? "postgres://root@127.0.0.1:5432/postgres";
export const REDIS_SERVER = process.env.VANTHU_TEST_REDIS_SERVER ?? "redis-server";
