import type { Logger } from "pino";
import type { IngestInput, IngestResult } from "./services.ts";
import type { Store } from "./store/types.ts";
import type { JobQueues } from "./queue/types.ts";
import { FileArea } from "./files.ts";

/**
 * Accepting a file, in the order that makes a crash at any point safe:
 * 1. the original is written durably under its content hash;
 * 2. the document is recorded (state "received") — from here it is never lost;
 * 3. its extraction is enqueued — if this is lost, the reconciler re-enqueues.
 * The same content is one document (content hash), and so is a repeated
 * Idempotency-Key.
 */
export function createIngest(deps: { store: Store; files: FileArea; queues: JobQueues; logger: Logger; maxFileBytes: number }) {
  return async function ingest(input: IngestInput): Promise<IngestResult> {
    if (input.bytes.byteLength > deps.maxFileBytes) {
      throw new IngestRejected("too_large", `${input.fileName}: ${input.bytes.byteLength} bytes is over the limit of ${deps.maxFileBytes}`);
    }
    const contentHash = FileArea.sha256(input.bytes);
    await deps.files.saveOriginal(input.bytes, contentHash);
    const { document, created } = await deps.store.receiveDocument({
      contentHash,
      fileName: input.fileName,
      mediaType: input.mediaType ?? null,
      size: input.bytes.byteLength,
      source: input.source,
      metadata: input.metadata ?? {},
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
    });
    if (created) {
      await deps.queues.enqueueExtract({ documentId: document.id, contentHash });
      deps.logger.info({ documentId: document.id, file: input.fileName, source: input.source, size: input.bytes.byteLength }, "received");
    } else {
      deps.logger.info({ documentId: document.id, file: input.fileName, source: input.source }, "already received: same content");
    }
    return { document, created };
  };
}

/** A file refused before it is recorded (over the size limit). */
export class IngestRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "IngestRejected";
  }
}
