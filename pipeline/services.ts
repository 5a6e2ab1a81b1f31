import type { Logger } from "pino";
import type { Config } from "../schemas/config.ts";
import type { DocumentRecord, DocumentSource, DocumentState } from "../schemas/document.ts";
import type { Store } from "./store/types.ts";

/** What the HTTP server, the watcher and the CLI need from the running pipeline. */
export interface IngestInput {
  bytes: Uint8Array;
  /** The name the file arrived with: metadata only, never a path. */
  fileName: string;
  source: DocumentSource;
  mediaType?: string | null;
  metadata?: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface IngestResult {
  document: DocumentRecord;
  created: boolean;
}

export interface Services {
  /** Approves a document's tasks (as extracted, or as corrected) and queues their delivery. */
  approve(request: import("./approval.ts").ApproveRequest): Promise<{ document: DocumentRecord; deliveries: { id: string }[] }>;
  /** Sends a delivery again: a new attempt with a fresh timestamp and signature, the same webhook-id. */
  replayDelivery(deliveryId: string): Promise<boolean>;
  /**
   * Sends a document back to extraction (lifecycle RERUN, compare-and-set from
   * the state the reviewer saw) and enqueues the job. Null when the document
   * was no longer in `from`. Optional: hosts without queues leave it out.
   */
  rerunExtraction?(request: { documentId: string; by: string; from: DocumentState }): Promise<DocumentRecord | null>;
  config: Config;
  logger: Logger;
  store: Store;
  /** Stores the original durably, records the document, and enqueues its extraction. */
  ingest(input: IngestInput): Promise<IngestResult>;
  /** The original bytes of a document (for the review page and downloads). */
  readOriginal(document: DocumentRecord): Promise<Uint8Array>;
  queues: {
    /** BullMQ Queue objects for the dashboard; empty when jobs run in-process. */
    dashboardQueues(): unknown[];
    /** Whether the queue backend answers (Redis ping, or true in-process). */
    ready(): Promise<boolean>;
    /** Jobs waiting, active, failed per queue, for /metrics and `vanthu status`. */
    counts(): Promise<Record<string, Record<string, number>>>;
  };
}
