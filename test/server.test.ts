import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../schemas/config.ts";
import { DOCUMENT_STATES, type DocumentEvent, type DocumentListQuery, type DocumentRecord, type DocumentState, type StoredExtraction } from "../schemas/document.ts";
import type { Extraction } from "../schemas/extraction.ts";
import type { IngestInput, Services } from "../pipeline/services.ts";
import type { NewDocument, Store } from "../pipeline/store/types.ts";
import type { OutboxStore } from "../pipeline/store/outbox-types.ts";
import type { ReviewStore } from "../pipeline/store/review-types.ts";
import { buildServer } from "../pipeline/server/app.ts";
import { contentDisposition, fileNameFromContentDisposition, fileNameFromHeader } from "../pipeline/server/filename.ts";
import { keyMatches } from "../pipeline/server/auth.ts";

const KEY = "k-3f9c2a7e51d84b60";
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n");

/** The Store interface in memory: enough behaviour for the API's reads and the fake ingest's writes. */
class MemoryStore implements Store {
  docs = new Map<string, DocumentRecord>();
  eventRows: DocumentEvent[] = [];
  extractions: StoredExtraction[] = [];
  keys = new Map<string, string>();
  up = true;
  // The ingest API never touches tasks or the outbox: any use fails the test loudly.
  readonly outbox = new Proxy({}, { get: (_t, name) => { throw new Error(`outbox.${String(name)} is not used by the ingest API`); } }) as OutboxStore;
  readonly review = new Proxy({}, { get: (_t, name) => { throw new Error(`review.${String(name)} is not used by the ingest API`); } }) as ReviewStore;
  private seq = 0;

  async migrate() {}
  async close() {}
  async ping() {
    return this.up;
  }
  async receiveDocument(doc: NewDocument) {
    const existingId = (doc.idempotencyKey && this.keys.get(doc.idempotencyKey)) || [...this.docs.values()].find((d) => d.contentHash === doc.contentHash)?.id;
    if (existingId) return { document: this.docs.get(existingId)!, created: false };
    const now = new Date(Date.UTC(2024, 2, 15, 0, 0, ++this.seq)).toISOString();
    const document: DocumentRecord = {
      id: `doc-${this.seq}`,
      contentHash: doc.contentHash,
      fileName: doc.fileName,
      mediaType: doc.mediaType,
      size: doc.size,
      source: doc.source,
      state: "received",
      createdAt: now,
      updatedAt: now,
      duplicateOf: null,
      letterKey: null,
      errorCode: null,
      errorMessage: null,
      metadata: doc.metadata ?? {},
    };
    this.docs.set(document.id, document);
    if (doc.idempotencyKey) this.keys.set(doc.idempotencyKey, document.id);
    this.eventRows.push({ id: this.eventRows.length + 1, documentId: document.id, at: now, type: "RECEIVED", fromState: null, toState: "received", data: {} });
    return { document, created: true };
  }
  async getDocument(id: string) {
    return this.docs.get(id) ?? null;
  }
  async getDocumentByHash(hash: string) {
    return [...this.docs.values()].find((d) => d.contentHash === hash) ?? null;
  }
  lastQuery: DocumentListQuery | undefined;
  async listDocuments(query: DocumentListQuery) {
    this.lastQuery = query;
    const matching = [...this.docs.values()].filter(
      (d) =>
        (!query.state || d.state === query.state) &&
        (!query.source || d.source === query.source) &&
        (!query.q || d.fileName.toLowerCase().includes(query.q.toLowerCase())) &&
        (!query.since || d.createdAt >= query.since) &&
        (query.duplicates === undefined || (d.duplicateOf !== null) === query.duplicates),
    );
    return { items: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
  }
  async countByState() {
    const counts = Object.fromEntries(DOCUMENT_STATES.map((s) => [s, 0])) as Record<DocumentState, number>;
    for (const d of this.docs.values()) counts[d.state] += 1;
    return counts;
  }
  async transition(id: string, from: DocumentState, to: DocumentState) {
    const d = this.docs.get(id);
    if (!d || d.state !== from) return null;
    const next = { ...d, state: to };
    this.docs.set(id, next);
    return next;
  }
  async appendEvent() {}
  async events(documentId: string) {
    return this.eventRows.filter((e) => e.documentId === documentId);
  }
  async saveExtraction(documentId: string, extraction: Extraction) {
    const stored = { id: `ext-${this.extractions.length + 1}`, documentId, extractorVersion: extraction.provenance.extractorVersion, createdAt: new Date().toISOString(), extraction };
    this.extractions.push(stored);
    return stored;
  }
  async latestExtraction(documentId: string) {
    return this.extractions.filter((e) => e.documentId === documentId).at(-1) ?? null;
  }
  async findByLetterKey() {
    return null;
  }
  async findStuck() {
    return [];
  }
}

interface Harness {
  app: FastifyInstance;
  services: Services;
  store: MemoryStore;
  ingested: IngestInput[];
  originals: Map<string, Uint8Array>;
  logs: string[];
  queuesUp: { value: boolean };
}

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

async function harness(options: { apiKeys?: string[]; maxUploadBytes?: number } = {}): Promise<Harness> {
  const store = new MemoryStore();
  const ingested: IngestInput[] = [];
  const originals = new Map<string, Uint8Array>();
  const logs: string[] = [];
  const queuesUp = { value: true };
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const services: Services = {
    config: ConfigSchema.parse({ http: { apiKeys: options.apiKeys ?? [KEY], maxUploadBytes: options.maxUploadBytes ?? 64 * 1024 } }),
    logger: pino({ level: "info" }, sink),
    store,
    approve: async () => {
      throw new Error("approve is not used by the ingest API tests");
    },
    replayDelivery: async () => false,
    async ingest(input) {
      ingested.push(input);
      const contentHash = createHash("sha256").update(input.bytes).digest("hex");
      originals.set(contentHash, input.bytes);
      return store.receiveDocument({
        contentHash,
        fileName: input.fileName,
        mediaType: input.mediaType ?? null,
        size: input.bytes.byteLength,
        source: input.source,
        metadata: input.metadata ?? {},
        ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      });
    },
    async readOriginal(document) {
      const bytes = originals.get(document.contentHash);
      if (!bytes) throw Object.assign(new Error("gone"), { code: "ENOENT" });
      return bytes;
    },
    queues: {
      dashboardQueues: () => [],
      ready: async () => queuesUp.value,
      counts: async () => ({ extract: { waiting: 2, active: 1, failed: 0 } }),
    },
  };
  const app = await buildServer(services);
  open.push(app);
  return { app, services, store, ingested, originals, logs, queuesUp };
}

const auth = { authorization: `Bearer ${KEY}` };

function multipart(parts: Array<{ name: string; value: string } | { name: string; fileName: string; type: string; data: Buffer }>) {
  const boundary = "----vanthu-test-boundary";
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head =
      "fileName" in part
        ? `Content-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: ${part.type}\r\n`
        : `Content-Disposition: form-data; name="${part.name}"\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n`, "utf8"), "fileName" in part ? part.data : Buffer.from(part.value, "utf8"), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

function edxml(attachmentName: string, attachment: Buffer): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
 <edXML:edXMLHeader><edXML:MessageHeader>
  <edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganName>Bộ Thông tin và Truyền thông</edXML:OrganName></edXML:From>
  <edXML:Code><edXML:CodeNumber>125</edXML:CodeNumber><edXML:CodeNotation>BTTTT-CĐSQG</edXML:CodeNotation></edXML:Code>
  <edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>2024-03-15</edXML:PromulgationDate></edXML:PromulgationInfo>
  <edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
  <edXML:Subject>V/v triển khai chuyển đổi số</edXML:Subject>
  <edXML:SignerInfo><edXML:Competence>KT. BỘ TRƯỞNG</edXML:Competence><edXML:Position>THỨ TRƯỞNG</edXML:Position><edXML:FullName>Nguyễn Huy Dũng</edXML:FullName></edXML:SignerInfo>
 </edXML:MessageHeader></edXML:edXMLHeader>
 <edXML:edXMLBody><edXML:AttachmentEncoded>
  <edXML:Attachment><edXML:ContentId>cid:1</edXML:ContentId><edXML:ContentType>application/vnd.ms-excel</edXML:ContentType><edXML:AttachmentName>phu-luc.xls</edXML:AttachmentName><edXML:ContentTransferEncoded>${Buffer.from("annex").toString("base64")}</edXML:ContentTransferEncoded></edXML:Attachment>
  <edXML:Attachment><edXML:ContentId>cid:2</edXML:ContentId><edXML:ContentType>application/pdf</edXML:ContentType><edXML:AttachmentName>${attachmentName}</edXML:AttachmentName><edXML:ContentTransferEncoded>${attachment.toString("base64")}</edXML:ContentTransferEncoded></edXML:Attachment>
 </edXML:AttachmentEncoded></edXML:edXMLBody>
</edXML:edXMLEnvelope>`;
}

describe("authentication", () => {
  it("answers 401 with a problem body for a missing or wrong key, on every API route", async () => {
    const { app, ingested } = await harness();
    for (const [method, url] of [["POST", "/api/v1/documents"], ["GET", "/api/v1/documents"], ["GET", "/api/v1/documents/doc-1"], ["GET", "/api/v1/documents/doc-1/original"]] as const) {
      const missing = await app.inject({ method, url, headers: { "content-type": "application/pdf" }, payload: method === "POST" ? PDF : undefined });
      expect(missing.statusCode, `${method} ${url}`).toBe(401);
      expect(missing.json()).toMatchObject({ error: "unauthorized" });
      expect(missing.headers["www-authenticate"]).toMatch(/^Bearer/);
      const wrong = await app.inject({ method, url, headers: { "x-api-key": `${KEY}x` } });
      expect(wrong.statusCode).toBe(401);
    }
    expect(ingested).toHaveLength(0);
  });

  it("accepts the key as Bearer or X-API-Key", async () => {
    const { app } = await harness({ apiKeys: ["other-key", KEY] });
    expect((await app.inject({ url: "/api/v1/documents", headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ url: "/api/v1/documents", headers: { "x-api-key": KEY } })).statusCode).toBe(200);
    expect((await app.inject({ url: "/api/v1/documents", headers: { authorization: `Basic ${KEY}` } })).statusCode).toBe(401);
  });

  it("refuses everything with 503 when no key is configured (never open by default)", async () => {
    const { app } = await harness({ apiKeys: [] });
    const res = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "application/pdf" }, payload: PDF });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: "no_api_key", message: expect.stringContaining("no API key configured") });
    expect((await app.inject({ url: "/api/v1/documents" })).statusCode).toBe(503);
    expect((await app.inject({ url: "/admin/queues" })).statusCode).toBe(503);
  });

  it("compares keys whole", () => {
    expect(keyMatches(KEY, [KEY])).toBe(true);
    expect(keyMatches(KEY.slice(0, -1), [KEY])).toBe(false);
    expect(keyMatches("", [KEY])).toBe(false);
    expect(keyMatches(KEY, [])).toBe(false);
  });

  it("never writes the key or the body to the log", async () => {
    const { app, logs } = await harness();
    await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "text/plain", "x-file-name": "a.txt" }, payload: "SECRET-LETTER-TEXT" });
    await app.inject({ url: "/api/v1/documents", headers: { "x-api-key": KEY } });
    const text = logs.join("");
    expect(text).toContain("request completed");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain("SECRET-LETTER-TEXT");
  });
});

describe("POST /api/v1/documents", () => {
  it("takes a raw body: 202 with the id, Location and status URL; ingest gets the bytes, name and key", async () => {
    const { app, ingested } = await harness();
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/documents",
      headers: { ...auth, "content-type": "application/pdf", "x-file-name": "cong-van-125.pdf", "idempotency-key": "batch-7/125" },
      payload: PDF,
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toEqual({ id: "doc-1", state: "received", duplicate: false, statusUrl: "/api/v1/documents/doc-1" });
    expect(res.headers.location).toBe("/api/v1/documents/doc-1");
    expect(ingested).toHaveLength(1);
    expect(Buffer.from(ingested[0]!.bytes).equals(PDF)).toBe(true);
    expect(ingested[0]).toMatchObject({ fileName: "cong-van-125.pdf", source: "http", mediaType: "application/pdf", idempotencyKey: "batch-7/125", metadata: {} });

    const again = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "application/pdf" }, payload: PDF });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ id: "doc-1", duplicate: true });
    expect(ingested[1]!.fileName).toBe("upload");
  });

  it("keeps a hostile name as metadata, untouched (RFC 5987 Content-Disposition, X-File-Name and multipart)", async () => {
    const hostile = "../../etc/passwd\u0000.pdf";
    const { app, ingested } = await harness();
    const viaDisposition = await app.inject({
      method: "POST",
      url: "/api/v1/documents",
      headers: { ...auth, "content-type": "application/octet-stream", "content-disposition": `attachment; filename="passwd.pdf"; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd%00.pdf` },
      payload: PDF,
    });
    expect(viaDisposition.statusCode).toBe(202);
    expect(ingested[0]).toMatchObject({ fileName: hostile, mediaType: null });

    const viaHeader = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "image/png", "x-file-name": "UTF-8''C%C3%B4ng%20v%C4%83n%20s%E1%BB%91%201.png" }, payload: Buffer.from("\x89PNG fake") });
    expect(viaHeader.statusCode).toBe(202);
    expect(ingested[1]).toMatchObject({ fileName: "Công văn số 1.png", mediaType: "image/png" });

    const form = multipart([{ name: "file", fileName: hostile, type: "application/pdf", data: Buffer.from("%PDF-1.7 other") }]);
    const viaForm = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, ...form.headers }, payload: form.payload });
    expect(viaForm.statusCode).toBe(202);
    expect(ingested[2]!.fileName).toBe(hostile);
  });

  it("takes multipart: one file, the other fields as metadata", async () => {
    const { app, ingested } = await harness();
    const form = multipart([
      { name: "department", value: "Văn phòng" },
      { name: "file", fileName: "Công văn 125.pdf", type: "application/pdf", data: PDF },
      { name: "tag", value: "khẩn" },
      { name: "tag", value: "mật" },
    ]);
    const res = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, ...form.headers, "idempotency-key": "form-1" }, payload: form.payload });
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe(res.json().statusUrl);
    expect(Buffer.from(ingested[0]!.bytes).equals(PDF)).toBe(true);
    expect(ingested[0]).toMatchObject({ fileName: "Công văn 125.pdf", mediaType: "application/pdf", idempotencyKey: "form-1", metadata: { department: "Văn phòng", tag: ["khẩn", "mật"] } });
  });

  it("refuses a form without a file, with two files, or with a field posing as edXML metadata", async () => {
    const { app, ingested } = await harness();
    const send = (form: ReturnType<typeof multipart>) => app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, ...form.headers }, payload: form.payload });
    expect((await send(multipart([{ name: "note", value: "x" }]))).json()).toMatchObject({ error: "no_file" });
    const two = await send(multipart([{ name: "a", fileName: "a.pdf", type: "application/pdf", data: PDF }, { name: "b", fileName: "b.pdf", type: "application/pdf", data: PDF }]));
    expect(two.statusCode).toBe(400);
    expect(two.json()).toMatchObject({ error: "too_many_files" });
    const spoof = await send(multipart([{ name: "edxml", value: "{}" }, { name: "file", fileName: "a.pdf", type: "application/pdf", data: PDF }]));
    expect(spoof.statusCode).toBe(400);
    expect(spoof.json()).toMatchObject({ error: "reserved_field" });
    expect(ingested).toHaveLength(0);
  });

  it("answers 413 over the upload limit, raw or multipart, and 400/415 for empty or unaccepted bodies", async () => {
    const { app, ingested } = await harness({ maxUploadBytes: 1024 });
    const big = Buffer.alloc(2048, 0x41);
    const raw = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "text/plain" }, payload: big });
    expect(raw.statusCode).toBe(413);
    expect(raw.json()).toMatchObject({ error: "payload_too_large" });
    const form = multipart([{ name: "file", fileName: "big.txt", type: "application/octet-stream", data: big }]);
    const viaForm = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, ...form.headers }, payload: form.payload });
    expect(viaForm.statusCode).toBe(413);
    expect(viaForm.json()).toMatchObject({ error: "payload_too_large" });

    const json = await app.inject({ method: "POST", url: "/api/v1/documents", headers: auth, payload: { file: "x" } });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ error: "unsupported_media_type" });
    const empty = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "application/pdf" }, payload: "" });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: "empty_file" });
    const xml = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "application/xml" }, payload: "<invoice/>" });
    expect(xml.statusCode).toBe(415);
    const badKey = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "application/pdf", "idempotency-key": "x".repeat(300) }, payload: PDF });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json()).toMatchObject({ error: "invalid_idempotency_key" });
    expect(ingested).toHaveLength(0);
  });

  it("unpacks an edXML package: the letter attachment is ingested with the header as metadata", async () => {
    const { app, ingested } = await harness();
    const res = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "application/xml", "x-file-name": "goi-tin.edxml" }, payload: edxml("125-BTTTT.pdf", PDF) });
    expect(res.statusCode).toBe(202);
    expect(ingested).toHaveLength(1);
    const input = ingested[0]!;
    expect(Buffer.from(input.bytes).equals(PDF)).toBe(true);
    expect(input).toMatchObject({ fileName: "125-BTTTT.pdf", mediaType: "application/pdf", source: "http" });
    expect(input.metadata).toMatchObject({
      edxml: {
        number: "125",
        symbol: "BTTTT-CĐSQG",
        issuer: "Bộ Thông tin và Truyền thông",
        place: "Hà Nội",
        date: "2024-03-15",
        type: "cong_van",
        subject: "triển khai chuyển đổi số",
        signer: { name: "Nguyễn Huy Dũng", title: "THỨ TRƯỞNG", authority: "KT. BỘ TRƯỞNG" },
      },
      edxmlAttachments: ["phu-luc.xls", "125-BTTTT.pdf"],
      edxmlPackage: "goi-tin.edxml",
    });

    // The same package in a form, as octet-stream: detected by content.
    const form = multipart([{ name: "file", fileName: "goi.xml", type: "application/octet-stream", data: Buffer.from(edxml("other.pdf", Buffer.from("%PDF-1.4 x"))) }]);
    expect((await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, ...form.headers }, payload: form.payload })).statusCode).toBe(202);
    expect(ingested[1]!.fileName).toBe("other.pdf");
  });

  it("answers 400 for a hostile or broken edXML package and 422 when it carries no letter", async () => {
    const { app, ingested } = await harness();
    const post = (payload: string) => app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "text/xml" }, payload });
    const xxe = await post(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><edXMLEnvelope>&e;</edXMLEnvelope>`);
    expect(xxe.statusCode).toBe(400);
    expect(xxe.json()).toMatchObject({ error: "invalid_edxml", message: expect.stringContaining("DTD") });
    const noLetter = await post(edxml("x.bin", Buffer.from("not a document")).replace("application/pdf", "application/zip"));
    expect(noLetter.statusCode).toBe(422);
    expect(noLetter.json()).toMatchObject({ error: "edxml_no_document" });
    expect(ingested).toHaveLength(0);
  });

  it("maps an ingest refusal to its status and hides internal errors", async () => {
    const { app, services, logs } = await harness();
    services.ingest = async () => {
      throw Object.assign(new Error("x.pdf: 70000000 bytes is over the limit"), { name: "IngestRejected", code: "too_large" });
    };
    const refused = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "application/pdf" }, payload: PDF });
    expect(refused.statusCode).toBe(413);
    services.ingest = async () => {
      throw new Error("disk full at /var/lib/vanthu/originals/ab/cd");
    };
    const failed = await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "application/pdf" }, payload: PDF });
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual({ error: "internal", message: expect.any(String) });
    expect(failed.body).not.toContain("/var/lib");
    expect(logs.join("")).toContain("disk full");
  });
});

describe("reading documents", () => {
  async function seeded() {
    const h = await harness();
    for (const [name, type] of [["a-cong-van.pdf", "application/pdf"], ["b-thong-bao.txt", "text/plain"], ["c-ke-hoach.pdf", "application/pdf"]] as const) {
      await h.app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": type, "x-file-name": name }, payload: `${name} content` });
    }
    h.store.docs.set("doc-2", { ...h.store.docs.get("doc-2")!, state: "to_review", duplicateOf: "doc-1" });
    return h;
  }

  it("GET one: the record, its latest extraction and its events; 404 otherwise", async () => {
    const { app, store } = await seeded();
    const res = await app.inject({ url: "/api/v1/documents/doc-1", headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.document).toMatchObject({ id: "doc-1", fileName: "a-cong-van.pdf" });
    expect(body.extraction).toBeNull();
    expect(body.events.map((e: DocumentEvent) => e.type)).toEqual(["RECEIVED"]);
    store.extractions.push({ id: "ext-1", documentId: "doc-1", extractorVersion: "1", createdAt: "2024-03-15T00:00:00.000Z", extraction: {} as Extraction });
    expect((await app.inject({ url: "/api/v1/documents/doc-1", headers: auth })).json().extraction).toMatchObject({ id: "ext-1" });
    const missing = await app.inject({ url: "/api/v1/documents/nope", headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: "not_found" });
  });

  it("GET list: filters validated by DocumentListQuerySchema, passed to the store, { items, total }", async () => {
    const { app, store } = await seeded();
    const all = await app.inject({ url: "/api/v1/documents", headers: auth });
    expect(all.json()).toMatchObject({ total: 3 });
    expect(store.lastQuery).toEqual({ limit: 50, offset: 0 });

    const filtered = await app.inject({ url: "/api/v1/documents?state=to_review&source=http&q=thong&duplicates=true&since=2024-03-15T07:00:00%2B07:00&limit=10&offset=0", headers: auth });
    expect(filtered.statusCode).toBe(200);
    expect(filtered.json().items.map((d: DocumentRecord) => d.id)).toEqual(["doc-2"]);
    expect(store.lastQuery).toEqual({ state: "to_review", source: "http", q: "thong", duplicates: true, since: "2024-03-15T00:00:00.000Z", limit: 10, offset: 0 });

    const page = await app.inject({ url: "/api/v1/documents?limit=1&offset=1", headers: auth });
    expect(page.json()).toMatchObject({ total: 3, items: [{ id: "doc-2" }] });
  });

  it("GET list: 400 with the zod issues for a bad query", async () => {
    const { app } = await seeded();
    for (const query of ["state=lost", "limit=0", "limit=501", "limit=ten", "offset=-1", "duplicates=maybe", "since=yesterday", "stat=received", "limit=1&limit=2"]) {
      const res = await app.inject({ url: `/api/v1/documents?${query}`, headers: auth });
      expect(res.statusCode, query).toBe(400);
      const body = res.json();
      expect(body.error).toBe("invalid_query");
      expect(body.issues.length, query).toBeGreaterThan(0);
      expect(body.issues[0]).toHaveProperty("path");
    }
  });

  it("GET original: the bytes as a safe attachment", async () => {
    const { app, store } = await seeded();
    const res = await app.inject({ url: "/api/v1/documents/doc-1/original", headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe("a-cong-van.pdf content");
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="a-cong-van.pdf"; filename*=UTF-8''a-cong-van.pdf`);

    store.docs.set("doc-3", { ...store.docs.get("doc-3")!, fileName: 'Công văn "số 5";\r\nSet-Cookie: x=1.html', mediaType: "text/html" });
    const hostile = await app.inject({ url: "/api/v1/documents/doc-3/original", headers: auth });
    expect(hostile.statusCode).toBe(200);
    expect(hostile.headers["content-type"]).toBe("application/octet-stream");
    expect(hostile.headers["set-cookie"]).toBeUndefined();
    expect(hostile.headers["content-disposition"]).toBe(
      `attachment; filename="Cong van _so 5____Set-Cookie: x=1.html"; filename*=UTF-8''C%C3%B4ng%20v%C4%83n%20%22s%E1%BB%91%205%22%3B__Set-Cookie%3A%20x%3D1.html`,
    );

    store.docs.set("doc-9", { ...store.docs.get("doc-1")!, id: "doc-9", contentHash: "gone" });
    expect((await app.inject({ url: "/api/v1/documents/doc-9/original", headers: auth })).json()).toMatchObject({ error: "original_not_found" });
  });
});

describe("file names in headers", () => {
  it("decodes Content-Disposition and X-File-Name forms", () => {
    expect(fileNameFromContentDisposition(`attachment; filename="a \\"b\\".pdf"`)).toBe('a "b".pdf');
    expect(fileNameFromContentDisposition(`attachment; filename=plain.pdf`)).toBe("plain.pdf");
    expect(fileNameFromContentDisposition(`attachment; filename="fallback.pdf"; filename*=utf-8'vi'C%C3%B4ng.pdf`)).toBe("Công.pdf");
    expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''bad%ZZ; filename="ok.pdf"`)).toBe("ok.pdf");
    expect(fileNameFromContentDisposition(`attachment`)).toBeNull();
    // Raw UTF-8 bytes arrive as latin1 characters from node's parser.
    expect(fileNameFromHeader(Buffer.from("Công văn.pdf", "utf8").toString("latin1"))).toBe("Công văn.pdf");
    expect(fileNameFromHeader("100%.pdf")).toBe("100%.pdf");
  });

  it("builds a Content-Disposition that no name can break out of", () => {
    expect(contentDisposition("")).toBe(`attachment; filename="document"; filename*=UTF-8''document`);
    expect(contentDisposition("dir/sub\\Đề án.docx")).toBe(`attachment; filename="De an.docx"; filename*=UTF-8''%C4%90%E1%BB%81%20%C3%A1n.docx`);
    expect(contentDisposition("\uD800x.pdf")).toContain("filename*=UTF-8''%EF%BF%BDx.pdf");
  });
});

/** [method, full path] pairs from fastify's printRoutes tree. */
function routeList(tree: string): Array<[string, string]> {
  const stack: string[] = [];
  const routes: Array<[string, string]> = [];
  for (const line of tree.split("\n")) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?/.exec(line);
    if (!match) continue;
    stack.length = match[1]!.length / 4;
    stack.push(match[2]!);
    for (const method of match[3]?.split(", ") ?? []) routes.push([method, stack.join("")]);
  }
  return routes;
}

describe("operations", () => {
  it("serves a valid OpenAPI document without auth, covering every route the server has", async () => {
    const { app } = await harness();
    const res = await app.inject({ url: "/api/v1/openapi.json" });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body);
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/api/v1/documents",
        "/api/v1/documents/{id}",
        "/api/v1/documents/{id}/original",
        "/api/v1/documents/{id}/approve",
        "/api/v1/documents/{id}/tasks",
        "/api/v1/deliveries",
        "/api/v1/deliveries/{id}",
        "/api/v1/deliveries/{id}/resend",
        "/api/v1/openapi.json",
        "/healthz",
        "/metrics",
        "/readyz",
      ].sort(),
    );
    expect(Object.keys(doc.paths["/api/v1/documents"])).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(doc.paths["/api/v1/documents"].post.requestBody.content)).toEqual(expect.arrayContaining(["multipart/form-data", "application/pdf", "application/xml"]));
    expect(doc.paths["/api/v1/documents"].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["state", "source", "q", "since", "duplicates", "limit", "offset"]));
    expect(doc.components.schemas.DocumentRecord).toBeDefined();
    // Drift guard, both ways: every route fastify has (but the dashboard) is documented, and every documented one exists.
    const routes = routeList(app.printRoutes({ commonPrefix: false })).filter(([method, path]) => method !== "HEAD" && !path.startsWith("/admin/"));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const [method, path] of routes) expect(doc.paths[path.replace(/:(\w+)/g, "{$1}")]?.[method.toLowerCase()], `${method} ${path}`).toBeDefined();
    for (const [path, operations] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(operations)) expect(app.hasRoute({ method: method.toUpperCase() as "GET", url: path.replace(/\{(\w+)\}/g, ":$1") }), `${method} ${path}`).toBe(true);
    }
  });

  it("healthz is 200; readyz is 200 or 503 naming what failed", async () => {
    const { app, store, queuesUp } = await harness();
    expect((await app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await app.inject({ url: "/readyz" })).json()).toEqual({ status: "ready", checks: { store: true, queues: true } });
    queuesUp.value = false;
    const notReady = await app.inject({ url: "/readyz" });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ error: "not_ready", checks: { store: true, queues: false }, message: expect.stringContaining("queues") });
    store.ping = async () => {
      throw new Error("connection refused");
    };
    expect((await app.inject({ url: "/readyz" })).json()).toMatchObject({ checks: { store: false, queues: false } });
  });

  it("metrics: documents by state, queue jobs, HTTP requests by route, process metrics", async () => {
    const { app } = await harness();
    await app.inject({ method: "POST", url: "/api/v1/documents", headers: { ...auth, "content-type": "application/pdf" }, payload: PDF });
    await app.inject({ url: "/api/v1/documents/doc-1", headers: auth });
    const res = await app.inject({ url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.body).toContain('vanthu_documents{state="received"} 1');
    expect(res.body).toContain('vanthu_documents{state="delivered"} 0');
    expect(res.body).toContain('vanthu_queue_jobs{queue="extract",status="waiting"} 2');
    expect(res.body).toContain('vanthu_http_requests_total{method="GET",route="/api/v1/documents/:id",status="200"} 1');
    expect(res.body).toContain('vanthu_http_requests_total{method="POST",route="/api/v1/documents",status="202"} 1');
    expect(res.body).toContain("vanthu_http_request_duration_seconds_bucket");
    expect(res.body).toContain("vanthu_process_resident_memory_bytes");
  });

  it("sets security headers and a request id, and answers unknown routes with a JSON 404", async () => {
    const { app } = await harness();
    const res = await app.inject({ url: "/nowhere" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: "not_found" });
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("the queue dashboard asks for Basic admin:<key> and says when jobs run in-process", async () => {
    const { app } = await harness();
    const anonymous = await app.inject({ url: "/admin/queues" });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toMatch(/^Basic realm=/);
    const wrongUser = await app.inject({ url: "/admin/queues", headers: { authorization: `Basic ${Buffer.from(`root:${KEY}`).toString("base64")}` } });
    expect(wrongUser.statusCode).toBe(401);
    const page = await app.inject({ url: "/admin/queues", headers: { authorization: `Basic ${Buffer.from(`admin:${KEY}`).toString("base64")}` } });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain("in-process");
    expect((await app.inject({ url: "/admin/queues", headers: { "x-api-key": KEY } })).statusCode).toBe(200);
  });
});

describe("queue dashboard with BullMQ queues", () => {
  it("mounts bull-board behind the same auth, with its own CSP", async () => {
    const { Queue } = await import("bullmq");
    // Never connected: the entry page and static files do not touch Redis.
    const queue = new Queue("extract", { connection: { host: "127.0.0.1", port: 1, lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => null } });
    queue.on("error", () => {});
    try {
      const h = await harness();
      await h.app.close();
      h.services.queues.dashboardQueues = () => [queue];
      const app = await buildServer(h.services);
      open.push(app);
      const anonymous = await app.inject({ url: "/admin/queues" });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers["www-authenticate"]).toMatch(/^Basic realm=/);
      expect(anonymous.json()).toMatchObject({ error: "unauthorized" });
      const basic = { authorization: `Basic ${Buffer.from(`admin:${KEY}`).toString("base64")}` };
      const page = await app.inject({ url: "/admin/queues", headers: basic });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("<title>vanthu</title>");
      expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
      const script = /src="(static\/js\/main[^"]+)"/.exec(page.body)?.[1];
      expect((await app.inject({ url: `/admin/queues/${script}`, headers: basic })).statusCode).toBe(200);
      const csrf = await app.inject({ method: "PUT", url: "/admin/queues/api/queues/extract/pause", headers: { ...basic, origin: "https://evil.example" } });
      expect(csrf.statusCode).toBe(403);
      expect(csrf.json()).toMatchObject({ error: "cross_site" });
    } finally {
      await queue.close().catch(() => {});
    }
  });
});
