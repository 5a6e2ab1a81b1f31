import { describe, it, expect, afterEach } from "vitest";
import { extract } from "../../extractors/index.ts";
import type { DocumentRecord } from "../../schemas/document.ts";
import { createApproval } from "../../pipeline/approval.ts";
import { FileArea } from "../../pipeline/files.ts";
import { createIngest } from "../../pipeline/ingest.ts";
import { runDeliverJob } from "../../pipeline/jobs/deliver.ts";
import { runExtractJob, type ExtractJobDeps } from "../../pipeline/jobs/extract.ts";
import { createInProcessQueues } from "../../pipeline/queue/in-process.ts";
import { createReconciler } from "../../pipeline/reconciler.ts";
import { createStore } from "../../pipeline/store/kysely-store.ts";
import type { Store } from "../../pipeline/store/types.ts";
import { distinctLetters, quietLogger, tempDir, testConfig } from "./helpers.ts";

/**
 * The moments between two writes where a worker killed with SIGKILL used to
 * leave a letter stuck for good (found by `npm run drill`): extracted and
 * auto-approved but the approval never written, and every delivery made but
 * the document never settled. Each is replayed here by stopping the work at
 * that point, then checking that the job run again, or the reconciler,
 * finishes it exactly once. And a backlog the reconciler must walk whole.
 */
const closing: Store[] = [];
afterEach(async () => {
  while (closing.length) await closing.pop()!.close();
});

async function pipeline() {
  const dataDir = await tempDir("crash-windows");
  const config = testConfig(dataDir, { autoApproveMinConfidence: 0, endpoints: [{ id: "tracker", url: "http://127.0.0.1:9/hooks", secretEnv: "VANTHU_TEST_UNUSED_SECRET" }] });
  const store = await createStore({ dataDir });
  await store.migrate();
  closing.push(store);
  const files = new FileArea(dataDir);
  // Never started: the jobs are run by hand, at the moments the test chooses.
  const queues = createInProcessQueues(quietLogger);
  const approve = createApproval({ store, queues, config, router: null, logger: quietLogger });
  const autoApprove = async (document: DocumentRecord) => {
    if (document.state === "approved") await approve({ documentId: document.id, by: "auto-approve", from: "approved", auto: true });
  };
  const extractDeps: ExtractJobDeps = {
    store,
    logger: quietLogger,
    readOriginal: (d) => files.readOriginal(d.contentHash),
    extract: (bytes, fileName) => extract(bytes, { fileName }),
    quarantine: async () => undefined,
    autoApproveMinConfidence: 0,
    afterExtracted: autoApprove,
  };
  const reconciler = createReconciler({ store, queues, logger: quietLogger, graceMs: 0, resumeAutoApproval: autoApprove });
  const ingest = createIngest({ store, files, queues, logger: quietLogger, maxFileBytes: config.workers.maxFileBytes });
  const receive = async (salt: string) => {
    const [letter] = await distinctLetters(1, salt);
    const { document } = await ingest({ bytes: Buffer.from(letter!.text), fileName: letter!.name, source: "http" });
    return { documentId: document.id, contentHash: document.contentHash };
  };
  return { store, config, queues, extractDeps, reconciler, receive };
}

/** Extracted and auto-approved (state "approved"), then the worker dies before the approval is written. */
async function extractedThenKilled(p: Awaited<ReturnType<typeof pipeline>>, salt: string) {
  const job = await p.receive(salt);
  const killed = new Error("SIGKILL");
  await expect(runExtractJob(job, { ...p.extractDeps, afterExtracted: () => Promise.reject(killed) })).rejects.toBe(killed);
  return job;
}

const approvals = async (store: Store, id: string) => (await store.events(id)).filter((e) => e.type === "APPROVE").length;

describe("crash windows a killed worker leaves behind", () => {
  it("an auto-approval cut short is finished once, by the job run again and the reconciler at the same time", async () => {
    const p = await pipeline();
    const job = await extractedThenKilled(p, "approval");
    const soon = new Date(Date.now() + 1000).toISOString();
    expect((await p.store.getDocument(job.documentId))?.state).toBe("approved");
    expect(await p.store.outbox.tasks(job.documentId)).toEqual([]);
    expect((await p.store.outbox.pendingAutoApprovals(soon, 10)).map((d) => d.id)).toEqual([job.documentId]);

    await Promise.all([runExtractJob(job, p.extractDeps), p.reconciler.reconcileOnce(), p.reconciler.reconcileOnce(), runExtractJob(job, p.extractDeps)]);

    const tasks = (await p.store.latestExtraction(job.documentId))!.extraction.tasks.length;
    expect(tasks).toBeGreaterThan(0);
    expect(await approvals(p.store, job.documentId)).toBe(1);
    expect(await p.store.outbox.tasks(job.documentId)).toHaveLength(tasks);
    expect(await p.store.outbox.listDeliveries({ documentId: job.documentId })).toHaveLength(tasks);
    expect(await p.store.outbox.pendingAutoApprovals(soon, 10)).toEqual([]);
  });

  it("a document sent back to extraction is auto-approved again: the once-only guard is per extraction", async () => {
    const p = await pipeline();
    const job = await p.receive("rerun");
    await runExtractJob(job, p.extractDeps);
    expect(await approvals(p.store, job.documentId)).toBe(1);
    await p.store.transition(job.documentId, "approved", "received", { type: "RERUN", data: { by: "reviewer" } });
    await runExtractJob(job, p.extractDeps);
    expect(await approvals(p.store, job.documentId)).toBe(2);
    // Same tasks again: kept, not duplicated.
    const tasks = (await p.store.latestExtraction(job.documentId))!.extraction.tasks.length;
    expect(await p.store.outbox.tasks(job.documentId)).toHaveLength(tasks);
  });

  it("every delivery recorded but the document never settled: the job run again settles it, and so does the reconciler", async () => {
    const p = await pipeline();
    const settle = async (salt: string) => {
      const job = await p.receive(salt);
      await runExtractJob(job, p.extractDeps);
      await p.store.transition(job.documentId, "approved", "delivering", { type: "DELIVERY_STARTED" });
      const deliveries = await p.store.outbox.listDeliveries({ documentId: job.documentId });
      const at = new Date().toISOString();
      // Sent and recorded; the worker is killed before settleDocument.
      for (const d of deliveries) await p.store.outbox.recordAttempt(d.id, { at, outcome: "delivered", status: 200, latencyMs: 1, error: null, responseExcerpt: null }, { status: "delivered", nextAttemptAt: null, lastError: null });
      expect((await p.store.getDocument(job.documentId))?.state).toBe("delivering");
      return { documentId: job.documentId, deliveries };
    };
    const byJob = await settle("settle-job");
    await runDeliverJob({ deliveryId: byJob.deliveries.at(-1)!.id, attempt: 1 }, { store: p.store, queues: p.queues, logger: quietLogger, endpoints: p.config.endpoints });
    expect((await p.store.getDocument(byJob.documentId))?.state).toBe("delivered");

    const byReconciler = await settle("settle-reconciler");
    const soon = new Date(Date.now() + 1000).toISOString();
    expect((await p.store.outbox.unsettledDocuments(soon, 10)).map((d) => d.id)).toEqual([byReconciler.documentId]);
    await p.reconciler.reconcileOnce();
    expect((await p.store.getDocument(byReconciler.documentId))?.state).toBe("delivered");
    expect(await p.store.outbox.unsettledDocuments(soon, 10)).toEqual([]);
  });
});

describe("the reconciler under a backlog", () => {
  it("with more documents waiting than one page, each is enqueued once and the pass ends", async () => {
    const dataDir = await tempDir("backlog");
    const store = await createStore({ dataDir });
    await store.migrate();
    closing.push(store);
    const ids: string[] = [];
    for (let i = 0; i < 450; i++) {
      const { document } = await store.receiveDocument({ contentHash: FileArea.sha256(Buffer.from(`letter ${i}`)), fileName: `${i}.txt`, mediaType: "text/plain", size: 8, source: "http" });
      ids.push(document.id);
    }
    const enqueued: string[] = [];
    const queues = createInProcessQueues(quietLogger);
    const counting = {
      ...queues,
      enqueueExtract: async (data: { documentId: string; contentHash: string }, options?: { force?: boolean }) => {
        // Before the fix the pass asked for "the oldest 200" again and again, and never ended while 200 were waiting.
        if (enqueued.includes(data.documentId)) throw new Error(`${data.documentId} enqueued twice in one pass`);
        enqueued.push(data.documentId);
        await queues.enqueueExtract(data, options);
      },
    };
    const reconciler = createReconciler({ store, queues: counting, logger: quietLogger, graceMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 5)); // the last one recorded strictly before the pass
    expect(await reconciler.reconcileOnce()).toBe(450);
    expect(new Set(enqueued)).toEqual(new Set(ids));
    await queues.close();
  }, 30_000);
});
