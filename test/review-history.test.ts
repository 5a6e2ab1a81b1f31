import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvedGold, runExportGold } from "../pipeline/cli/export-gold-command.ts";
import { diffReview, initialReview, toGold } from "../pipeline/review/draft.ts";
import { describePath } from "../pipeline/review/history-view.ts";
import { translator } from "../pipeline/review/i18n/index.ts";
import { createStore } from "../pipeline/store/kysely-store.ts";
import type { StoredExtraction } from "../schemas/document.ts";
import { GoldDocumentSchema, type ReviewedDocument } from "../schemas/review.ts";
import { WebhookPayloadSchema } from "../schemas/webhook.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";
import { ADMIN, REVIEWER, newWebhookSecret, signIn, startReviewHarness, type ReviewHarness } from "./e2e/harness.ts";
import { sharedLetters, waitFor } from "./pipeline/helpers.ts";

/**
 * Corrections: what a save records (who, when, which field, before, after),
 * that the extraction stays as extracted, that approval sends the corrected
 * tasks and header fields, reject and re-run, and `vanthu export-gold`
 * writing what was approved in the shared gold files' shape.
 */
const LETTER = "000_49ac93810ff5857c.txt";
const GOLD = join(sharedLetters, "../gold/000_49ac93810ff5857c.json");

/**
 * The key structure of a gold file: every object's keys, a list of objects by
 * its first one. Values are not compared: a gold file may list alternative
 * answers as an array and mark items "optional", notation for the scorer only.
 */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) {
    const first = value.find((v) => v && typeof v === "object");
    return first ? [shape(first)] : "value";
  }
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "optional").map(([k, v]) => [k, shape(v)]));
  return "value";
}

describe("diffReview", () => {
  const base = (): ReviewedDocument => ({
    extractionId: "e1",
    document: { type: "cong_van", number: "1", symbol: "A", issuer: "X", issuerParent: null, place: null, date: "2024-01-02", subject: "s", recipients: ["a"], signer: { name: "N", title: null, authority: null }, distribution: [] },
    references: [{ key: "r0", source: 0, kind: "luat", number: "1/2020/QH14", date: null, issuer: null }],
    tasks: [
      { key: "t0", source: 0, ref: "1", text: "một", assignees: ["A"], collaborators: [], deadline: null },
      { key: "t1", source: 1, ref: "2", text: "hai", assignees: ["B"], collaborators: [], deadline: null },
    ],
  });

  it("records each changed field with a readable path, additions, deletions and reordering", () => {
    const before = base();
    const after = base();
    after.document.number = "2";
    after.document.signer.title = "Giám đốc";
    after.document.recipients = ["a", "b"];
    after.references = [];
    after.tasks = [{ ...before.tasks[1]!, deadline: "2024-02-01" }, { ...before.tasks[0]!, text: "một (sửa)" }, { key: "n1", ref: "", text: "ba", assignees: [], collaborators: [], deadline: null }];
    expect(diffReview(before, after)).toEqual([
      { path: "document.number", before: "1", after: "2" },
      { path: "document.recipients", before: ["a"], after: ["a", "b"] },
      { path: "document.signer.title", before: null, after: "Giám đốc" },
      { path: "references[1]", before: { kind: "luat", number: "1/2020/QH14", date: null, issuer: null }, after: null },
      { path: "tasks[1].deadline", before: null, after: "2024-02-01" },
      { path: "tasks[2].text", before: "một", after: "một (sửa)" },
      { path: "tasks[3]", before: null, after: { ref: "", text: "ba", assignees: [], collaborators: [], deadline: null } },
      { path: "tasks.order", before: ["1 một", "2 hai"], after: ["2 hai", "1 một (sửa)"] },
    ]);
    expect(diffReview(before, base())).toEqual([]);
    const t = translator("vi");
    expect(describePath("tasks[1].deadline", t)).toBe("Nhiệm vụ 1 · Thời hạn");
    expect(describePath("document.signer.title", t)).toBe("Chức vụ");
    expect(describePath("references[1]", t)).toBe("Văn bản được viện dẫn 1");
  });

  it("the gold shape has exactly the contract's keys, in the gold files' order", async () => {
    const gold = toGold(base());
    expect(Object.keys(gold.document)).toEqual(["type", "number", "symbol", "issuer", "issuerParent", "place", "date", "subject", "recipients", "signer", "distribution"]);
    expect(Object.keys(gold.tasks[0]!)).toEqual(["ref", "text", "assignees", "collaborators", "deadline"]);
    expect(Object.keys(gold.references[0]!)).toEqual(["kind", "number", "date", "issuer"]);
    const shared = JSON.parse(await readFile(GOLD, "utf8"));
    expect(Object.keys(gold)).toEqual(Object.keys(shared));
    expect(Object.keys(gold.document)).toEqual(Object.keys(shared.document));
  });
});

describe("corrections through the review page", () => {
  let harness: ReviewHarness;
  let tracker: WebhookReceiver;
  let documentId: string;
  let original: StoredExtraction;

  const post = (session: { cookie: string; csrf: string }, url: string, body: unknown) =>
    harness.app.inject({ method: "POST", url, headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json", accept: "application/json" }, payload: JSON.stringify(body) });
  const postForm = (session: { cookie: string; csrf: string }, url: string, fields: Record<string, string>) =>
    harness.app.inject({ method: "POST", url, headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString() });
  const editorState = async () => {
    const { store } = harness.runtime;
    const [latest, stored, tasks] = await Promise.all([store.latestExtraction(documentId), store.review.get(documentId), store.outbox.tasks(documentId)]);
    return { data: stored && stored.data.extractionId === latest!.id ? stored.data : initialReview(latest!, tasks), basedOn: stored?.savedAt ?? null };
  };

  beforeAll(async () => {
    const secret = newWebhookSecret();
    tracker = new WebhookReceiver({ secrets: [secret] });
    await tracker.start();
    harness = await startReviewHarness({ endpointUrl: tracker.url, webhookSecret: secret });
    const { runtime } = harness;
    const { document } = await runtime.services.ingest({ bytes: await readFile(join(sharedLetters, LETTER)), fileName: LETTER, source: "http" });
    documentId = document.id;
    await waitFor("extracted", async () => (await runtime.store.getDocument(documentId))?.state === "to_review", 20_000);
    original = (await runtime.store.latestExtraction(documentId))!;
  }, 30_000);
  afterAll(async () => {
    await harness?.close();
    await tracker?.stop();
  });

  it("a save records who changed which field from what to what, and leaves the extraction as it was", async () => {
    const session = await signIn(harness.app, REVIEWER);
    const { data, basedOn } = await editorState();
    const edited: ReviewedDocument = structuredClone(data);
    edited.document.issuerParent = "Ủy ban nhân dân tỉnh Quảng Trị";
    edited.tasks[5]!.assignees = ["Văn phòng Sở"];
    edited.tasks.splice(1, 1);
    const res = await post(session, `/review/documents/${documentId}`, { ...edited, action: "save", from: "to_review", basedOn });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, action: "save", state: "to_review", corrections: 3 });
    const corrections = await harness.runtime.store.review.corrections(documentId);
    expect(corrections.map((c) => [c.path, c.before, c.after, c.by])).toEqual([
      ["document.issuerParent", "UBND tỉnh Quảng Trị", "Ủy ban nhân dân tỉnh Quảng Trị", REVIEWER.user],
      ["tasks[2]", expect.objectContaining({ ref: "(2)" }), null, REVIEWER.user],
      ["tasks[5].assignees", ["Các Phòng chuyên môn"], ["Văn phòng Sở"], REVIEWER.user],
    ]);
    expect(corrections.every((c) => c.extractionId === original.id && !Number.isNaN(Date.parse(c.at)))).toBe(true);
    // The extractor's output is untouched: same row, same content.
    expect(await harness.runtime.store.latestExtraction(documentId)).toEqual(original);

    // A second save from the stale version is refused: someone saved since.
    const stale = await post(session, `/review/documents/${documentId}`, { ...edited, action: "save", from: "to_review", basedOn });
    expect(stale.statusCode).toBe(409);
    // A save from the current version records only what changed since.
    const current = await editorState();
    const again = structuredClone(current.data);
    again.tasks[0]!.deadline = "2018-10-15";
    const second = await post(session, `/review/documents/${documentId}`, { ...again, action: "save", from: "to_review", basedOn: current.basedOn });
    expect(second.json()).toMatchObject({ corrections: 1 });

    const page = await harness.app.inject({ url: `/review/documents/${documentId}`, headers: { cookie: session.cookie } });
    expect(page.body).toMatch(/<tr class="correction" data-path="document.issuerParent">.*<td>lan<\/td><td>Cơ quan chủ quản<\/td><td class="before">UBND tỉnh Quảng Trị<\/td><td class="after">Ủy ban nhân dân tỉnh Quảng Trị<\/td>/);
    expect(page.body).toContain('data-path="tasks[1].deadline"');
    expect(page.body).toMatch(/<tr class="event">[^]*?Sự kiện: EXTRACTED/);
  });

  it("refuses a malformed document, a state the reviewer did not see, and a missing CSRF token", async () => {
    const session = await signIn(harness.app, REVIEWER);
    const { data, basedOn } = await editorState();
    const bad = structuredClone(data) as unknown as { tasks: { deadline: string }[] };
    bad.tasks[0]!.deadline = "15/10/2018";
    const invalid = await post(session, `/review/documents/${documentId}`, { ...bad, action: "save", from: "to_review", basedOn });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().message).toContain("tasks.0.deadline");
    expect((await post(session, `/review/documents/${documentId}`, { ...data, action: "save", from: "approved", basedOn })).statusCode).toBe(409);
    const noToken = await harness.app.inject({ method: "POST", url: `/review/documents/${documentId}`, headers: { cookie: session.cookie, "content-type": "application/json" }, payload: JSON.stringify({ ...data, action: "save", from: "to_review", basedOn }) });
    expect(noToken.statusCode).toBe(403);
  });

  it("approval sends the corrected tasks and header fields, signed; the approved version keeps the task ids", async () => {
    const session = await signIn(harness.app, REVIEWER);
    const { data, basedOn } = await editorState();
    const edited = structuredClone(data);
    edited.document.subject = "Duy trì và nâng cao chỉ số cải cách hành chính";
    const res = await post(session, `/review/documents/${documentId}`, { ...edited, action: "approve", from: "to_review", basedOn });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, action: "approve", state: "approved", next: "/review?tab=to_review" });
    await waitFor("delivered", async () => (await harness.runtime.store.getDocument(documentId))?.state === "delivered", 20_000);
    const payloads = tracker.uniqueById().map((r) => WebhookPayloadSchema.parse(r.json));
    expect(payloads).toHaveLength(6);
    expect(tracker.received.every((r) => r.signatureValid)).toBe(true);
    expect(payloads.every((p) => p.data.document.subject === "Duy trì và nâng cao chỉ số cải cách hành chính")).toBe(true);
    const routed = payloads.map((p) => ("task" in p.data ? p.data.task : null)).find((t) => t?.text.startsWith("Nội dung kết quả"));
    expect(routed?.assignees).toEqual([{ name: "Văn phòng Sở", trackerId: "unit-vp" }]);
    const record = await harness.runtime.store.review.get(documentId);
    expect(record?.approved?.by).toBe(REVIEWER.user);
    const active = (await harness.runtime.store.outbox.tasks(documentId)).filter((t) => t.status === "active");
    expect(record!.approved!.data.tasks.map((t) => t.id)).toEqual(active.sort((a, b) => a.position - b.position).map((t) => t.id));
  });

  it("a correction after delivery updates the delivered task (same id, version 2)", async () => {
    const session = await signIn(harness.app, REVIEWER);
    const { data, basedOn } = await editorState();
    const edited = structuredClone(data);
    edited.tasks[0]!.deadline = "2018-10-20";
    const res = await post(session, `/review/documents/${documentId}`, { ...edited, action: "approve", from: "delivered", basedOn });
    expect(res.statusCode).toBe(200);
    await waitFor("update delivered", async () => tracker.uniqueById().some((r) => (r.json as { type: string }).type === "task.updated"), 20_000);
    const update = tracker.uniqueById().map((r) => WebhookPayloadSchema.parse(r.json)).find((p) => p.type === "task.updated")!;
    expect("task" in update.data && update.data.task).toMatchObject({ id: data.tasks[0]!.id, version: 2, deadline: "2018-10-20" });
    expect(tracker.uniqueById().filter((r) => (r.json as { type: string }).type === "task.cancelled")).toHaveLength(0);
  });

  it("export-gold writes what was approved, in the shared gold files' shape", async () => {
    const gold = await approvedGold(harness.runtime.store, documentId);
    if (typeof gold === "string") throw new Error(gold);
    expect(GoldDocumentSchema.parse(gold)).toEqual(gold);
    const shared = JSON.parse(await readFile(GOLD, "utf8"));
    expect(shape(gold)).toEqual(shape(shared));
    expect(gold.tasks).toHaveLength(6);
    expect(gold.tasks[0]).toMatchObject({ ref: "(1)", deadline: "2018-10-20" });
    expect(gold.document.subject).toBe("Duy trì và nâng cao chỉ số cải cách hành chính");
    expect(gold.document.issuerParent).toBe("Ủy ban nhân dân tỉnh Quảng Trị");
    expect(gold.tasks.find((t) => t.text.startsWith("Nội dung kết quả"))?.assignees).toEqual(["Văn phòng Sở"]);
    expect(await approvedGold(harness.runtime.store, "nope")).toBe("no document nope");
  });

  it("reject needs a reason and records it; an admin re-runs extraction, a new extraction beside the old", async () => {
    const { runtime } = harness;
    const { document } = await runtime.services.ingest({ bytes: Buffer.from(`${await readFile(join(sharedLetters, LETTER), "utf8")}\n(bản khác)\n`), fileName: "b.txt", source: "http" });
    await waitFor("extracted", async () => (await runtime.store.getDocument(document.id))?.state === "to_review", 20_000);
    const reviewer = await signIn(harness.app, REVIEWER);
    expect((await postForm(reviewer, `/review/documents/${document.id}/reject`, { from: "to_review", reason: "  " })).statusCode).toBe(400);
    const rejected = await postForm(reviewer, `/review/documents/${document.id}/reject`, { from: "to_review", reason: "Không phải văn bản của Sở" });
    expect(rejected.statusCode).toBe(303);
    expect((await runtime.store.getDocument(document.id))?.state).toBe("rejected");
    const reject = (await runtime.store.events(document.id)).find((e) => e.type === "REJECT");
    expect(reject).toMatchObject({ fromState: "to_review", toState: "rejected", data: { by: REVIEWER.user, reason: "Không phải văn bản của Sở" } });
    expect((await postForm(reviewer, `/review/documents/${document.id}/reject`, { from: "to_review", reason: "again" })).statusCode).toBe(409);

    const first = await runtime.store.latestExtraction(document.id);
    const admin = await signIn(harness.app, ADMIN);
    expect((await postForm(admin, `/review/documents/${document.id}/rerun`, { from: "rejected" })).statusCode).toBe(303);
    await waitFor("re-extracted", async () => (await runtime.store.getDocument(document.id))?.state === "to_review", 20_000);
    const second = await runtime.store.latestExtraction(document.id);
    expect(second!.id).not.toBe(first!.id);
    expect((await runtime.store.events(document.id)).find((e) => e.type === "RERUN")).toMatchObject({ fromState: "rejected", toState: "received", data: { by: ADMIN.user } });
  });

  it("vanthu export-gold <id> --out DIR and --since write one file per document", async () => {
    const dataDir = harness.runtime.services.config.dataDir;
    await harness.close();
    const out = await mkdtemp(join(tmpdir(), "vanthu-gold-"));
    const io = { out: "", err: "" };
    const writers = { stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
    const env = { VANTHU_DATA_DIR: dataDir };
    expect(await runExportGold({ id: documentId, out }, writers, env)).toBe(0);
    expect(await readdir(out)).toEqual([`${documentId}.json`]);
    const written = JSON.parse(await readFile(join(out, `${documentId}.json`), "utf8"));
    expect(shape(written)).toEqual(shape(JSON.parse(await readFile(GOLD, "utf8"))));
    expect(await runExportGold({ since: "2000-01-01" }, writers, env)).toBe(0);
    expect(io.out.trim().split("\n").map((l) => JSON.parse(l).id)).toEqual([documentId]);
    expect(await runExportGold({ since: "2999-01-01" }, writers, env)).toBe(0);
    expect(await runExportGold({}, writers, env)).toBe(2);
    expect(await runExportGold({ id: "nope" }, writers, env)).toBe(1);
    // The store the command opened is closed again: a new one opens the file without waiting.
    const store = await createStore({ dataDir });
    await store.close();
  });
});
