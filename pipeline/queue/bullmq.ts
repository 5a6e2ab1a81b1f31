import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { EXTRACT_ATTEMPTS, PermanentJobError, deliverJobId, extractJobId, type DeliverJobData, type JobData, type JobQueues, type StageHandlers } from "./types.ts";

/**
 * BullMQ on Redis (ioredis). bull, which the design card names, is in
 * maintenance mode and its README points to BullMQ from the same authors.
 *
 * A job whose worker dies is re-run after its lock expires; the lock is kept
 * short (10 s, checked every 5 s) so a killed worker's letter is picked up
 * quickly, and renewed by the living worker while it extracts (the extraction
 * itself runs in a worker thread, so the event loop stays free to renew).
 */
const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;
// Finished jobs are kept a day so a re-enqueue of the same content stays a no-op.
const KEEP_COMPLETED = { age: 24 * 3600, count: 50_000 };
const KEEP_FAILED = { age: 7 * 24 * 3600 };

export function createBullmqQueues(redisUrl: string, logger: Logger, prefix = "vanthu"): JobQueues {
  // Every connection made here is closed in close(): BullMQ leaves a connection it was handed
  // open, and an open socket keeps `vanthu worker` alive after SIGTERM.
  const connections: Redis[] = [];
  const connection = () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
    connections.push(redis);
    return redis;
  };
  const producer = connection();
  producer.on("error", (err) => logger.warn({ err: err.message }, "redis connection error (retrying)"));
  const extractQueue = new Queue<JobData>("extract", { connection: producer, prefix });
  const deliverQueue = new Queue<DeliverJobData>("deliver", { connection: producer, prefix });
  // Without a listener BullMQ prints each connection error as a bare stack trace on stderr, outside the JSON log.
  for (const queue of [extractQueue, deliverQueue]) queue.on("error", (err) => logger.warn({ queue: queue.name, err: err.message }, "queue error (retrying)"));
  const workers: Worker[] = [];

  return {
    kind: "bullmq",
    async enqueueExtract(data, options = {}) {
      const jobId = extractJobId(data.contentHash);
      if (options.force) {
        const existing = await extractQueue.getJob(jobId);
        if (existing) {
          const state = await existing.getState();
          if (state !== "completed" && state !== "failed") return; // still waiting or running: that run will do
          await existing.remove();
        }
      }
      await extractQueue.add("extract", data, {
        jobId,
        attempts: EXTRACT_ATTEMPTS,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: KEEP_FAILED,
      });
    },
    async enqueueDeliver(data, delayMs = 0) {
      // The delivery's own schedule lives in the outbox row; a job failing on infrastructure
      // (the database away) is retried a few times, then the reconciler takes over.
      await deliverQueue.add("deliver", data, {
        jobId: deliverJobId(data),
        delay: Math.max(0, delayMs),
        attempts: 3,
        backoff: { type: "exponential", delay: 2000 },
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: KEEP_FAILED,
      });
    },
    async startWorkers(handlers: StageHandlers, concurrency: number) {
      if (handlers.deliver) {
        const deliverConnection = connection();
        deliverConnection.on("error", (err) => logger.warn({ err: err.message }, "redis connection error (retrying)"));
        const deliverHandler = handlers.deliver;
        const deliverWorker = new Worker<DeliverJobData>("deliver", (job) => deliverHandler(job.data), {
          connection: deliverConnection,
          prefix,
          concurrency: Math.max(2, concurrency * 2),
          lockDuration: LOCK_MS,
          stalledInterval: STALLED_CHECK_MS,
          maxStalledCount: 5,
        });
        deliverWorker.on("error", (err) => logger.warn({ err: err.message }, "worker error"));
        workers.push(deliverWorker);
      }
      const connectionForWorker = connection();
      connectionForWorker.on("error", (err) => logger.warn({ err: err.message }, "redis connection error (retrying)"));
      const worker = new Worker<JobData>(
        "extract",
        async (job: Job<JobData>) => {
          try {
            await handlers.extract(job.data);
          } catch (error) {
            // Malformed input never gets better: no retry loop.
            if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
            throw error;
          }
        },
        { connection: connectionForWorker, prefix, concurrency, lockDuration: LOCK_MS, stalledInterval: STALLED_CHECK_MS, maxStalledCount: 5 },
      );
      worker.on("failed", (job, error) => {
        if (!job) return;
        const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1) && !(error instanceof UnrecoverableError) && error.name !== "UnrecoverableError";
        logger.warn({ job: job.id, attempt: job.attemptsMade, err: error.message }, exhausted ? "extraction job gave up" : "extraction job failed");
        if (exhausted) void handlers.extractExhausted?.(job.data, error).catch((err) => logger.error({ err }, "could not record the failure"));
      });
      worker.on("error", (err) => logger.warn({ err: err.message }, "worker error"));
      workers.push(worker);
    },
    async idle() {
      for (;;) {
        const counts = await extractQueue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
        if (Object.values(counts).every((n) => n === 0)) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await extractQueue.close();
      await deliverQueue.close();
      for (const redis of connections) redis.disconnect();
    },
    dashboardQueues: () => [extractQueue, deliverQueue],
    async ready() {
      try {
        return (await producer.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    async counts() {
      return {
        extract: await extractQueue.getJobCounts("waiting", "active", "delayed", "completed", "failed"),
        deliver: await deliverQueue.getJobCounts("waiting", "active", "delayed", "completed", "failed"),
      };
    },
  };
}
