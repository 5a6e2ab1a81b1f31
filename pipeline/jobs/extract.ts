import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Extraction } from "../../schemas/extraction.ts";
import type { DocumentRecord } from "../../schemas/document.ts";
import { isReadError } from "../../extractors/errors.ts";
import { fold } from "../../extractors/text/normalize.ts";
import { nextState } from "../lifecycle.ts";
import type { Store } from "../store/types.ts";
import { PermanentJobError, type JobData } from "../queue/types.ts";

export interface ExtractJobDeps {
  store: Store;
  logger: Logger;
  readOriginal: (document: DocumentRecord) => Promise<Uint8Array>;
  extract: (bytes: Uint8Array, fileName: string) => Promise<Extraction>;
  /** Puts a file that cannot be read into failed/ with its reason. */
  quarantine: (document: DocumentRecord, error: { code: string; message: string }) => Promise<void>;
  /** Approve without review when every confidence reaches this; undefined = off. */
  autoApproveMinConfidence?: number;
  /**
   * Called with the document once extracted (auto-approved documents go on to
   * delivery), and again when the job runs for a document already in
   * "approved" (a crash came between the two): it must be idempotent.
   */
  afterExtracted?: (document: DocumentRecord) => Promise<void>;
  /** Extra checks after extraction (edXML header disagreements): returns notes stored as an event. */
  review?: (document: DocumentRecord, extraction: Extraction) => Record<string, unknown> | null;
}

const WORKER = `${hostname()}:${process.pid}`;

/**
 * The extraction job. Idempotent: it acts only on a document in "received" (or
 * in "extracting" left by a worker that died), and every state change is a
 * compare-and-set, so a job run twice moves the document once.
 */
export async function runExtractJob(data: JobData, deps: ExtractJobDeps): Promise<void> {
  const { store, logger } = deps;
  let document = await store.getDocument(data.documentId);
  if (!document) {
    logger.warn({ documentId: data.documentId }, "extract job for an unknown document: nothing to do");
    return;
  }
  // Extracted and auto-approved, but the worker died before the approval was written: finish it (a no-op if it was).
  if (document.state === "approved") {
    await deps.afterExtracted?.(document);
    return;
  }
  if (document.state !== "received" && document.state !== "extracting") return; // already done
  const from = document.state;
  const started = await store.transition(document.id, from, nextState(from, { type: "EXTRACTION_STARTED" }), {
    type: "EXTRACTION_STARTED",
    // Which process took it: operators (and the crash tests) can see a job move between workers.
    data: { worker: WORKER, ...(from === "extracting" ? { resumed: true } : {}) },
  });
  if (!started) return; // another worker took it
  document = started;

  const bytes = await deps.readOriginal(document);
  let extraction: Extraction;
  try {
    extraction = await deps.extract(bytes, document.fileName);
  } catch (error) {
    if (!isReadError(error)) throw error; // transient: the queue retries
    const failure = { code: error.code, message: error.message };
    logger.warn({ documentId: document.id, file: document.fileName, ...failure }, "file could not be read");
    await deps.quarantine(document, failure);
    await store.transition(document.id, "extracting", "failed", { type: "EXTRACTION_FAILED", data: failure }, { errorCode: failure.code, errorMessage: failure.message });
    throw new PermanentJobError(failure.message);
  }

  const stored = await store.saveExtraction(document.id, extraction);
  const letterKey = letterKeyOf(extraction);
  const duplicate = letterKey ? await store.findByLetterKey(letterKey, document.id) : null;
  const autoApprove = deps.autoApproveMinConfidence !== undefined && minConfidence(extraction) >= deps.autoApproveMinConfidence;
  const event = { type: "EXTRACTED" as const, extractionId: stored.id, autoApprove };
  const done = await store.transition(
    document.id,
    "extracting",
    nextState("extracting", event),
    { type: "EXTRACTED", data: { extractionId: stored.id, autoApprove, extractorVersion: stored.extractorVersion, tasks: extraction.tasks.length } },
    { letterKey, duplicateOf: duplicate?.id ?? null, errorCode: null, errorMessage: null },
  );
  if (!done) return;
  if (duplicate) {
    // ND 30/2020 Phụ lục VI: the same letter arriving twice is linked and flagged, not merged.
    await store.appendEvent(document.id, { type: "DUPLICATE_LETTER", data: { of: duplicate.id, letterKey } });
  }
  const notes = deps.review?.(done, extraction);
  if (notes) await store.appendEvent(document.id, { type: "REVIEW_NOTES", data: notes });
  logger.info({ documentId: document.id, state: done.state, tasks: extraction.tasks.length, duplicateOf: duplicate?.id }, "extracted");
  await deps.afterExtracted?.(done);
}

/** issuer|number|symbol|year: what identifies a letter across files. */
export function letterKeyOf(extraction: Extraction): string | null {
  const d = extraction.document;
  if (!d.number || !d.symbol) return null;
  const year = d.date?.slice(0, 4) ?? "";
  return [fold(d.issuer ?? ""), d.number.replace(/^0+/, ""), fold(d.symbol).replace(/\s+/g, ""), year].join("|");
}

// The fields a letter always has; optional ones (recipients, distribution) may rightly be empty.
const CORE_FIELDS = ["type", "symbol", "issuer", "date", "subject"];

/** The weakest confidence among the core fields and the tasks. */
export function minConfidence(extraction: Extraction): number {
  const values = CORE_FIELDS.map((name) => extraction.provenance.fields[name]?.confidence ?? 0);
  for (const t of extraction.tasks) if (t.confidence !== undefined) values.push(t.confidence);
  return values.length ? Math.min(...values) : 0;
}
