import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { account, type Figures } from "./accounting.ts";
import { onCleanup, runCleanups } from "./cleanup.ts";
import { startIntake, type Intake } from "./intake.ts";
import { Dropper, drillLetters } from "./letters.ts";
import { Monitor, type ProgressMeasure } from "./monitor.ts";
import { PrivateRedis, WorkerSet, createDatabase, root } from "./processes.ts";
import { AccountingReceiver } from "./receiver.ts";
import { seededRandom, until } from "./time.ts";

/**
 * Runs one drill scenario in an environment of its own: a private Redis, a
 * fresh PostgreSQL database, the accounting receiver, the intake (watched
 * folder) in this process and `vanthu worker` processes. The scenario injects
 * its fault while the batch is dropped; then the harness waits (up to the
 * deadline) for every letter to settle, counts, and tears everything down,
 * whatever happened.
 */
export interface ScenarioSpec {
  name: string;
  description: string;
  letters: number;
  /** The batch is dropped evenly over this long. */
  dropSpanMs: number;
  /** From the start of the drop to the end of the wait for the batch to settle. */
  deadlineMs: number;
  workers: number;
  workerEnv?: Record<string, string>;
  /** The progress this fault stops, for the recovery times (default: extractions and deliveries). */
  progress?: ProgressMeasure;
  /** Before anything starts (e.g. put the data folder on a small volume). Throwing skips the drill with that reason. */
  prepare?: (dirs: DrillDirs) => Promise<void>;
  /** The fault, injected while the batch is dropped; resolves when the fault has ended. */
  inject: (env: DrillEnv) => Promise<FaultRecord>;
}

export interface DrillDirs {
  dataDir: string;
  inbox: string;
}

export interface DrillEnv {
  spec: ScenarioSpec;
  dirs: DrillDirs;
  redis: PrivateRedis;
  receiver: AccountingReceiver;
  workers: WorkerSet;
  intake: Intake;
  dropper: Dropper;
  monitor: Monitor;
  random: () => number;
  /** When the drop started: fault timings are relative to it. */
  startedAt: number;
  log(message: string): void;
}

export interface FaultRecord {
  /** What was done, in a few words ("100 × SIGKILL of a worker"). */
  fault: string;
  startedAt: number;
  /** When the fault ended (the last kill, Redis back, the receiver back, space back). */
  endedAt: number;
  details: Record<string, unknown>;
  /** Ways the drill itself went wrong (the fault never hit, the batch was not in flight). */
  problems: string[];
}

export interface DrillResult {
  name: string;
  description: string;
  status: "passed" | "failed" | "skipped";
  figures: Figures | null;
  fault: Omit<FaultRecord, "startedAt" | "endedAt" | "problems"> & { durationMs: number } | null;
  recovery: { measure: ProgressMeasure; resumeMs: number | null; allDoneMs: number | null; longestStallMs: number | null };
  durationMs: number;
  problems: string[];
}

/** The short retry schedule of the drill's endpoint, in seconds: ~63 s of retries in all, so outages stay bounded. */
export const DRILL_RETRY_SCHEDULE = [0, 1, 2, 4, 8, 8, 8, 8, 8, 8, 8];
const RECONCILE_INTERVAL_MS = 2000;
const SECRET_ENV = "VANTHU_DRILL_TRACKER_SECRET";

export async function runScenario(spec: ScenarioSpec, options: { seed: number; logDir: string }): Promise<DrillResult> {
  const began = Date.now();
  const log = (message: string) => console.error(`[${spec.name}] ${message}`);
  const result: DrillResult = { name: spec.name, description: spec.description, status: "failed", figures: null, fault: null, recovery: { measure: spec.progress ?? "work", resumeMs: null, allDoneMs: null, longestStallMs: null }, durationMs: 0, problems: [] };
  const base = await mkdtemp(join(tmpdir(), `vanthu-drill-${spec.name}-`));
  onCleanup(`remove ${base}`, () => rm(base, { recursive: true, force: true }));
  try {
    const dirs = { dataDir: join(base, "data"), inbox: join(base, "inbox") };
    await mkdir(dirs.dataDir, { recursive: true });
    await mkdir(dirs.inbox, { recursive: true });
    const logDir = join(options.logDir, spec.name);
    await mkdir(logDir, { recursive: true });
    try {
      await spec.prepare?.(dirs);
    } catch (error) {
      result.status = "skipped";
      result.problems.push((error as Error).message);
      log(`skipped: ${(error as Error).message}`);
      return result;
    }

    const redis = await PrivateRedis.start();
    const database = await createDatabase(spec.name);
    const receiver = new AccountingReceiver();
    await receiver.up();
    const endpoints = [{ id: "tracker", url: receiver.url, secretEnv: SECRET_ENV, timeoutMs: 5000, retrySchedule: DRILL_RETRY_SCHEDULE }];
    // The intake migrates the database before any worker starts.
    const intake = await startIntake({ ...dirs, redisUrl: redis.url, databaseUrl: database.url, logFile: join(logDir, "intake.log") });
    const workers = new WorkerSet(
      {
        REDIS_URL: redis.url,
        DATABASE_URL: database.url,
        VANTHU_DATA_DIR: dirs.dataDir,
        VANTHU_CONCURRENCY: "2",
        VANTHU_RECONCILE_INTERVAL_MS: String(RECONCILE_INTERVAL_MS),
        VANTHU_AUTO_APPROVE_MIN_CONFIDENCE: "0",
        VANTHU_ENDPOINTS: JSON.stringify(endpoints),
        [SECRET_ENV]: receiver.secret,
        VANTHU_LOG_LEVEL: "info",
        ...spec.workerEnv,
      },
      join(logDir, "workers.log"),
    );
    workers.start(spec.workers);

    const letters = await drillLetters(spec.letters, `${spec.name}-${options.seed}-${began.toString(36)}`);
    const dropper = new Dropper(dirs.inbox, letters);
    const startedAt = Date.now();
    const monitor = new Monitor(spec.name, intake.runtime.store, receiver, dropper, dirs.inbox, startedAt);
    monitor.start();
    onCleanup("monitor", () => monitor.stop());
    log(`${spec.letters} letters over ${(spec.dropSpanMs / 1000).toFixed(0)} s, ${spec.workers} workers, deadline ${(spec.deadlineMs / 1000).toFixed(0)} s; logs in ${logDir}`);

    const env: DrillEnv = { spec, dirs, redis, receiver, workers, intake, dropper, monitor, random: seededRandom(options.seed), startedAt, log };
    const dropping = dropper.dropOver(spec.dropSpanMs);
    dropping.catch(() => undefined); // awaited below; a failed drop is reported there, not as an unhandled rejection
    const fault = await spec.inject(env);
    await dropping;
    result.problems.push(...fault.problems);
    log(`fault over (${fault.fault}); waiting for the batch to settle`);

    const deadline = startedAt + spec.deadlineMs;
    let doneAt: number | null = null;
    try {
      doneAt = await until("every letter taken, recorded and settled", async () => (monitor.allSettled ? monitor.latest!.t : null), Math.max(0, deadline - Date.now()), 250);
    } catch (error) {
      result.problems.push(`${(error as Error).message} (deadline ${(spec.deadlineMs / 1000).toFixed(0)} s)`);
    }
    await monitor.stop();
    monitor.print();

    const figures = await account({ letters, store: intake.runtime.store, receiver, inbox: dirs.inbox, dataDir: dirs.dataDir });
    const measure = spec.progress ?? "work";
    const resumedAt = monitor.progressAfter(fault.endedAt, measure);
    result.figures = figures;
    result.fault = { fault: fault.fault, durationMs: fault.endedAt - fault.startedAt, details: { ...fault.details, workersSpawned: workers.spawned, workersDiedByThemselves: workers.unexpectedExits } };
    result.recovery = {
      measure,
      resumeMs: resumedAt === null ? null : resumedAt - fault.endedAt,
      allDoneMs: doneAt === null ? null : Math.max(0, doneAt - fault.endedAt),
      longestStallMs: monitor.longestStall(fault.startedAt, doneAt ?? Date.now(), measure),
    };
    if (figures.lost) result.problems.push(`${figures.lost} letters lost: ${figures.lostLetters.slice(0, 5).map((l) => `${l.name} (${l.state})`).join("; ")}`);
    if (figures.duplicates) result.problems.push(`${figures.duplicates} duplicate tasks at the tracker`);
    if (figures.invalidSignatures) result.problems.push(`${figures.invalidSignatures} requests with an invalid signature`);
    if (figures.unknownWebhooks) result.problems.push(`${figures.unknownWebhooks} webhook-ids the outbox does not know`);
    if (figures.strayTempFiles) result.problems.push(`${figures.strayTempFiles} temporary files left in the data folder`);
    if (figures.leftInInbox) result.problems.push(`${figures.leftInInbox} letters left in the watched folder`);
    if (workers.unexpectedExits) result.problems.push(`${workers.unexpectedExits} worker processes died without being killed`);
    result.status = result.problems.length ? "failed" : "passed";
    return result;
  } catch (error) {
    result.problems.push(`drill error: ${(error as Error).stack ?? error}`);
    return result;
  } finally {
    await runCleanups();
    result.durationMs = Date.now() - began;
  }
}

/** Where the drill's logs go: beside its JSON report, so a failed drill can be investigated. */
export const DEFAULT_LOG_DIR = join(root, "bench-results", "drill-logs");
