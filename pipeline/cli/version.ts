import { readFileSync } from "node:fs";

/** The version in vanthu's own package.json, found relative to this module (not the working directory). */
export function packageVersion(): string {
  const raw = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  const parsed = JSON.parse(raw) as { version?: unknown };
  if (typeof parsed.version !== "string") throw new Error("package.json has no version");
  return parsed.version;
}
