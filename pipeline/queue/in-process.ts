import type { Logger } from "pino";
import { EXTRACT_ATTEMPTS, PermanentJobError, backoffMs, deliverJobId, extractJobId, type DeliverJobData, type JobData, type JobQueues, type StageHandlers } from "./types.ts";

/**
 * The embedded default: jobs run in this process with the same handlers,
 * bounded concurrency and the same retry rules as BullMQ. Nothing is kept
 * here that the store does not also know: after a crash the reconciler finds
 * the unfinished documents and enqueues them again.
 */
export function createInProcessQueues(logger: Logger): JobQueues {
  const pending = new Map<string, JobData>();
  const queued: string[] = [];
  const running = new Set<string>();
  const counters = { completed: 0, failed: 0 };
  let handlers: StageHandlers | null = null;
  let concurrency = 1;
  let closed = false;
  let idleWaiters: (() => void)[] = [];
  const timers = new Set<NodeJS.Timeout>();
  // Delivery attempts: scheduled by the deliver handler itself (the outbox row holds the schedule).
  const deliveries = new Map<string, NodeJS.Timeout | "running">();
  const deliveryWaiting: { id: string; data: DeliverJobData }[] = [];

  const checkIdle = () => {
    if (queued.length || running.size || timers.size || deliveries.size) return;
    for (const resolve of idleWaiters) resolve();
    idleWaiters = [];
  };

  const pump = () => {
    while (handlers && !closed && running.size < concurrency && queued.length) {
      const id = queued.shift()!;
      const data = pending.get(id)!;
      running.add(id);
      void run(id, data, 1).finally(() => {
        running.delete(id);
        pump();
        checkIdle();
      });
    }
  };

  const run = async (id: string, data: JobData, attempt: number): Promise<void> => {
    try {
      await handlers!.extract(data);
      pending.delete(id);
      counters.completed++;
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      if (!permanent && attempt < EXTRACT_ATTEMPTS && !closed) {
        logger.warn({ job: id, attempt, err: error }, "extraction failed; retrying");
        const timer = setTimeout(() => {
          timers.delete(timer);
          running.add(id);
          void run(id, data, attempt + 1).finally(() => {
            running.delete(id);
            pump();
            checkIdle();
          });
        }, backoffMs(attempt));
        timers.add(timer);
        return;
      }
      pending.delete(id);
      counters.failed++;
      // A permanent failure (an unreadable file) was already recorded and logged by the handler.
      if (!permanent) {
        logger.error({ job: id, attempt, err: error }, "extraction job gave up");
        await handlers!.extractExhausted?.(data, error as Error);
      }
    }
  };

  const runDelivery = (id: string, data: DeliverJobData) => {
    if (!handlers?.deliver || closed) {
      deliveryWaiting.push({ id, data });
      return;
    }
    deliveries.set(id, "running");
    void handlers.deliver(data)
      .catch((error) => logger.error({ job: id, err: error }, "delivery job failed; the reconciler will retry it"))
      .finally(() => {
        deliveries.delete(id);
        checkIdle();
      });
  };

  return {
    kind: "in-process",
    async enqueueDeliver(data, delayMs = 0) {
      const id = deliverJobId(data);
      if (deliveries.has(id) || closed) return;
      if (delayMs <= 0) return runDelivery(id, data);
      const timer = setTimeout(() => {
        deliveries.delete(id);
        runDelivery(id, data);
      }, delayMs);
      // A long retry delay (minutes, hours) must not keep a finished batch alive: the reconciler
      // finds due deliveries in the store after a restart.
      timer.unref();
      deliveries.set(id, timer);
    },
    async enqueueExtract(data, options = {}) {
      const id = extractJobId(data.contentHash);
      if (pending.has(id) && !options.force) return;
      if (pending.has(id) && (running.has(id) || queued.includes(id))) return;
      pending.set(id, data);
      queued.push(id);
      pump();
    },
    async startWorkers(h, n) {
      handlers = h;
      concurrency = n;
      pump();
      for (const waiting of deliveryWaiting.splice(0)) runDelivery(waiting.id, waiting.data);
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      }),
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const [id, t] of deliveries) if (t !== "running") (clearTimeout(t), deliveries.delete(id));
      checkIdle();
    },
    dashboardQueues: () => [],
    ready: async () => !closed,
    counts: async () => ({
      extract: { waiting: queued.length, active: running.size, delayed: timers.size, completed: counters.completed, failed: counters.failed },
      deliver: { active: [...deliveries.values()].filter((v) => v === "running").length, delayed: [...deliveries.values()].filter((v) => v !== "running").length },
    }),
  };
}
