import type { Logger } from "pino";
import { settleDocument } from "./jobs/deliver.ts";
import type { JobQueues } from "./queue/types.ts";
import type { DocumentRecord } from "../schemas/document.ts";
import type { Store } from "./store/types.ts";

/**
 * The store, not the queue, is the record of unfinished work. At start-up and
 * then periodically, documents left in "received" or "extracting" (a crash
 * between recording and enqueueing, a lost Redis, a killed worker) are
 * enqueued again, and so are webhook deliveries whose next attempt is due; the
 * job's id makes this a no-op for work already queued. Documents auto-approved
 * by their extraction whose approval a crash cut short get it finished, and
 * documents whose deliveries all ended without the document settling are
 * settled.
 */
export function createReconciler(deps: {
  store: Store;
  queues: JobQueues;
  logger: Logger;
  graceMs?: number;
  /** Finishes an interrupted auto-approval (once per extraction, however often it is called). */
  resumeAutoApproval?: (document: DocumentRecord) => Promise<void>;
}) {
  const grace = deps.graceMs ?? 30_000;
  let timer: NodeJS.Timeout | null = null;

  async function reconcileOnce(): Promise<number> {
    const before = new Date(Date.now() - grace).toISOString();
    let count = 0;
    // Page by page from the oldest: enqueueing does not change a document, so asking for "the oldest
    // 200" again would return the same ones for as long as 200 or more are waiting.
    let after: { updatedAt: string; id: string } | undefined;
    for (;;) {
      const stuck = await deps.store.findStuck(["received", "extracting"], before, 200, after);
      for (const document of stuck) {
        await deps.queues.enqueueExtract({ documentId: document.id, contentHash: document.contentHash }, { force: true });
        count++;
      }
      const last = stuck.at(-1);
      if (!last || stuck.length < 200) break;
      after = { updatedAt: last.updatedAt, id: last.id };
    }
    if (deps.resumeAutoApproval) {
      for (const document of await deps.store.outbox.pendingAutoApprovals(before, 200)) {
        try {
          await deps.resumeAutoApproval(document);
          count++;
        } catch (err) {
          deps.logger.error({ err, documentId: document.id }, "could not finish an interrupted auto-approval");
        }
      }
    }
    // Every delivery ended but the document never settled (the worker died in between, and its job went with Redis).
    for (const document of await deps.store.outbox.unsettledDocuments(before, 200)) {
      await settleDocument(deps.store, document.id, deps.logger);
      count++;
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
      let running = false;
      timer = setInterval(() => {
        // A pass slower than the interval (a large backlog, a slow Redis) is not joined by another.
        if (running) return;
        running = true;
        void reconcileOnce()
          .catch((err) => deps.logger.warn({ err }, "reconcile failed"))
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
