import type { Kysely } from "kysely";
import type { Migration } from "kysely";
import { autoIncrementId, dialectOf } from "../dialect.ts";

/**
 * The first schema: documents, their append-only event log, immutable
 * extractions and HTTP idempotency keys. A migration never changes once
 * released: later changes (reviewer corrections, tasks, deliveries/outbox)
 * are new files next to this one.
 *
 * Column types are the common subset of SQLite and PostgreSQL (see
 * ../schema.ts): text timestamps in ISO 8601, JSON as text.
 */
export const initial: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const eventId = autoIncrementId(dialectOf(db));

    await db.schema
      .createTable("documents")
      .addColumn("id", "text", (col) => col.primaryKey())
      .addColumn("content_hash", "text", (col) => col.notNull().unique())
      .addColumn("file_name", "text", (col) => col.notNull())
      .addColumn("media_type", "text")
      .addColumn("size", "integer", (col) => col.notNull())
      .addColumn("source", "text", (col) => col.notNull())
      .addColumn("state", "text", (col) => col.notNull())
      .addColumn("created_at", "text", (col) => col.notNull())
      .addColumn("updated_at", "text", (col) => col.notNull())
      .addColumn("duplicate_of", "text", (col) => col.references("documents.id"))
      .addColumn("letter_key", "text")
      .addColumn("error_code", "text")
      .addColumn("error_message", "text")
      .addColumn("metadata", "text", (col) => col.notNull().defaultTo("{}"))
      .addColumn("search_text", "text", (col) => col.notNull().defaultTo(""))
      .execute();
    await db.schema.createIndex("documents_letter_key_idx").on("documents").column("letter_key").execute();
    // The list is newest first; the reconciler looks for old rows per state.
    await db.schema.createIndex("documents_created_at_idx").on("documents").column("created_at").execute();
    await db.schema.createIndex("documents_state_updated_at_idx").on("documents").columns(["state", "updated_at"]).execute();
    await db.schema.createIndex("documents_duplicate_of_idx").on("documents").column("duplicate_of").execute();

    await db.schema
      .createTable("document_events")
      .addColumn("id", eventId.type, eventId.build)
      .addColumn("document_id", "text", (col) => col.notNull().references("documents.id"))
      .addColumn("at", "text", (col) => col.notNull())
      .addColumn("type", "text", (col) => col.notNull())
      .addColumn("from_state", "text")
      .addColumn("to_state", "text")
      .addColumn("data", "text", (col) => col.notNull().defaultTo("{}"))
      .execute();
    await db.schema.createIndex("document_events_document_id_idx").on("document_events").columns(["document_id", "id"]).execute();

    await db.schema
      .createTable("extractions")
      .addColumn("id", "text", (col) => col.primaryKey())
      .addColumn("document_id", "text", (col) => col.notNull().references("documents.id"))
      .addColumn("seq", "integer", (col) => col.notNull())
      .addColumn("extractor_version", "text", (col) => col.notNull())
      .addColumn("created_at", "text", (col) => col.notNull())
      .addColumn("data", "text", (col) => col.notNull())
      // Also the document_id index: its leading column.
      .addUniqueConstraint("extractions_document_id_seq_key", ["document_id", "seq"])
      .execute();

    await db.schema
      .createTable("idempotency_keys")
      .addColumn("key", "text", (col) => col.primaryKey())
      .addColumn("document_id", "text", (col) => col.notNull().references("documents.id"))
      .addColumn("created_at", "text", (col) => col.notNull())
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const table of ["idempotency_keys", "extractions", "document_events", "documents"]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
