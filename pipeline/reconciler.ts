import type { Logger } from "pino";
import type { JobQueues } from "./queue/types.ts";
import type { Store } from "./store/types.ts";

/**
 * The store, not the queue, is the record of unfinished work. At start-up and
 * then periodically, documents left in "received" or "extracting" (a crash
 * between recording and enqueueing, a lost Redis, a killed worker) are
 * enqueued again, and so are webhook deliveries whose next attempt is due; the
 * job's id makes this a no-op for work already queued.
 */
export function createReconciler(deps: { store: Store; queues: JobQueues; logger: Logger; graceMs?: number }) {
  const grace = deps.graceMs ?? 30_000;
  let timer: NodeJS.Timeout | null = null;

  async function reconcileOnce(): Promise<number> {
    const before = new Date(Date.now() - grace).toISOString();
    let count = 0;
    for (;;) {
      const stuck = await deps.store.findStuck(["received", "extracting"], before, 200);
      for (const document of stuck) {
        await deps.queues.enqueueExtract({ documentId: document.id, contentHash: document.contentHash }, { force: true });
        count++;
      }
      if (stuck.length < 200) break;
    }
    // Deliveries due and not in any queue (a lost enqueue, a Redis restart, a restart of the embedded runner).
    for (const delivery of await deps.store.outbox.dueDeliveries(before, 500)) {
      await deps.queues.enqueueDeliver({ deliveryId: delivery.id, attempt: delivery.attempts + 1 });
      count++;
    }
    if (count) deps.logger.info({ count }, "re-enqueued unfinished documents");
    return count;
  }

  return {
    reconcileOnce,
    start(intervalMs: number) {
      timer = setInterval(() => void reconcileOnce().catch((err) => deps.logger.warn({ err }, "reconcile failed")), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
