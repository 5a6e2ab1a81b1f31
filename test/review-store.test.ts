import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createStore } from "../pipeline/store/kysely-store.ts";
import type { Store } from "../pipeline/store/types.ts";
import { ExtractionSchema } from "../schemas/extraction.ts";
import type { ReviewedDocument } from "../schemas/review.ts";

/**
 * The review tables on both dialects: the reviewed version with its
 * compare-and-set, the append-only corrections, the approved copy, and
 * sessions with expiry. PostgreSQL runs when one answers (as for the store's
 * own tests: VANTHU_TEST_DATABASE_URL, default postgres://root@127.0.0.1:5432/postgres).
 */
const PG_ADMIN_URL = process.env.VANTHU_TEST_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/postgres";

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
const pgAvailable = await adminQuery("select 1").then(
  () => true,
  () => false,
);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function clock() {
  let t = Date.parse("2025-03-01T00:00:00.000Z");
  return () => new Date((t += 1000)).toISOString();
}

async function open(dialect: "sqlite" | "postgres"): Promise<Store> {
  let store: Store;
  if (dialect === "sqlite") {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "vanthu-review-store-"));
    store = await createStore({ dataDir, now: clock() });
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  } else {
    const name = `vanthu_test_${randomBytes(6).toString("hex")}`;
    await adminQuery(`create database ${name}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    store = await createStore({ dataDir: path.join(os.tmpdir(), "vanthu-unused"), databaseUrl: url.toString(), now: clock() });
    cleanups.push(() => adminQuery(`drop database if exists ${name} with (force)`));
  }
  cleanups.push(() => store.close());
  await store.migrate();
  return store;
}

async function documentWithExtraction(store: Store) {
  const { document } = await store.receiveDocument({ contentHash: randomBytes(8).toString("hex"), fileName: "a.txt", mediaType: "text/plain", size: 1, source: "cli" });
  const extraction = await store.saveExtraction(
    document.id,
    ExtractionSchema.parse({
      document: { type: "cong_van", number: "1", symbol: "X", issuer: null, issuerParent: null, place: null, date: null, subject: null, recipients: [], signer: { name: null, title: null, authority: null }, distribution: [] },
      references: [],
      tasks: [],
      provenance: { extractorVersion: "t", source: { format: "text", reader: "t", ocr: false, pages: 1, warnings: [] }, fields: {} },
    }),
  );
  const review: ReviewedDocument = { extractionId: extraction.id, document: extraction.extraction.document, references: [], tasks: [{ key: "t0", ref: "1", text: "việc", assignees: ["A"], collaborators: [], deadline: null }] };
  return { document, review };
}

for (const dialect of ["sqlite", "postgres"] as const) {
  describe.skipIf(dialect === "postgres" && !pgAvailable)(`review store on ${dialect}`, () => {
    it("saves versions with compare-and-set and appends corrections, oldest first", async () => {
      const store = await open(dialect);
      const { document, review } = await documentWithExtraction(store);
      const first = await store.review.save({ documentId: document.id, by: "lan", data: review, basedOn: null, diff: (previous) => (expect(previous).toBeNull(), [{ path: "document.number", before: "1", after: "2" }]) });
      expect(first?.corrections).toMatchObject([{ id: expect.any(Number), documentId: document.id, by: "lan", path: "document.number", before: "1", after: "2" }]);
      // Another first save, or a save from an old version, is refused and writes nothing.
      expect(await store.review.save({ documentId: document.id, by: "minh", data: review, basedOn: null, diff: () => [{ path: "x", before: 1, after: 2 }] })).toBeNull();
      expect(await store.review.save({ documentId: document.id, by: "minh", data: review, basedOn: "2000-01-01T00:00:00.000Z", diff: () => [{ path: "x", before: 1, after: 2 }] })).toBeNull();
      const changed = { ...review, tasks: [{ ...review.tasks[0]!, deadline: "2025-04-01" }] };
      const second = await store.review.save({
        documentId: document.id,
        by: "minh",
        data: changed,
        basedOn: first!.record.savedAt,
        diff: (previous) => [{ path: "tasks[1].deadline", before: previous!.tasks[0]!.deadline, after: "2025-04-01" }],
      });
      expect(second?.record).toMatchObject({ savedBy: "minh", data: changed, approved: null });
      const corrections = await store.review.corrections(document.id);
      expect(corrections.map((c) => [c.path, c.before, c.after, c.by])).toEqual([
        ["document.number", "1", "2", "lan"],
        ["tasks[1].deadline", null, "2025-04-01", "minh"],
      ]);
      expect(corrections[0]!.id).toBeLessThan(corrections[1]!.id);
    });

    it("freezes the approved version and finds approvals since a time", async () => {
      const store = await open(dialect);
      const { document, review } = await documentWithExtraction(store);
      const saved = await store.review.save({ documentId: document.id, by: "lan", data: review, basedOn: null, diff: () => [] });
      const withIds = { ...review, tasks: [{ ...review.tasks[0]!, id: "task-1" }] };
      await store.review.markApproved(document.id, "lan", withIds);
      const record = await store.review.get(document.id);
      expect(record?.approved).toMatchObject({ by: "lan", data: withIds });
      expect(record?.data).toEqual(withIds);
      expect(record?.savedAt).toBe(saved!.record.savedAt);
      expect((await store.review.approvedSince(record!.approved!.at)).map((r) => r.documentId)).toEqual([document.id]);
      expect(await store.review.approvedSince(new Date(Date.parse(record!.approved!.at) + 1).toISOString())).toEqual([]);
      expect(await store.review.get("nope")).toBeNull();
    });

    it("sessions: found by their hash until they expire, gone after delete or sweep", async () => {
      const store = await open(dialect);
      const session = { user: "lan", role: "admin" as const, csrfToken: "tok", createdAt: "2025-03-01T00:00:00.000Z", expiresAt: "2025-03-01T12:00:00.000Z" };
      await store.review.createSession("h1", session);
      await store.review.createSession("h2", { ...session, expiresAt: "2025-03-01T01:00:00.000Z" });
      expect(await store.review.getSession("h1", "2025-03-01T06:00:00.000Z")).toEqual({ user: "lan", role: "admin", csrfToken: "tok", createdAt: session.createdAt, expiresAt: session.expiresAt });
      expect(await store.review.getSession("h2", "2025-03-01T06:00:00.000Z")).toBeNull();
      expect(await store.review.deleteExpiredSessions("2025-03-01T06:00:00.000Z")).toBe(1);
      await store.review.deleteSession("h1");
      expect(await store.review.getSession("h1", "2025-03-01T06:00:00.000Z")).toBeNull();
    });
  });
}
