import type { Generated, Insertable, Selectable } from "kysely";

/**
 * The tables as Kysely sees them, one type for SQLite and PostgreSQL. Only
 * types both dialects store the same way are used: timestamps are ISO 8601
 * strings in text columns (they sort and compare as text because
 * `Date#toISOString` always has the same width), JSON is text we encode and
 * parse ourselves, sizes are plain integers.
 *
 * Later migrations (reviewer corrections, tasks, deliveries/outbox) add their
 * tables here next to the migration that creates them.
 */
export interface DocumentsTable {
  id: string;
  content_hash: string;
  file_name: string;
  media_type: string | null;
  size: number;
  source: string;
  state: string;
  created_at: string;
  updated_at: string;
  duplicate_of: string | null;
  letter_key: string | null;
  error_code: string | null;
  error_message: string | null;
  /** JSON object. */
  metadata: string;
  /** Folded (lower-case, no diacritics) file name and letter fields, for `q`. */
  search_text: string;
}

export interface DocumentEventsTable {
  /** Autoincrement (SQLite) / identity (PostgreSQL): the order events happened in. */
  id: Generated<number>;
  document_id: string;
  at: string;
  type: string;
  from_state: string | null;
  to_state: string | null;
  /** JSON object. */
  data: string;
}

export interface ExtractionsTable {
  id: string;
  document_id: string;
  /**
   * 1, 2, ... per document, unique with document_id: "latest" must not depend
   * on two saves landing in different milliseconds.
   */
  seq: number;
  extractor_version: string;
  created_at: string;
  /** JSON of the whole Extraction. */
  data: string;
}

export interface IdempotencyKeysTable {
  key: string;
  document_id: string;
  created_at: string;
}

/** An approved task; a reviewer's change after approval adds a version. */
export interface TasksTable {
  id: string;
  document_id: string;
  position: number;
  version: number;
  ref: string;
  text: string;
  /** JSON string[]. */
  assignees: string;
  collaborators: string;
  deadline: string | null;
  /** JSON: the routing of each party to tracker ids. */
  routed: string;
  status: string;
  /** 1 when a reviewer changed what the extractor read. */
  corrected: number;
  created_at: string;
  updated_at: string;
}

/** The transactional outbox: one webhook event to one endpoint. */
export interface DeliveriesTable {
  id: string;
  endpoint_id: string;
  document_id: string;
  task_id: string | null;
  task_version: number | null;
  event_type: string;
  webhook_id: string;
  /** JSON of the payload, fixed when the event was created. */
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  at: string;
  outcome: string;
  status: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export interface EndpointStateTable {
  endpoint_id: string;
  disabled_at: string | null;
  reason: string | null;
}

/** The reviewer's corrected version of a document (the extraction itself is never changed). */
export interface ReviewedDocumentsTable {
  document_id: string;
  /** The extraction the corrections were made against. */
  extraction_id: string;
  /** JSON ReviewedDocument: the latest save. */
  data: string;
  saved_at: string;
  saved_by: string;
  /** JSON ReviewedDocument as last approved: what went to the tracker, and what export-gold writes. */
  approved_data: string | null;
  approved_at: string | null;
  approved_by: string | null;
}

/** Append-only: one row per changed field per save. */
export interface CorrectionsTable {
  id: Generated<number>;
  document_id: string;
  extraction_id: string;
  at: string;
  by: string;
  path: string;
  /** JSON values. */
  before: string;
  after: string;
}

export interface ReviewSessionsTable {
  id_hash: string;
  user_name: string;
  role: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface Database {
  documents: DocumentsTable;
  document_events: DocumentEventsTable;
  extractions: ExtractionsTable;
  idempotency_keys: IdempotencyKeysTable;
  tasks: TasksTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  endpoint_state: EndpointStateTable;
  reviewed_documents: ReviewedDocumentsTable;
  corrections: CorrectionsTable;
  review_sessions: ReviewSessionsTable;
}

export type DocumentRow = Selectable<DocumentsTable>;
export type NewDocumentRow = Insertable<DocumentsTable>;
export type DocumentEventRow = Selectable<DocumentEventsTable>;
export type ExtractionRow = Selectable<ExtractionsTable>;
