import { z } from "zod";
import { EndpointConfigSchema } from "./webhook.ts";
import { ReviewerAccountSchema } from "./review.ts";

/**
 * vanthu's configuration: from the environment (VANTHU_*, DATABASE_URL,
 * REDIS_URL) and an optional JSON file (VANTHU_CONFIG). Secrets come from the
 * environment only. Every value has a default that lets `vanthu run` work on a
 * fresh machine (embedded SQLite store, in-process queue).
 */
const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean));
const bool = z.union([z.boolean(), z.enum(["true", "false", "1", "0", "yes", "no"])]).transform((v) => v === true || v === "true" || v === "1" || v === "yes");

export const ConfigSchema = z.object({
  dataDir: z.string().default(".vanthu").describe("Where the embedded store, originals, archive and failed/ live"),
  inbox: z.string().optional().describe("The watched folder; default <dataDir>/inbox"),
  databaseUrl: z.string().optional().describe("PostgreSQL URL; without it the embedded SQLite file is used"),
  redisUrl: z.string().optional().describe("Redis URL for BullMQ; without it jobs run in-process"),
  http: z
    .object({
      host: z.string().default("127.0.0.1"),
      port: z.coerce.number().int().min(0).max(65535).default(8080),
      /** API keys for the ingest API and the dashboard (secrets: from the environment). */
      apiKeys: csv.default([]),
      maxUploadBytes: z.coerce.number().int().positive().default(50 * 1024 * 1024),
    })
    .default({ host: "127.0.0.1", port: 8080, apiKeys: [], maxUploadBytes: 50 * 1024 * 1024 }),
  watcher: z
    .object({
      enabled: bool.default(true),
      /** A file is taken when its size and mtime stayed the same this long. */
      stableMs: z.coerce.number().int().min(0).default(2000),
      /** Polling, for network shares where change events do not arrive. */
      polling: bool.default(false),
      pollIntervalMs: z.coerce.number().int().positive().default(1000),
    })
    .default({ enabled: true, stableMs: 2000, polling: false, pollIntervalMs: 1000 }),
  workers: z
    .object({
      concurrency: z.coerce.number().int().min(1).max(64).default(2),
      extractTimeoutMs: z.coerce.number().int().positive().default(60_000),
      memoryMb: z.coerce.number().int().positive().default(512),
      maxFileBytes: z.coerce.number().int().positive().default(50 * 1024 * 1024),
    })
    .default({ concurrency: 2, extractTimeoutMs: 60_000, memoryMb: 512, maxFileBytes: 50 * 1024 * 1024 }),
  /** Task tracker endpoints (webhooks); none configured = approved tasks wait in the outbox. */
  endpoints: z.array(EndpointConfigSchema).default([]),
  /** JSON file with the org directory used to route assignees to tracker ids. */
  orgDirectory: z.string().optional(),
  /** Base URL of this vanthu, for links in webhook payloads. */
  publicUrl: z.string().default("http://127.0.0.1:8080"),
  /** Approve without review when every field's confidence reaches this (0..1); off when absent. */
  autoApproveMinConfidence: z.coerce.number().min(0).max(1).optional(),
  reconcileIntervalMs: z.coerce.number().int().positive().default(30_000),
  /** The review page (/review): off until at least one reviewer account is configured. */
  review: z
    .object({
      /** Accounts (VANTHU_REVIEWERS, JSON): password hashes from `vanthu hash-password`, never passwords. */
      reviewers: z.array(ReviewerAccountSchema).default([]),
      /** Signs session cookies (VANTHU_SESSION_SECRET, a secret: environment only). Absent: a random one per process. */
      sessionSecret: z.string().min(32, "at least 32 characters").optional(),
      /** Secure cookie flag: "auto" sets it when the request came over https. Set "always" behind a TLS proxy. */
      secureCookies: z.enum(["auto", "always", "never"]).default("auto"),
      /** A session ends this long after sign-in. */
      sessionHours: z.coerce.number().positive().max(24 * 30).default(12),
    })
    .default({ reviewers: [], secureCookies: "auto", sessionHours: 12 }),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type Config = z.infer<typeof ConfigSchema>;
