import { randomUUID } from "node:crypto";
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction, type Updateable } from "kysely";
import { DOCUMENT_STATES, type DocumentListQuery, type DocumentRecord, type DocumentState } from "../../schemas/document.ts";
import type { Extraction } from "../../schemas/extraction.ts";
import { openDatabase, type DatabaseOptions, type OpenedDatabase } from "./database.ts";
import { containsText, isUniqueViolation } from "./dialect.ts";
import { migrateToLatest } from "./migrations/index.ts";
import { encodeJson, toDocumentEvent, toDocumentRecord, toStoredExtraction, toStoredTime } from "./rows.ts";
import type { Database, DocumentRow, DocumentsTable } from "./schema.ts";
import { buildSearchText, foldForSearch } from "./search-text.ts";
import type { DocumentPatch, NewDocument, Store, TransitionEvent } from "./types.ts";
import { KyselyOutboxStore } from "./outbox-store.ts";
import type { OutboxStore } from "./outbox-types.ts";
import { KyselyReviewStore } from "./review-store.ts";
import type { ReviewStore } from "./review-types.ts";

export interface StoreOptions extends DatabaseOptions {
  /** The clock, as ISO 8601 strings. Tests pass a fake one to order rows deterministically. */
  now?: () => string;
}

/**
 * Opens the store: SQLite `<dataDir>/vanthu.sqlite` by default, PostgreSQL
 * when `databaseUrl` is given. Call `migrate()` before anything else.
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  return new KyselyStore(openDatabase(options), options.now ?? (() => new Date().toISOString()));
}

/**
 * How often a transaction that lost a race on a unique key is run again. One
 * retry suffices for the races we know (the second run reads the winner's
 * row); the margin covers several writers piling up on the same key.
 */
const MAX_CONFLICT_ATTEMPTS = 5;

type Db = Kysely<Database> | Transaction<Database>;

class KyselyStore implements Store {
  readonly #opened: OpenedDatabase;
  readonly #db: Kysely<Database>;
  readonly #now: () => string;
  #closed = false;
  readonly outbox: OutboxStore;
  readonly review: ReviewStore;

  constructor(opened: OpenedDatabase, now: () => string) {
    this.#opened = opened;
    this.#db = opened.db;
    this.#now = now;
    this.outbox = new KyselyOutboxStore(opened.db, now);
    this.review = new KyselyReviewStore(opened.db, now);
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.#db);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#opened.close();
  }

  async ping(): Promise<boolean> {
    if (this.#closed) return false;
    try {
      await sql`select 1`.execute(this.#db);
      return true;
    } catch {
      return false;
    }
  }

  receiveDocument(doc: NewDocument): Promise<{ document: DocumentRecord; created: boolean }> {
    // A concurrent receive of the same hash or key makes our insert fail on
    // the unique index (PostgreSQL waits for the winner to commit first); the
    // transaction is rolled back and run again, and then finds the winner's row.
    return this.#retryOnConflict(() =>
      this.#db.transaction().execute(async (trx) => {
        const now = this.#now();
        if (doc.idempotencyKey !== undefined) {
          const keyed = await trx
            .selectFrom("idempotency_keys")
            .innerJoin("documents", "documents.id", "idempotency_keys.document_id")
            .selectAll("documents")
            .where("idempotency_keys.key", "=", doc.idempotencyKey)
            .executeTakeFirst();
          if (keyed) return { document: toDocumentRecord(keyed), created: false };
        }

        const existing = await selectDocuments(trx).where("content_hash", "=", doc.contentHash).executeTakeFirst();
        if (existing) {
          // The key now names this document too, so a retry with the same key
          // answers the same way even if the content differed.
          if (doc.idempotencyKey !== undefined) await insertIdempotencyKey(trx, doc.idempotencyKey, existing.id, now);
          return { document: toDocumentRecord(existing), created: false };
        }

        const row: DocumentRow = {
          id: randomUUID(),
          content_hash: doc.contentHash,
          file_name: doc.fileName,
          media_type: doc.mediaType,
          size: doc.size,
          source: doc.source,
          state: "received",
          created_at: now,
          updated_at: now,
          duplicate_of: null,
          letter_key: null,
          error_code: null,
          error_message: null,
          metadata: encodeJson(doc.metadata),
          search_text: buildSearchText(doc.fileName),
        };
        await trx.insertInto("documents").values(row).execute();
        await insertEvent(trx, row.id, now, { type: "RECEIVED", data: { source: doc.source, fileName: doc.fileName } }, null, "received");
        if (doc.idempotencyKey !== undefined) await insertIdempotencyKey(trx, doc.idempotencyKey, row.id, now);
        return { document: toDocumentRecord(row), created: true };
      }),
    );
  }

  async getDocument(id: string): Promise<DocumentRecord | null> {
    const row = await selectDocuments(this.#db).where("id", "=", id).executeTakeFirst();
    return row ? toDocumentRecord(row) : null;
  }

  async getDocumentByHash(contentHash: string): Promise<DocumentRecord | null> {
    const row = await selectDocuments(this.#db).where("content_hash", "=", contentHash).executeTakeFirst();
    return row ? toDocumentRecord(row) : null;
  }

  async listDocuments(query: DocumentListQuery): Promise<{ items: DocumentRecord[]; total: number }> {
    const where = listFilter(query);
    const [rows, count] = await Promise.all([
      selectDocuments(this.#db)
        .where(where)
        // Newest first; the id breaks ties so pages never overlap.
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(query.limit ?? 50)
        .offset(query.offset ?? 0)
        .execute(),
      this.#db
        .selectFrom("documents")
        .select((eb) => eb.fn.countAll().as("n"))
        .where(where)
        .executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toDocumentRecord), total: Number(count.n) };
  }

  async countByState(): Promise<Record<DocumentState, number>> {
    const rows = await this.#db
      .selectFrom("documents")
      .select((eb) => ["state", eb.fn.countAll().as("n")])
      .groupBy("state")
      .execute();
    const counts = Object.fromEntries(DOCUMENT_STATES.map((state) => [state, 0])) as Record<DocumentState, number>;
    for (const row of rows) counts[row.state as DocumentState] = Number(row.n);
    return counts;
  }

  transition(id: string, from: DocumentState, to: DocumentState, event: TransitionEvent, patch?: DocumentPatch): Promise<DocumentRecord | null> {
    return this.#db.transaction().execute(async (trx) => {
      const now = this.#now();
      // Compare-and-set: the WHERE on the old state is the whole concurrency
      // control. A worker that lost the race updates nothing and writes no event.
      let row = await trx
        .updateTable("documents")
        .set({ ...patchColumns(patch), state: to, updated_at: now })
        .where("id", "=", id)
        .where("state", "=", from)
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      if (patch?.metadata) {
        // Merged, not replaced: the source's metadata (edXML header) must
        // survive a worker adding its own keys. The row is ours until commit.
        const metadata = encodeJson({ ...JSON.parse(row.metadata), ...patch.metadata });
        row = await trx.updateTable("documents").set({ metadata }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
      }
      await insertEvent(trx, id, now, event, from, to);
      return toDocumentRecord(row);
    });
  }

  async appendEvent(id: string, event: TransitionEvent): Promise<void> {
    // No state change, so neither state column is set and updated_at stays:
    // a note must not make a stuck document look recently active.
    await insertEvent(this.#db, id, this.#now(), event, null, null);
  }

  async events(documentId: string) {
    const rows = await this.#db
      .selectFrom("document_events")
      .selectAll()
      .where("document_id", "=", documentId)
      .orderBy("id", "asc")
      .execute();
    return rows.map(toDocumentEvent);
  }

  saveExtraction(documentId: string, extraction: Extraction) {
    // Two saves racing for the same seq collide on (document_id, seq); the
    // loser runs again and takes the next number.
    return this.#retryOnConflict(() =>
      this.#db.transaction().execute(async (trx) => {
        const document = await trx.selectFrom("documents").select("file_name").where("id", "=", documentId).executeTakeFirst();
        if (!document) throw new Error(`saveExtraction: no document ${documentId}`);
        const last = await trx
          .selectFrom("extractions")
          .select((eb) => eb.fn.max("seq").as("seq"))
          .where("document_id", "=", documentId)
          .executeTakeFirst();
        const row = {
          id: randomUUID(),
          document_id: documentId,
          seq: Number(last?.seq ?? 0) + 1,
          extractor_version: extraction.provenance.extractorVersion,
          created_at: this.#now(),
          data: encodeJson(extraction),
        };
        await trx.insertInto("extractions").values(row).execute();
        await trx
          .updateTable("documents")
          .set({ search_text: buildSearchText(document.file_name, extraction) })
          .where("id", "=", documentId)
          .execute();
        return toStoredExtraction(row);
      }),
    );
  }

  async latestExtraction(documentId: string) {
    const row = await this.#db
      .selectFrom("extractions")
      .selectAll()
      .where("document_id", "=", documentId)
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toStoredExtraction(row) : null;
  }

  async findByLetterKey(letterKey: string, excludeId: string): Promise<DocumentRecord | null> {
    const row = await selectDocuments(this.#db)
      .where("letter_key", "=", letterKey)
      .where("id", "<>", excludeId)
      .orderBy("created_at", "asc")
      .orderBy("id", "asc")
      .limit(1)
      .executeTakeFirst();
    return row ? toDocumentRecord(row) : null;
  }

  async findStuck(states: readonly DocumentState[], updatedBefore: string, limit: number, after?: { updatedAt: string; id: string }): Promise<DocumentRecord[]> {
    if (states.length === 0) return [];
    let query = selectDocuments(this.#db)
      .where("state", "in", [...states])
      .where("updated_at", "<", toStoredTime(updatedBefore, "updatedBefore"));
    if (after) {
      const at = toStoredTime(after.updatedAt, "after.updatedAt");
      query = query.where((eb) => eb.or([eb("updated_at", ">", at), eb.and([eb("updated_at", "=", at), eb("id", ">", after.id)])]));
    }
    const rows = await query
      .orderBy("updated_at", "asc")
      .orderBy("id", "asc")
      .limit(limit)
      .execute();
    return rows.map(toDocumentRecord);
  }

  async #retryOnConflict<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= MAX_CONFLICT_ATTEMPTS) throw error;
      }
    }
  }
}

function selectDocuments(db: Db) {
  return db.selectFrom("documents").selectAll();
}

function listFilter(query: DocumentListQuery) {
  const since = query.since !== undefined ? toStoredTime(query.since, "since") : undefined;
  const needle = query.q !== undefined ? foldForSearch(query.q) : "";
  return (eb: ExpressionBuilder<Database, "documents">) => {
    const conditions: Expression<SqlBool>[] = [];
    if (query.state) conditions.push(eb("state", "=", query.state));
    if (query.source) conditions.push(eb("source", "=", query.source));
    if (since) conditions.push(eb("created_at", ">=", since));
    // true: only documents linked as duplicates; false: only originals.
    if (query.duplicates === true) conditions.push(eb("duplicate_of", "is not", null));
    if (query.duplicates === false) conditions.push(eb("duplicate_of", "is", null));
    if (needle) conditions.push(containsText(eb.ref("search_text"), needle));
    return eb.and(conditions);
  };
}

function patchColumns(patch: DocumentPatch | undefined): Updateable<DocumentsTable> {
  const set: Updateable<DocumentsTable> = {};
  if (!patch) return set;
  // `undefined` leaves a column alone; `null` clears it.
  if (patch.errorCode !== undefined) set.error_code = patch.errorCode;
  if (patch.errorMessage !== undefined) set.error_message = patch.errorMessage;
  if (patch.letterKey !== undefined) set.letter_key = patch.letterKey;
  if (patch.duplicateOf !== undefined) set.duplicate_of = patch.duplicateOf;
  return set;
}

async function insertEvent(db: Db, documentId: string, at: string, event: TransitionEvent, from: DocumentState | null, to: DocumentState | null) {
  await db
    .insertInto("document_events")
    .values({ document_id: documentId, at, type: event.type, from_state: from, to_state: to, data: encodeJson(event.data) })
    .execute();
}

async function insertIdempotencyKey(db: Db, key: string, documentId: string, createdAt: string) {
  await db.insertInto("idempotency_keys").values({ key, document_id: documentId, created_at: createdAt }).execute();
}
