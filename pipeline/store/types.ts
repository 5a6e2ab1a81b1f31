import type { Extraction } from "../../schemas/extraction.ts";
import type { OutboxStore } from "./outbox-types.ts";
import type { ReviewStore } from "./review-types.ts";
import type {
  DocumentEvent,
  DocumentListQuery,
  DocumentRecord,
  DocumentSource,
  DocumentState,
  StoredExtraction,
} from "../../schemas/document.ts";

/**
 * The store is the record of everything vanthu accepted and of all unfinished
 * work: queues can lose jobs, the store cannot. One query layer (Kysely) over
 * the embedded SQLite file or PostgreSQL.
 */
export interface NewDocument {
  contentHash: string;
  fileName: string;
  mediaType: string | null;
  size: number;
  source: DocumentSource;
  metadata?: Record<string, unknown>;
  /** An HTTP client's Idempotency-Key: the same key returns the document first created with it. */
  idempotencyKey?: string;
}

export interface DocumentPatch {
  errorCode?: string | null;
  errorMessage?: string | null;
  letterKey?: string | null;
  duplicateOf?: string | null;
  metadata?: Record<string, unknown>;
}

export interface TransitionEvent {
  type: string;
  data?: Record<string, unknown>;
}

export interface Store {
  /** Approved tasks and the webhook outbox, in the same database. */
  readonly outbox: OutboxStore;
  /** The review page: reviewers' corrected versions, the corrections log, sign-in sessions. */
  readonly review: ReviewStore;

  /** Creates or upgrades the schema (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** A cheap round trip, for /readyz. */
  ping(): Promise<boolean>;

  /**
   * Records a received file in one transaction: the document in state
   * "received", its "RECEIVED" event and the idempotency key. The same content
   * hash (or the same idempotency key) returns the existing document with
   * created=false and writes nothing but a new idempotency key.
   */
  receiveDocument(doc: NewDocument): Promise<{ document: DocumentRecord; created: boolean }>;
  getDocument(id: string): Promise<DocumentRecord | null>;
  getDocumentByHash(contentHash: string): Promise<DocumentRecord | null>;
  listDocuments(query: DocumentListQuery): Promise<{ items: DocumentRecord[]; total: number }>;
  countByState(): Promise<Record<DocumentState, number>>;

  /**
   * Compare-and-set of the lifecycle state, with its event row, in one
   * transaction. Returns the updated document, or null when the document is not
   * in `from` any more (another worker moved it): the caller then does nothing.
   */
  transition(id: string, from: DocumentState, to: DocumentState, event: TransitionEvent, patch?: DocumentPatch): Promise<DocumentRecord | null>;
  /**
   * An event that does not change the state (a note, a duplicate link, an error
   * detail): from/to states are null and updated_at is left alone, so a note
   * never makes a stuck document look active.
   */
  appendEvent(id: string, event: TransitionEvent): Promise<void>;
  events(documentId: string): Promise<DocumentEvent[]>;

  /** Extractions are immutable: each run adds a row, tagged with the extractor version. */
  saveExtraction(documentId: string, extraction: Extraction): Promise<StoredExtraction>;
  latestExtraction(documentId: string): Promise<StoredExtraction | null>;

  /** Another document with the same letter key (issuer|number|symbol|year), the earliest. */
  findByLetterKey(letterKey: string, excludeId: string): Promise<DocumentRecord | null>;
  /**
   * Documents in one of `states` last updated before `updatedBefore` (ISO),
   * oldest first; `after` (the last document of the previous page) continues
   * from there, so a caller can walk them all without seeing one twice.
   */
  findStuck(states: readonly DocumentState[], updatedBefore: string, limit: number, after?: { updatedAt: string; id: string }): Promise<DocumentRecord[]>;
}
