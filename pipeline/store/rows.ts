import type { DocumentEvent, DocumentRecord, DocumentSource, DocumentState, StoredExtraction } from "../../schemas/document.ts";
import type { Extraction } from "../../schemas/extraction.ts";
import type { DocumentEventRow, DocumentRow, ExtractionRow } from "./schema.ts";

/**
 * Rows to records. The columns hold only what the store itself wrote, so
 * states and sources are cast rather than validated on every read; the tests
 * validate the mapped records against the zod schemas.
 */

export function toDocumentRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    contentHash: row.content_hash,
    fileName: row.file_name,
    mediaType: row.media_type,
    size: row.size,
    source: row.source as DocumentSource,
    state: row.state as DocumentState,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    duplicateOf: row.duplicate_of,
    letterKey: row.letter_key,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    metadata: parseObject(row.metadata),
  };
}

export function toDocumentEvent(row: DocumentEventRow): DocumentEvent {
  return {
    id: Number(row.id),
    documentId: row.document_id,
    at: row.at,
    type: row.type,
    fromState: row.from_state as DocumentState | null,
    toState: row.to_state as DocumentState | null,
    data: parseObject(row.data),
  };
}

export function toStoredExtraction(row: ExtractionRow): StoredExtraction {
  return {
    id: row.id,
    documentId: row.document_id,
    extractorVersion: row.extractor_version,
    createdAt: row.created_at,
    extraction: JSON.parse(row.data) as Extraction,
  };
}

/** JSON columns are text in both dialects (one code path, no jsonb/json1 differences). */
export function encodeJson(value: Record<string, unknown> | Extraction | undefined): string {
  return JSON.stringify(value ?? {});
}

function parseObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * ISO 8601 as stored: `toISOString()` form, so text comparison is time
 * comparison. Callers may pass any date string Date understands ("2025-01-31",
 * "2025-01-31T08:00:00+07:00").
 */
export function toStoredTime(value: string, name: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${name}: not a date: ${JSON.stringify(value)}`);
  return date.toISOString();
}
