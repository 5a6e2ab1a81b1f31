import type { Logger } from "pino";
import type { Config } from "../schemas/config.ts";
import type { DocumentRecord, DocumentState } from "../schemas/document.ts";
import type { Extraction } from "../schemas/extraction.ts";
import { compareWithExtraction } from "./edxml/compare.ts";
import type { EdxmlFields } from "./edxml/parse.ts";
import { createLogger } from "./logger.ts";
import { FileArea } from "./files.ts";
import { createIngest } from "./ingest.ts";
import { createReconciler } from "./reconciler.ts";
import { createInProcessQueues } from "./queue/in-process.ts";
import { createBullmqQueues } from "./queue/bullmq.ts";
import type { JobQueues } from "./queue/types.ts";
import { runExtractJob } from "./jobs/extract.ts";
import { runDeliverJob } from "./jobs/deliver.ts";
import { createApproval } from "./approval.ts";
import { canTake, nextState } from "./lifecycle.ts";
import { createRouter, loadOrgDirectory } from "./delivery/routing.ts";
import { readFile } from "node:fs/promises";
import { createExtractor, type Extractor } from "./extractor.ts";
import { createStore } from "./store/kysely-store.ts";
import type { Store } from "./store/types.ts";
import type { Services } from "./services.ts";

/**
 * Assembles the pipeline from its configuration: store (SQLite or
 * PostgreSQL), queues (in-process or BullMQ), the extraction workers and the
 * reconciler. `vanthu run` starts everything in one process; `vanthu worker`
 * only the workers (more machines on the same Redis and PostgreSQL).
 */
export interface Runtime {
  services: Services;
  store: Store;
  queues: JobQueues;
  files: FileArea;
  logger: Logger;
  /** Starts the extraction workers and the reconciler. */
  startWorkers(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An edXML package's header is authoritative: where the extracted text says
 * otherwise, the reviewer is shown both.
 */
function edxmlReview(document: DocumentRecord, extraction: Extraction): Record<string, unknown> | null {
  const header = document.metadata.edxml as EdxmlFields | undefined;
  if (!header) return null;
  const disagreements = compareWithExtraction(header, extraction.document);
  return disagreements.length ? { edxmlDisagreements: disagreements } : null;
}

export async function createRuntime(config: Config, options: { logger?: Logger } = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = await createStore({ dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}) });
  await store.migrate();
  const files = new FileArea(config.dataDir);
  const queues = config.redisUrl ? createBullmqQueues(config.redisUrl, logger) : createInProcessQueues(logger);
  const ingest = createIngest({ store, files, queues, logger, maxFileBytes: config.workers.maxFileBytes });
  const readOriginal = (document: DocumentRecord) => files.readOriginal(document.contentHash);
  const router = config.orgDirectory ? createRouter(loadOrgDirectory(JSON.parse(await readFile(config.orgDirectory, "utf8")))) : null;
  const approve = createApproval({ store, queues, config, router, logger });
  // Auto-approval of a fresh extraction, also how a crash between the two is resumed (job re-run, reconciler).
  const autoApprove = async (document: DocumentRecord) => {
    if (document.state === "approved") await approve({ documentId: document.id, by: "auto-approve", from: "approved", auto: true });
  };
  const reconciler = createReconciler({ store, queues, logger, graceMs: Math.min(30_000, config.reconcileIntervalMs), resumeAutoApproval: autoApprove });
  const replayDelivery = async (deliveryId: string) => {
    const delivery = await store.outbox.resetForReplay(deliveryId);
    if (!delivery) return false;
    // The document leaves delivery_failed so that this delivery's success can settle it.
    await store.transition(delivery.documentId, "delivery_failed", "approved", { type: "REQUEUE", data: { deliveryId } });
    await queues.enqueueDeliver({ deliveryId: delivery.id, attempt: delivery.attempts + 1 });
    return true;
  };
  const rerunExtraction = async (request: { documentId: string; by: string; from: DocumentState }) => {
    const event = { type: "RERUN" as const, by: request.by };
    if (!canTake(request.from, event)) return null;
    const moved = await store.transition(request.documentId, request.from, nextState(request.from, event), { type: "RERUN", data: { by: request.by } }, { errorCode: null, errorMessage: null });
    // force: the finished extraction job of this content would otherwise make the enqueue a no-op.
    if (moved) await queues.enqueueExtract({ documentId: moved.id, contentHash: moved.contentHash }, { force: true });
    return moved;
  };
  let extractor: Extractor | null = null;

  const quarantine = async (document: DocumentRecord, error: { code: string; message: string }) => {
    const archived = (await store.events(document.id)).filter((e) => e.type === "ARCHIVED").at(-1)?.data.path;
    const path = await files.quarantine({
      from: typeof archived === "string" ? archived : null,
      contentHash: document.contentHash,
      fileName: document.fileName,
      error,
      documentId: document.id,
    });
    await store.appendEvent(document.id, { type: "QUARANTINED", data: { path } });
  };

  const services: Services = {
    config,
    logger,
    store,
    ingest,
    readOriginal,
    approve,
    replayDelivery,
    rerunExtraction,
    queues: { dashboardQueues: () => queues.dashboardQueues(), ready: () => queues.ready(), counts: () => queues.counts() },
  };

  return {
    services,
    store,
    queues,
    files,
    logger,
    async startWorkers() {
      extractor = createExtractor(config, logger);
      const deps = {
        store,
        logger,
        readOriginal,
        extract: (bytes: Uint8Array, fileName: string) => extractor!.extract(bytes, fileName),
        quarantine,
        review: edxmlReview,
        // Auto-approved documents go straight to delivery, through the same approval as a reviewer's.
        afterExtracted: (document: DocumentRecord) => autoApprove(document).catch((err) => logger.error({ err, documentId: document.id }, "auto-approval failed")),
        ...(config.autoApproveMinConfidence !== undefined ? { autoApproveMinConfidence: config.autoApproveMinConfidence } : {}),
      };
      await queues.startWorkers(
        {
          extract: (data) => runExtractJob(data, deps),
          deliver: (data) => runDeliverJob(data, { store, queues, logger, endpoints: config.endpoints }),
          async extractExhausted(data, error) {
            const document = await store.getDocument(data.documentId);
            if (!document || (document.state !== "extracting" && document.state !== "received")) return;
            const failure = { code: "internal_error", message: `extraction kept failing: ${error.message}` };
            await quarantine(document, failure);
            await store.transition(document.id, document.state, "failed", { type: "EXTRACTION_FAILED", data: failure }, { errorCode: failure.code, errorMessage: failure.message });
          },
        },
        config.workers.concurrency,
      );
      await reconciler.reconcileOnce();
      reconciler.start(config.reconcileIntervalMs);
    },
    async stop() {
      reconciler.stop();
      await queues.close();
      await extractor?.close();
      await store.close();
    },
  };
}
