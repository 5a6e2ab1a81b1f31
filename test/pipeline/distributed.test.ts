import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { createRuntime, type Runtime } from "../../pipeline/runtime.ts";
import { WebhookReceiver } from "../support/webhook-receiver.ts";
import { assertValidPayload } from "../support/payload-schema.ts";
import { POSTGRES_ADMIN_URL, REDIS_SERVER, distinctLetters, quietLogger, root, tempDir, testConfig, waitFor } from "./helpers.ts";

/**
 * The distributed shape: BullMQ on Redis, PostgreSQL, and separate
 * `vanthu worker` processes sharing the work. Redis here is a private
 * redis-server on a free port, so it can be killed and restarted without
 * touching anything else on the machine.
 */
let redis: ChildProcess | null = null;
let redisPort = 0;
let databaseUrl = "";
let databaseName = "";
let available = true;
const workers: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startRedis(): Promise<void> {
  redis = spawn(REDIS_SERVER, ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await waitFor("redis up", async () => {
    const { Redis } = await import("ioredis");
    const client = new Redis(redisPort, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined); // refused while the server starts: the probe just says no
    try {
      await client.connect();
      return (await client.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }, 10_000);
}

beforeAll(async () => {
  try {
    redisPort = await freePort();
    await startRedis();
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    databaseName = `vanthu_pipe_${randomBytes(4).toString("hex")}`;
    await admin.query(`CREATE DATABASE ${databaseName}`);
    await admin.end();
    databaseUrl = POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${databaseName}`);
  } catch (error) {
    available = false;
    console.warn(`distributed pipeline tests skipped: ${(error as Error).message}`);
  }
}, 30_000);

afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  redis?.kill("SIGKILL");
  if (databaseName) {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
});

function startWorker(dataDir: string, extra: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [join(root, "bin/vanthu.mjs"), "worker"], {
    cwd: root,
    env: {
      ...process.env,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      DATABASE_URL: databaseUrl,
      VANTHU_DATA_DIR: dataDir,
      VANTHU_CONCURRENCY: "2",
      VANTHU_RECONCILE_INTERVAL_MS: "1000",
      VANTHU_LOG_LEVEL: "warn",
      ...extra,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr!.on("data", () => undefined);
  workers.push(child);
  return child;
}

async function producer(dataDir: string, overrides: Record<string, unknown> = {}): Promise<Runtime> {
  const config = testConfig(dataDir, { redisUrl: `redis://127.0.0.1:${redisPort}`, databaseUrl, ...overrides });
  return createRuntime(config, { logger: quietLogger });
}

describe("distributed pipeline (BullMQ, PostgreSQL, worker processes)", () => {
  it("two workers share the work; one killed with SIGKILL mid-batch: every letter extracted once, none lost", async () => {
    if (!available) return;
    const dataDir = await tempDir("dist");
    const runtime = await producer(dataDir);
    try {
      const letters = await distinctLetters(30, "kill-extract");
      const ids: string[] = [];
      for (const l of letters) ids.push((await runtime.services.ingest({ bytes: Buffer.from(l.text), fileName: l.name, source: "http" })).document.id);
      const slow = { VANTHU_FAULT_EXTRACT_DELAY_MS: "300" };
      const a = startWorker(dataDir, slow);
      startWorker(dataDir, slow);
      // Kill one worker while it holds jobs.
      const toReview = async () => (await Promise.all(ids.map((id) => runtime.store.getDocument(id)))).filter((d) => d?.state === "to_review").length;
      await waitFor("some extractions done", async () => (await toReview()) >= 4, 60_000);
      a.kill("SIGKILL");
      startWorker(dataDir, slow);
      await waitFor("all extracted", async () => (await toReview()) === 30, 120_000, 250);
      expect(new Set(ids).size).toBe(30);
      // Each document reached to_review exactly once, and the work was spread over several processes.
      const takers = new Set<string>();
      for (const id of ids) {
        const events = await runtime.store.events(id);
        expect(events.filter((e) => e.type === "EXTRACTED")).toHaveLength(1);
        for (const e of events) if (e.type === "EXTRACTION_STARTED") takers.add(String(e.data.worker));
      }
      expect(takers.size).toBeGreaterThanOrEqual(2);
    } finally {
      for (const w of workers.splice(0)) w.kill("SIGKILL");
      await runtime.stop();
    }
  }, 180_000);

  it("a deliver worker killed with SIGKILL mid-send: the tracker sees each event at most twice, and none is missing", async () => {
    if (!available) return;
    const dataDir = await tempDir("deliver-kill");
    const secretEnv = "VANTHU_TEST_KILL_SECRET";
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const receiver = new WebhookReceiver({ secrets: [secret] });
    // The first requests hang long enough for the worker holding them to be killed.
    receiver.respondWith(...Array.from({ length: 7 }, () => ({ status: 200, delayMs: 6000 })), 200);
    await receiver.start();
    const endpoints = [{ id: "tracker", url: receiver.url, secretEnv, timeoutMs: 15000, retrySchedule: [0, 1, 1, 2, 2, 5] }];
    const runtime = await producer(dataDir, { endpoints });
    const workerEnv = { VANTHU_ENDPOINTS: JSON.stringify(endpoints), [secretEnv]: secret };
    try {
      const [letter] = await distinctLetters(1, "kill-deliver");
      const { document } = await runtime.services.ingest({ bytes: Buffer.from(letter!.text), fileName: "000.txt", source: "http" });
      const first = startWorker(dataDir, workerEnv);
      await waitFor("extracted", async () => (await runtime.store.getDocument(document.id))?.state === "to_review", 60_000);
      const { deliveries } = await runtime.services.approve({ documentId: document.id, by: "reviewer" });
      await waitFor("sending", async () => receiver.received.length >= 1, 30_000);
      first.kill("SIGKILL");
      startWorker(dataDir, workerEnv);
      await waitFor("delivered", async () => (await runtime.store.getDocument(document.id))?.state === "delivered", 120_000, 250);
      const counts = new Map<string, number>();
      for (const r of receiver.received) counts.set(r.webhookId!, (counts.get(r.webhookId!) ?? 0) + 1);
      const stored = await runtime.store.outbox.listDeliveries({ documentId: document.id });
      expect(stored).toHaveLength(deliveries.length);
      for (const d of stored) {
        expect(counts.get(d.webhookId) ?? 0, d.webhookId).toBeGreaterThanOrEqual(1);
        expect(counts.get(d.webhookId) ?? 0, d.webhookId).toBeLessThanOrEqual(2);
      }
      expect(receiver.uniqueById()).toHaveLength(stored.length);
      expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
      for (const r of receiver.received) assertValidPayload(r.json);
    } finally {
      for (const w of workers.splice(0)) w.kill("SIGKILL");
      await receiver.stop();
      await runtime.stop();
    }
  }, 180_000);

  it("Redis restarted mid-batch (its queue data lost): the pipeline resumes by itself from the store", async () => {
    if (!available) return;
    const dataDir = await tempDir("redis");
    const runtime = await producer(dataDir);
    try {
      startWorker(dataDir, { VANTHU_FAULT_EXTRACT_DELAY_MS: "200" });
      const letters = await distinctLetters(40, "redis-restart");
      const ids: string[] = [];
      const states = async () => Promise.all(ids.map(async (id) => (await runtime.store.getDocument(id))!.state));
      for (const l of letters.slice(0, 20)) ids.push((await runtime.services.ingest({ bytes: Buffer.from(l.text), fileName: l.name, source: "http" })).document.id);
      await waitFor("some done", async () => (await states()).filter((s) => s === "to_review").length >= 3, 60_000);
      redis!.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 1500));
      await startRedis();
      for (const l of letters.slice(20)) ids.push((await runtime.services.ingest({ bytes: Buffer.from(l.text), fileName: l.name, source: "http" })).document.id);
      await waitFor("all extracted after the restart", async () => (await states()).every((s) => s === "to_review"), 120_000, 250);
      expect(new Set(ids).size).toBe(40);
    } finally {
      for (const w of workers.splice(0)) w.kill("SIGKILL");
      await runtime.stop();
    }
  }, 180_000);
});
