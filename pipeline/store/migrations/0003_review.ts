import type { Kysely } from "kysely";
import type { Migration } from "kysely";
import { autoIncrementId, dialectOf } from "../dialect.ts";

/**
 * The review page's tables. The extractor's output stays immutable: a
 * reviewer's version of a letter lives in `reviewed_documents` (one row per
 * document, the latest save, and a copy frozen at each approval for
 * `vanthu export-gold`), and every change is appended to `corrections`, which
 * nothing updates or deletes. Sign-in sessions are rows too, so logout and
 * expiry hold across processes sharing the database.
 */
export const review: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const correctionId = autoIncrementId(dialectOf(db));
    await db.schema
      .createTable("reviewed_documents")
      .addColumn("document_id", "text", (col) => col.primaryKey().references("documents.id"))
      .addColumn("extraction_id", "text", (col) => col.notNull().references("extractions.id"))
      .addColumn("data", "text", (col) => col.notNull())
      .addColumn("saved_at", "text", (col) => col.notNull())
      .addColumn("saved_by", "text", (col) => col.notNull())
      .addColumn("approved_data", "text")
      .addColumn("approved_at", "text")
      .addColumn("approved_by", "text")
      .execute();
    await db.schema.createIndex("reviewed_documents_approved_at_idx").on("reviewed_documents").column("approved_at").execute();

    await db.schema
      .createTable("corrections")
      .addColumn("id", correctionId.type, correctionId.build)
      .addColumn("document_id", "text", (col) => col.notNull().references("documents.id"))
      .addColumn("extraction_id", "text", (col) => col.notNull())
      .addColumn("at", "text", (col) => col.notNull())
      .addColumn("by", "text", (col) => col.notNull())
      .addColumn("path", "text", (col) => col.notNull())
      .addColumn("before", "text", (col) => col.notNull())
      .addColumn("after", "text", (col) => col.notNull())
      .execute();
    await db.schema.createIndex("corrections_document_id_idx").on("corrections").columns(["document_id", "id"]).execute();

    await db.schema
      .createTable("review_sessions")
      // SHA-256 of the session id: a copy of the table does not hand out live sessions.
      .addColumn("id_hash", "text", (col) => col.primaryKey())
      .addColumn("user_name", "text", (col) => col.notNull())
      .addColumn("role", "text", (col) => col.notNull())
      .addColumn("csrf_token", "text", (col) => col.notNull())
      .addColumn("created_at", "text", (col) => col.notNull())
      .addColumn("expires_at", "text", (col) => col.notNull())
      .execute();
    await db.schema.createIndex("review_sessions_expires_at_idx").on("review_sessions").column("expires_at").execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    for (const table of ["review_sessions", "corrections", "reviewed_documents"]) await db.schema.dropTable(table).execute();
  },
};
