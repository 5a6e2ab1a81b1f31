import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DOCUMENT_STATES,
  DocumentEventSchema,
  DocumentRecordSchema,
  StoredExtractionSchema,
  type DocumentRecord,
} from "../schemas/document.ts";
import { ExtractionSchema, type DocumentFields, type Extraction } from "../schemas/extraction.ts";
import { openDatabase, type DatabaseOptions } from "../pipeline/store/database.ts";
import { createStore } from "../pipeline/store/kysely-store.ts";
import { foldForSearch } from "../pipeline/store/search-text.ts";
import type { NewDocument, Store } from "../pipeline/store/types.ts";
import { MIGRATION_NAMES } from "../pipeline/store/migrations/index.ts";

/**
 * One suite, run against the embedded SQLite file and against a real
 * PostgreSQL (a fresh database per run, dropped afterwards). The PostgreSQL
 * half is skipped only when no server answers at VANTHU_TEST_DATABASE_URL
 * (default: the local server's maintenance database).
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STORE_MODULE = path.join(ROOT, "pipeline", "store", "kysely-store.ts");
const PG_ADMIN_URL = process.env.VANTHU_TEST_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/postgres";

/** A database the suite may create, use and throw away. */
interface Target {
  options: DatabaseOptions;
  drop(): Promise<void>;
}

interface Backend {
  name: "sqlite" | "postgres";
  /** Why the backend cannot run here, or null. */
  unavailable: string | null;
  fresh(): Promise<Target>;
}

const sqliteBackend: Backend = {
  name: "sqlite",
  unavailable: null,
  async fresh() {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "vanthu-store-"));
    return { options: { dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
  },
};

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function postgresUnavailable(): Promise<string | null> {
  try {
    await adminQuery("select 1");
    return null;
  } catch (error) {
    return `no PostgreSQL answers at ${PG_ADMIN_URL} (${(error as Error).message}); set VANTHU_TEST_DATABASE_URL`;
  }
}

const postgresBackend: Backend = {
  name: "postgres",
  unavailable: await postgresUnavailable(),
  async fresh() {
    const name = `vanthu_test_${randomBytes(6).toString("hex")}`;
    await adminQuery(`create database ${name}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    return {
      options: { dataDir: path.join(os.tmpdir(), "vanthu-unused"), databaseUrl: url.toString() },
      drop: () => adminQuery(`drop database if exists ${name} with (force)`),
    };
  },
};

if (postgresBackend.unavailable) console.warn(`[store.test] SKIPPING the PostgreSQL half: ${postgresBackend.unavailable}`);

/** A clock that moves one second per reading, so every row has its own time. */
function fakeClock(start = Date.parse("2025-01-01T00:00:00.000Z")) {
  let t = start;
  return () => new Date((t += 1_000)).toISOString();
}

function newDoc(overrides: Partial<NewDocument> = {}): NewDocument {
  return { contentHash: randomBytes(32).toString("hex"), fileName: "cong-van.pdf", mediaType: "application/pdf", size: 1234, source: "http", ...overrides };
}

function makeExtraction(fields: Partial<DocumentFields> = {}, extractorVersion = "test-1"): Extraction {
  return ExtractionSchema.parse({
    document: {
      type: "cong_van",
      number: null,
      symbol: null,
      issuer: null,
      issuerParent: null,
      place: null,
      date: null,
      subject: null,
      recipients: [],
      signer: { name: null, title: null, authority: null },
      distribution: [],
      ...fields,
    },
    references: [],
    tasks: [],
    provenance: { extractorVersion, source: { format: "text", reader: "test", ocr: false, pages: 1, warnings: [] }, fields: {} },
  });
}

/** Runs `count` separate Node processes that migrate one SQLite file and receive one hash at once. */
function racingProcesses(dataDir: string, count: number): Promise<Array<{ id: string; created: boolean }>> {
  const code = `
    const { createStore } = await import(${JSON.stringify(STORE_MODULE)});
    const store = await createStore({ dataDir: process.env.VANTHU_RACE_DIR });
    await store.migrate();
    const { document, created } = await store.receiveDocument({ contentHash: "race", fileName: "race.txt", mediaType: null, size: 1, source: "cli" });
    console.log(JSON.stringify({ id: document.id, created }));
    await store.close();`;
  const one = () =>
    new Promise<{ id: string; created: boolean }>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", code],
        { cwd: ROOT, env: { ...process.env, VANTHU_RACE_DIR: dataDir }, encoding: "utf8" },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout.trim().split("\n").at(-1)!))),
      );
    });
  return Promise.all(Array.from({ length: count }, one));
}

for (const backend of [sqliteBackend, postgresBackend]) {
  describe.skipIf(backend.unavailable !== null)(`store on ${backend.name}`, () => {
    let target: Target;
    let store: Store;
    /** A second, raw view of the same database, to count rows the Store does not expose. */
    let rawDatabase: ReturnType<typeof openDatabase>;
    let raw: ReturnType<typeof openDatabase>["db"];

    beforeAll(async () => {
      target = await backend.fresh();
      store = await createStore({ ...target.options, now: fakeClock() });
      await store.migrate();
      rawDatabase = openDatabase(target.options);
      raw = rawDatabase.db;
    });

    afterAll(async () => {
      await rawDatabase?.close();
      await store?.close();
      await target?.drop();
    });

    const receive = async (overrides: Partial<NewDocument> = {}) => (await store.receiveDocument(newDoc(overrides))).document;

    it("migrates idempotently, also when several processes start at once", async () => {
      await store.migrate();
      await store.migrate();
      expect(await store.ping()).toBe(true);

      const fresh = await backend.fresh();
      try {
        if (backend.name === "sqlite") {
          // Separate processes: better-sqlite3 waits for locks synchronously,
          // so two connections in one process cannot model two processes.
          const results = await racingProcesses(fresh.options.dataDir, 2);
          expect(new Set(results.map((r) => r.id)).size).toBe(1);
          expect(results.filter((r) => r.created)).toHaveLength(1);
        } else {
          const stores = await Promise.all([1, 2, 3].map(() => createStore(fresh.options)));
          try {
            await Promise.all(stores.map((s) => s.migrate()));
            const [a, b] = await Promise.all(stores.map((s) => s.receiveDocument(newDoc({ contentHash: "race" }))));
            expect(a!.document.id).toBe(b!.document.id);
          } finally {
            await Promise.all(stores.map((s) => s.close()));
          }
        }
        const check = openDatabase(fresh.options);
        try {
          const applied = await check.db.selectFrom("kysely_migration" as never).selectAll().execute();
          // Each migration recorded exactly once, however many processes raced to apply it.
          expect(applied.map((r) => (r as { name: string }).name)).toEqual(MIGRATION_NAMES);
        } finally {
          await check.close();
        }
      } finally {
        await fresh.drop();
      }

      const closed = await createStore(target.options);
      await closed.close();
      expect(await closed.ping()).toBe(false);
    });

    it("receives a document once per content hash, with its RECEIVED event", async () => {
      const doc = newDoc({ fileName: "Công văn 12.pdf", source: "folder", metadata: { edxml: { code: "000.00.01.H10" } } });
      const first = await store.receiveDocument(doc);
      expect(first.created).toBe(true);
      expect(DocumentRecordSchema.parse(first.document)).toEqual(first.document);
      expect(first.document).toMatchObject({
        contentHash: doc.contentHash,
        fileName: "Công văn 12.pdf",
        mediaType: "application/pdf",
        size: 1234,
        source: "folder",
        state: "received",
        duplicateOf: null,
        letterKey: null,
        errorCode: null,
        errorMessage: null,
        metadata: { edxml: { code: "000.00.01.H10" } },
      });
      expect(first.document.createdAt).toBe(first.document.updatedAt);
      expect(await store.getDocument(first.document.id)).toEqual(first.document);
      expect(await store.getDocumentByHash(doc.contentHash)).toEqual(first.document);

      const again = await store.receiveDocument({ ...doc, fileName: "renamed.pdf", source: "http" });
      expect(again).toEqual({ document: first.document, created: false });

      const events = await store.events(first.document.id);
      expect(events).toHaveLength(1);
      expect(DocumentEventSchema.parse(events[0])).toMatchObject({
        documentId: first.document.id,
        type: "RECEIVED",
        fromState: null,
        toState: "received",
        data: { source: "folder", fileName: "Công văn 12.pdf" },
      });
      expect(await store.getDocument(randomUUID())).toBeNull();
      expect(await store.getDocumentByHash("nope")).toBeNull();
    });

    it("answers a repeated idempotency key with the document first created with it", async () => {
      const key = `key-${randomUUID()}`;
      const first = await store.receiveDocument(newDoc({ idempotencyKey: key }));
      expect(first.created).toBe(true);
      const otherContent = newDoc({ idempotencyKey: key });
      expect(await store.receiveDocument(otherContent)).toEqual({ document: first.document, created: false });
      expect(await store.getDocumentByHash(otherContent.contentHash)).toBeNull();

      // A new key on known content is recorded for that document.
      const key2 = `key-${randomUUID()}`;
      const known = await store.receiveDocument(newDoc({ contentHash: first.document.contentHash, idempotencyKey: key2 }));
      expect(known).toEqual({ document: first.document, created: false });
      expect((await store.receiveDocument(newDoc({ idempotencyKey: key2 }))).document.id).toBe(first.document.id);
      expect(await store.events(first.document.id)).toHaveLength(1);
    });

    it("keeps one document when the same hash or key is received concurrently", async () => {
      const doc = newDoc();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.receiveDocument({ ...doc, fileName: `copy-${i}.pdf` })));
      expect(new Set(results.map((r) => r.document.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await store.events(results[0]!.document.id)).toHaveLength(1);

      const key = `key-${randomUUID()}`;
      const keyed = await Promise.all(Array.from({ length: 6 }, () => store.receiveDocument(newDoc({ idempotencyKey: key }))));
      expect(new Set(keyed.map((r) => r.document.id)).size).toBe(1);
      expect(keyed.filter((r) => r.created)).toHaveLength(1);
      // The losers' documents were rolled back with their keys.
      const losers = await raw.selectFrom("idempotency_keys").select("document_id").where("key", "=", key).execute();
      expect(losers).toEqual([{ document_id: keyed[0]!.document.id }]);
    });

    it("transitions by compare-and-set and writes the events in order", async () => {
      const doc = await receive();
      const moved = await store.transition(doc.id, "received", "extracting", { type: "EXTRACTION_STARTED" });
      expect(moved).not.toBeNull();
      expect(DocumentRecordSchema.parse(moved)).toMatchObject({ id: doc.id, state: "extracting", createdAt: doc.createdAt });
      expect(moved!.updatedAt > doc.updatedAt).toBe(true);

      // Wrong from-state: nothing changes, no event.
      expect(await store.transition(doc.id, "received", "extracting", { type: "EXTRACTION_STARTED" })).toBeNull();
      expect(await store.transition(randomUUID(), "received", "extracting", { type: "EXTRACTION_STARTED" })).toBeNull();
      expect(await store.getDocument(doc.id)).toEqual(moved);

      await store.appendEvent(doc.id, { type: "NOTE", data: { text: "ghi chú" } });
      expect((await store.getDocument(doc.id))!.updatedAt).toBe(moved!.updatedAt);
      await store.transition(doc.id, "extracting", "to_review", { type: "EXTRACTED", data: { extractionId: "x", autoApprove: false } });

      // Concurrent workers: exactly one wins.
      const racers = await Promise.all(
        Array.from({ length: 5 }, (_, i) => store.transition(doc.id, "to_review", "approved", { type: "APPROVE", data: { by: `u${i}` } })),
      );
      expect(racers.filter((r) => r !== null)).toHaveLength(1);

      const events = await store.events(doc.id);
      for (const event of events) DocumentEventSchema.parse(event);
      expect(events.map((e) => [e.type, e.fromState, e.toState])).toEqual([
        ["RECEIVED", null, "received"],
        ["EXTRACTION_STARTED", "received", "extracting"],
        ["NOTE", null, null],
        ["EXTRACTED", "extracting", "to_review"],
        ["APPROVE", "to_review", "approved"],
      ]);
      expect(events[2]!.data).toEqual({ text: "ghi chú" });
      expect(events[3]!.data).toEqual({ extractionId: "x", autoApprove: false });
      expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    });

    it("applies a patch with the transition: null clears, undefined keeps, metadata merges", async () => {
      const original = await receive({ metadata: { edxml: { from: "H10" }, note: "a" } });
      const doc = await receive();
      const failed = await store.transition(doc.id, "received", "failed", { type: "EXTRACTION_FAILED" }, {
        errorCode: "E_READ",
        errorMessage: "không đọc được",
        letterKey: "ubnd|12|ubnd-vx|2025",
        duplicateOf: original.id,
      });
      expect(failed).toMatchObject({ state: "failed", errorCode: "E_READ", errorMessage: "không đọc được", letterKey: "ubnd|12|ubnd-vx|2025", duplicateOf: original.id });

      const requeued = await store.transition(doc.id, "failed", "received", { type: "REQUEUE", data: { by: "admin" } }, { errorCode: null, errorMessage: null });
      expect(requeued).toMatchObject({ state: "received", errorCode: null, errorMessage: null, letterKey: "ubnd|12|ubnd-vx|2025", duplicateOf: original.id });

      const merged = await store.transition(original.id, "received", "extracting", { type: "EXTRACTION_STARTED" }, { metadata: { note: "b", pages: 2 } });
      expect(merged!.metadata).toEqual({ edxml: { from: "H10" }, note: "b", pages: 2 });
      expect(await store.getDocument(original.id)).toEqual(merged);
    });

    it("keeps every extraction and returns the latest", async () => {
      const doc = await receive();
      expect(await store.latestExtraction(doc.id)).toBeNull();
      const first = await store.saveExtraction(doc.id, makeExtraction({ subject: "Lần một" }, "v1"));
      const second = await store.saveExtraction(doc.id, makeExtraction({ subject: "Lần hai" }, "v2"));
      expect(StoredExtractionSchema.parse(second)).toEqual(second);
      expect(first.id).not.toBe(second.id);
      expect([first.extractorVersion, second.extractorVersion]).toEqual(["v1", "v2"]);
      expect(second.createdAt > first.createdAt).toBe(true);
      expect(await store.latestExtraction(doc.id)).toEqual(second);

      const rows = await raw.selectFrom("extractions").select(["id", "seq"]).where("document_id", "=", doc.id).orderBy("seq").execute();
      expect(rows).toEqual([
        { id: first.id, seq: 1 },
        { id: second.id, seq: 2 },
      ]);

      // Concurrent saves each get their own row.
      await Promise.all([3, 4, 5].map((n) => store.saveExtraction(doc.id, makeExtraction({ subject: `Lần ${n}` }, `v${n}`))));
      const all = await raw.selectFrom("extractions").select("seq").where("document_id", "=", doc.id).orderBy("seq").execute();
      expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      await expect(store.saveExtraction(randomUUID(), makeExtraction())).rejects.toThrow();
    });

    it("lists with filters, paging, and accent-insensitive search", async () => {
      const tok = `t${randomBytes(5).toString("hex")}`;
      const number = String(100_000 + Math.floor(Math.random() * 800_000));
      const a = await receive({ fileName: `${tok}-a.pdf`, source: "http" });
      const b = await receive({ fileName: `${tok}-b.docx`, source: "folder" });
      const c = await receive({ fileName: `${tok}-c.txt`, source: "cli" });
      await store.transition(b.id, "received", "extracting", { type: "EXTRACTION_STARTED" });
      await store.transition(c.id, "received", "to_review", { type: "EXTRACTED" }, { duplicateOf: a.id });
      await store.saveExtraction(
        a.id,
        makeExtraction({ number, symbol: "STC-NSNN", issuer: "Sở Tài chính tỉnh Quảng Ngãi", subject: `Về việc đẩy mạnh giải ngân vốn đầu tư công ${tok}` }),
      );

      const ids = async (query: Partial<Parameters<Store["listDocuments"]>[0]>) => {
        const { items, total } = await store.listDocuments({ limit: 50, offset: 0, ...query });
        for (const item of items) DocumentRecordSchema.parse(item);
        return { ids: items.map((d: DocumentRecord) => d.id), total };
      };

      expect(await ids({ q: tok })).toEqual({ ids: [c.id, b.id, a.id], total: 3 });
      expect(await ids({ q: tok.toUpperCase(), limit: 2 })).toEqual({ ids: [c.id, b.id], total: 3 });
      expect(await ids({ q: tok, limit: 2, offset: 2 })).toEqual({ ids: [a.id], total: 3 });
      expect(await ids({ q: tok, state: "extracting" })).toEqual({ ids: [b.id], total: 1 });
      expect(await ids({ q: tok, source: "http" })).toEqual({ ids: [a.id], total: 1 });
      expect(await ids({ q: tok, since: b.createdAt })).toEqual({ ids: [c.id, b.id], total: 2 });
      // The same instant written with an offset.
      const plus7 = new Date(Date.parse(b.createdAt) + 7 * 3600_000).toISOString().replace("Z", "+07:00");
      expect(await ids({ q: tok, since: plus7 })).toEqual({ ids: [c.id, b.id], total: 2 });
      expect(await ids({ q: tok, duplicates: true })).toEqual({ ids: [c.id], total: 1 });
      expect(await ids({ q: tok, duplicates: false })).toEqual({ ids: [b.id, a.id], total: 2 });

      // Letter fields from the extraction, with and without diacritics.
      for (const q of [`Đẩy mạnh giải ngân vốn đầu tư công ${tok}`, `day manh giai ngan von dau tu cong ${tok}`, `DAY MANH  GIAI NGAN VON DAU TU CONG ${tok}`]) {
        expect(await ids({ q })).toEqual({ ids: [a.id], total: 1 });
      }
      expect(await ids({ q: `${number}/STC-NSNN` })).toEqual({ ids: [a.id], total: 1 });
      expect(await ids({ q: `${number}/stc-nsnn`, state: "received" })).toEqual({ ids: [a.id], total: 1 });
      expect((await ids({ q: "so tai chinh tinh quang ngai" })).ids).toEqual([a.id]);
      expect((await ids({ q: "Sở Tài chính tỉnh Quảng Ngãi" })).ids).toEqual([a.id]);
      // % and _ are literal characters, not wildcards.
      expect(await ids({ q: `${tok}%` })).toEqual({ ids: [], total: 0 });
      expect(await ids({ q: `${tok}_a` })).toEqual({ ids: [], total: 0 });

      // The search follows the latest extraction.
      await store.saveExtraction(a.id, makeExtraction({ subject: `Về việc khác ${tok}` }));
      expect(await ids({ q: `dau tu cong ${tok}` })).toEqual({ ids: [], total: 0 });
      expect(await ids({ q: `viec khac ${tok}` })).toEqual({ ids: [a.id], total: 1 });
      expect(await ids({ q: `${tok}-a.pdf` })).toEqual({ ids: [a.id], total: 1 });
    });

    it("counts documents in every state", async () => {
      const before = await store.countByState();
      expect(Object.keys(before).sort()).toEqual([...DOCUMENT_STATES].sort());
      const doc = await receive();
      await receive();
      await store.transition(doc.id, "received", "rejected", { type: "REJECT", data: { by: "u", reason: "r" } });
      const after = await store.countByState();
      const delta = Object.fromEntries(DOCUMENT_STATES.map((s) => [s, after[s] - before[s]]));
      expect(delta).toEqual({ ...Object.fromEntries(DOCUMENT_STATES.map((s) => [s, 0])), received: 1, rejected: 1 });
    });

    it("finds stuck documents, oldest update first", async () => {
      // Only this test uses "delivering" and "delivered", so the result is all ours.
      const [d1, d2, d3] = [await receive(), await receive(), await receive()];
      for (const d of [d2!, d3!, d1!]) await store.transition(d.id, "received", "delivering", { type: "DELIVERY_STARTED" });
      const d4 = await receive();
      await store.transition(d4.id, "received", "delivered", { type: "DELIVERED" });
      const d1Updated = (await store.getDocument(d1!.id))!.updatedAt;
      const later = new Date(Date.parse((await store.getDocument(d4.id))!.updatedAt) + 1).toISOString();

      const stuck = await store.findStuck(["delivering", "delivered"], later, 10);
      expect(stuck.map((d) => d.id)).toEqual([d2!.id, d3!.id, d1!.id, d4.id]);
      expect((await store.findStuck(["delivering"], later, 2)).map((d) => d.id)).toEqual([d2!.id, d3!.id]);
      // Strictly before: d1's own update time excludes d1.
      expect((await store.findStuck(["delivering"], d1Updated, 10)).map((d) => d.id)).toEqual([d2!.id, d3!.id]);
      expect(await store.findStuck([], later, 10)).toEqual([]);
    });

    it("finds the earliest other document with a letter key", async () => {
      const key = `ubnd|${randomUUID()}|ubnd-vx|2025`;
      const docs = [await receive(), await receive(), await receive()];
      for (const d of docs) await store.transition(d.id, "received", "extracting", { type: "EXTRACTION_STARTED" }, { letterKey: key });
      const [first, second, third] = docs;
      expect((await store.findByLetterKey(key, third!.id))?.id).toBe(first!.id);
      expect((await store.findByLetterKey(key, first!.id))?.id).toBe(second!.id);
      expect(await store.findByLetterKey(`${key}-other`, first!.id)).toBeNull();

      const lonely = `lonely|${randomUUID()}`;
      const only = await receive();
      await store.transition(only.id, "received", "extracting", { type: "EXTRACTION_STARTED" }, { letterKey: lonely });
      expect(await store.findByLetterKey(lonely, only.id)).toBeNull();
    });
  });
}

describe("foldForSearch", () => {
  it("drops Vietnamese diacritics, maps đ, lower-cases and collapses spaces", () => {
    expect(foldForSearch("  Sở Tài chính  ĐỒNG NAI ")).toBe("so tai chinh dong nai");
    expect(foldForSearch("Ủy ban nhân dân".normalize("NFD"))).toBe("uy ban nhan dan");
    expect(foldForSearch("Quyết định số 12/QĐ-UBND")).toBe("quyet dinh so 12/qd-ubnd");
  });
});
