import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { assertNotShuttingDown, onCleanup } from "./cleanup.ts";
import { sleep, until } from "./time.ts";

/**
 * The processes a drill controls: a private redis-server (so killing it
 * touches nothing else on the machine), a PostgreSQL database of its own, and
 * the `vanthu worker` processes it kills and respawns. All on 127.0.0.1.
 */
export const root = join(import.meta.dirname, "../..");
const REDIS_SERVER = process.env.VANTHU_DRILL_REDIS_SERVER ?? "redis-server";
export const POSTGRES_ADMIN_URL = process.env.VANTHU_DRILL_PG_ADMIN ?? "postgres://root@127.0.0.1:5432/postgres";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** redis-server without persistence: a kill -9 and restart loses every queued job, as a real crash of an ephemeral Redis would. */
export class PrivateRedis {
  private child: ChildProcess | null = null;
  private readonly undo = onCleanup("redis-server", () => this.kill());

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server on the same port (after a kill: empty) and waits until it answers PING. */
  async restart(): Promise<void> {
    if (this.child) throw new Error("redis-server is already running");
    assertNotShuttingDown("redis-server");
    const child = spawn(REDIS_SERVER, ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    child.once("error", (error) => console.error(`drill: redis-server: ${error.message}`));
    this.child = child;
    await until("redis-server answering", () => ping(this.port), 10_000, 50);
  }

  /** kill -9: no shutdown, no save. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  async stop(): Promise<void> {
    await this.undo();
  }
}

async function ping(port: number): Promise<boolean> {
  const client = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined); // refused while the server starts: the probe just says no
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** A fresh PostgreSQL database, dropped (WITH FORCE: killed workers may have left sessions) at cleanup. */
export async function createDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `vanthu_drill_${label.replace(/[^a-z0-9]/g, "_")}_${randomBytes(3).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const drop = onCleanup(`database ${name}`, () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return { url: POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`), drop };
}

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

interface Slot {
  child: ChildProcess;
  startedAt: number;
  /** When it logged "worker started" (its queues are consumed from then on); 0 while booting. */
  readyAt: number;
}

/**
 * `vanthu worker` processes, spawned as an operator would (bin/vanthu.mjs),
 * each in a numbered slot. A killed worker is replaced at once; one that dies
 * on its own is replaced too and counted, since that is a finding.
 */
export class WorkerSet {
  private readonly slots: (Slot | null)[] = [];
  private readonly log: WriteStream;
  private readonly undo: () => Promise<void>;
  private stopping = false;
  spawned = 0;
  unexpectedExits = 0;
  /** Spawn → "worker started", per worker that got that far. */
  readonly startTimesMs: number[] = [];

  constructor(
    private readonly env: Record<string, string>,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile);
    this.undo = onCleanup("vanthu workers", () => this.killAll());
  }

  get size(): number {
    return this.slots.length;
  }

  start(count: number): void {
    for (let i = 0; i < count; i++) this.spawnInto(i);
  }

  /** Slots whose worker has been consuming its queues for at least `forMs`. */
  readySlots(forMs = 0): number[] {
    const now = Date.now();
    return this.slots.flatMap((slot, index) => (slot?.readyAt && now - slot.readyAt >= forMs ? [index] : []));
  }

  /** SIGKILL the worker in `index` and start its replacement at once; how long the killed one had been working. */
  killAndRespawn(index: number): { pid: number; workingMs: number } {
    const slot = this.slots[index];
    if (!slot) throw new Error(`no worker in slot ${index}`);
    this.slots[index] = null;
    slot.child.kill("SIGKILL");
    this.spawnInto(index);
    return { pid: slot.child.pid ?? 0, workingMs: slot.readyAt ? Date.now() - slot.readyAt : 0 };
  }

  async killAll(): Promise<void> {
    this.stopping = true;
    const exits = this.slots.filter((s): s is Slot => s !== null && s.child.exitCode === null && s.child.signalCode === null).map((s) => {
      const exited = new Promise((resolve) => s.child.once("exit", resolve));
      s.child.kill("SIGKILL");
      return exited;
    });
    this.slots.fill(null);
    await Promise.race([Promise.all(exits), sleep(5000)]);
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }

  async stop(): Promise<void> {
    await this.undo();
  }

  private spawnInto(index: number): void {
    if (this.stopping) return;
    assertNotShuttingDown("a worker");
    const child = spawn(process.execPath, [join(root, "bin/vanthu.mjs"), "worker"], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const slot: Slot = { child, startedAt: Date.now(), readyAt: 0 };
    this.slots[index] = slot;
    this.spawned++;
    const tag = `[worker ${index} pid ${child.pid}] `;
    child.stderr!.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      if (!slot.readyAt && text.includes('"msg":"worker started"')) {
        slot.readyAt = Date.now();
        this.startTimesMs.push(slot.readyAt - slot.startedAt);
      }
      this.log.write(text.replace(/^(?=.)/gm, tag));
    });
    child.once("exit", (code, signal) => {
      // Killed by the drill: the slot was already emptied. Otherwise it died by itself.
      if (this.stopping || this.slots[index] !== slot) return;
      this.unexpectedExits++;
      this.log.write(`${tag}exited by itself (code ${code}, signal ${signal}): replaced\n`);
      this.spawnInto(index);
    });
  }
}
