/**
 * Private services for the benchmark: a redis-server on a free loopback port
 * (so nothing else on the machine shares its queues, and its keys never leak
 * from one run into the next) and a fresh PostgreSQL database per run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import pg from "pg";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export interface PrivateRedis {
  url: string;
  stop(): void;
}

/** Null when redis-server is not installed or does not answer. */
export async function startPrivateRedis(binary = process.env.VANTHU_BENCH_REDIS_SERVER ?? "redis-server"): Promise<PrivateRedis | null> {
  if (spawnSync(binary, ["--version"]).status !== 0) return null;
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const { Redis } = await import("ioredis");
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const client = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined); // refused while the server starts
    try {
      await client.connect();
      if ((await client.ping()) === "PONG") return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill("SIGKILL") };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      client.disconnect();
    }
  }
  child.kill("SIGKILL");
  return null;
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new database on the PostgreSQL server of `adminUrl`; null when none answers. */
export async function createScratchDatabase(adminUrl = process.env.VANTHU_BENCH_PG_ADMIN ?? "postgres://root@127.0.0.1:5432/postgres"): Promise<ScratchDatabase | null> {
  const name = `vanthu_bench_${randomBytes(4).toString("hex")}`;
  try {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  } catch {
    return null;
  }
  return {
    url: adminUrl.replace(/\/[^/]*$/, `/${name}`),
    async drop() {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
