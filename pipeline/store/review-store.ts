import type { Kysely, Selectable } from "kysely";
import type { Correction, ReviewedDocument, ReviewerRole } from "../../schemas/review.ts";
import { isUniqueViolation } from "./dialect.ts";
import type { CorrectionsTable, Database, ReviewedDocumentsTable } from "./schema.ts";
import type { ReviewRecord, ReviewSave, ReviewSession, ReviewStore } from "./review-types.ts";

/**
 * The review page's rows over the same Kysely database as the documents.
 * Corrections are only ever inserted: the history a reviewer sees is the
 * table itself.
 */
export class KyselyReviewStore implements ReviewStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => string,
  ) {}

  async get(documentId: string): Promise<ReviewRecord | null> {
    const row = await this.db.selectFrom("reviewed_documents").selectAll().where("document_id", "=", documentId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async save(input: ReviewSave) {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const now = this.now();
        const current = await trx.selectFrom("reviewed_documents").selectAll().where("document_id", "=", input.documentId).executeTakeFirst();
        if ((current?.saved_at ?? null) !== input.basedOn) return null;
        const changes = input.diff(current ? (JSON.parse(current.data) as ReviewedDocument) : null);
        const data = JSON.stringify(input.data);
        let row: Selectable<ReviewedDocumentsTable> | undefined;
        if (current) {
          // Conditional on the version read above: on PostgreSQL another save may commit in between.
          row = await trx
            .updateTable("reviewed_documents")
            .set({ data, extraction_id: input.data.extractionId, saved_at: now, saved_by: input.by })
            .where("document_id", "=", input.documentId)
            .where("saved_at", "=", current.saved_at)
            .returningAll()
            .executeTakeFirst();
          if (!row) return null;
        } else {
          row = { document_id: input.documentId, extraction_id: input.data.extractionId, data, saved_at: now, saved_by: input.by, approved_data: null, approved_at: null, approved_by: null };
          await trx.insertInto("reviewed_documents").values(row).execute();
        }
        const corrections: Correction[] = [];
        for (const change of changes) {
          const values = { document_id: input.documentId, extraction_id: input.data.extractionId, at: now, by: input.by, path: change.path, before: JSON.stringify(change.before ?? null), after: JSON.stringify(change.after ?? null) };
          const inserted = await trx.insertInto("corrections").values(values).returning("id").executeTakeFirstOrThrow();
          corrections.push(toCorrection({ ...values, id: inserted.id }));
        }
        return { record: toRecord(row), corrections };
      });
    } catch (error) {
      // Two first saves of one document at once: the loser's insert hits the primary key.
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async markApproved(documentId: string, by: string, data: ReviewedDocument): Promise<void> {
    const json = JSON.stringify(data);
    await this.db.updateTable("reviewed_documents").set({ data: json, approved_data: json, approved_at: this.now(), approved_by: by }).where("document_id", "=", documentId).execute();
  }

  async corrections(documentId: string): Promise<Correction[]> {
    const rows = await this.db.selectFrom("corrections").selectAll().where("document_id", "=", documentId).orderBy("id").execute();
    return rows.map(toCorrection);
  }

  async approvedSince(since: string): Promise<ReviewRecord[]> {
    const rows = await this.db
      .selectFrom("reviewed_documents")
      .selectAll()
      .where("approved_at", "is not", null)
      .where("approved_at", ">=", since)
      .orderBy("approved_at")
      .orderBy("document_id")
      .execute();
    return rows.map(toRecord);
  }

  async createSession(idHash: string, session: ReviewSession): Promise<void> {
    await this.db
      .insertInto("review_sessions")
      .values({ id_hash: idHash, user_name: session.user, role: session.role, csrf_token: session.csrfToken, created_at: session.createdAt, expires_at: session.expiresAt })
      .execute();
  }

  async getSession(idHash: string, now: string): Promise<ReviewSession | null> {
    const row = await this.db.selectFrom("review_sessions").selectAll().where("id_hash", "=", idHash).where("expires_at", ">", now).executeTakeFirst();
    return row ? { user: row.user_name, role: row.role as ReviewerRole, csrfToken: row.csrf_token, createdAt: row.created_at, expiresAt: row.expires_at } : null;
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom("review_sessions").where("id_hash", "=", idHash).execute();
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    const result = await this.db.deleteFrom("review_sessions").where("expires_at", "<=", now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toRecord(row: Selectable<ReviewedDocumentsTable>): ReviewRecord {
  return {
    documentId: row.document_id,
    data: JSON.parse(row.data) as ReviewedDocument,
    savedAt: row.saved_at,
    savedBy: row.saved_by,
    approved: row.approved_data && row.approved_at && row.approved_by ? { data: JSON.parse(row.approved_data) as ReviewedDocument, at: row.approved_at, by: row.approved_by } : null,
  };
}

function toCorrection(row: Selectable<CorrectionsTable>): Correction {
  return {
    id: Number(row.id),
    documentId: row.document_id,
    extractionId: row.extraction_id,
    at: row.at,
    by: row.by,
    path: row.path,
    before: JSON.parse(row.before) as unknown,
    after: JSON.parse(row.after) as unknown,
  };
}
