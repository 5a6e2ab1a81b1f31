import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { ConfigSchema, type Config } from "../schemas/config.ts";

/**
 * Configuration from an optional JSON file (VANTHU_CONFIG) overlaid by the
 * environment, validated by the zod schema. Secrets (API keys, database and
 * Redis passwords inside their URLs) belong in the environment.
 */
const ENV: Record<string, string> = {
  VANTHU_DATA_DIR: "dataDir",
  VANTHU_INBOX: "inbox",
  DATABASE_URL: "databaseUrl",
  REDIS_URL: "redisUrl",
  VANTHU_HTTP_HOST: "http.host",
  VANTHU_HTTP_PORT: "http.port",
  VANTHU_API_KEYS: "http.apiKeys",
  VANTHU_MAX_UPLOAD_BYTES: "http.maxUploadBytes",
  VANTHU_WATCH: "watcher.enabled",
  VANTHU_STABLE_MS: "watcher.stableMs",
  VANTHU_POLLING: "watcher.polling",
  VANTHU_POLL_INTERVAL_MS: "watcher.pollIntervalMs",
  VANTHU_CONCURRENCY: "workers.concurrency",
  VANTHU_EXTRACT_TIMEOUT_MS: "workers.extractTimeoutMs",
  VANTHU_WORKER_MEMORY_MB: "workers.memoryMb",
  VANTHU_MAX_FILE_BYTES: "workers.maxFileBytes",
  VANTHU_AUTO_APPROVE_MIN_CONFIDENCE: "autoApproveMinConfidence",
  VANTHU_RECONCILE_INTERVAL_MS: "reconcileIntervalMs",
  VANTHU_LOG_LEVEL: "logLevel",
  VANTHU_ENDPOINTS: "endpoints",
  VANTHU_ORG_DIRECTORY: "orgDirectory",
  VANTHU_PUBLIC_URL: "publicUrl",
  VANTHU_REVIEWERS: "review.reviewers",
  VANTHU_SESSION_SECRET: "review.sessionSecret",
  VANTHU_SECURE_COOKIES: "review.secureCookies",
  VANTHU_SESSION_HOURS: "review.sessionHours",
};
/** Variables whose value is JSON (a list of endpoints, of reviewer accounts). */
const JSON_VALUED = new Set(["VANTHU_ENDPOINTS", "VANTHU_REVIEWERS"]);

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, unknown> = {}): Config {
  const raw: Record<string, unknown> = {};
  const file = env.VANTHU_CONFIG;
  if (file) {
    try {
      Object.assign(raw, JSON.parse(readFileSync(file, "utf8")));
    } catch (error) {
      throw new ConfigError(`config file ${file}: ${(error as Error).message}`);
    }
  }
  const fromEnv = new Map<string, string>();
  for (const [name, path] of Object.entries(ENV)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    if (JSON_VALUED.has(name)) {
      try {
        setPath(raw, path, JSON.parse(value));
      } catch (error) {
        throw new ConfigError(`${name} is not valid JSON: ${(error as Error).message}`);
      }
    } else setPath(raw, path, value);
    fromEnv.set(path, name);
  }
  for (const [path, value] of Object.entries(overrides)) if (value !== undefined) setPath(raw, path, value);
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const path = issue.path.join(".");
      const source = fromEnv.get(path);
      return `  ${path}: ${issue.message}${source ? ` (from ${source})` : file ? ` (in ${file})` : ""}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const config = parsed.data;
  config.dataDir = resolve(config.dataDir);
  config.inbox = resolve(config.inbox ?? join(config.dataDir, "inbox"));
  if (!("workers" in raw) || !(raw.workers as Record<string, unknown>)?.concurrency) {
    config.workers.concurrency = Math.max(1, Math.min(config.workers.concurrency, cpus().length));
  }
  return config;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}
