import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractFromText } from "../extractors/index.ts";
import type { DocumentPatch } from "../pipeline/store/types.ts";
import type { DocumentState } from "../schemas/document.ts";
import { escapeHtml, html, jsonData } from "../pipeline/review/html.ts";
import { PAGE_SIZE, inboxQuery } from "../pipeline/review/inbox.ts";
import { REVIEWER, signIn, startReviewHarness, type ReviewHarness } from "./e2e/harness.ts";
import { sharedLetters } from "./pipeline/helpers.ts";

/**
 * What the review page shows: escaped text (a letter with `<script>` in it
 * shows it as text), the inbox's tabs, counts, search and pages, and the
 * document view's original, marks and data block. Documents are seeded
 * straight into the store with the real extractor, without workers.
 */

describe("templating escapes by default", () => {
  it("escapes every interpolated string, keeps nested templates, and joins lists", () => {
    const evil = `<script>alert("x")</script>&'\``;
    expect(escapeHtml(evil)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;");
    const inner = html`<b>${evil}</b>`;
    expect(html`<p title="${evil}">${inner}${[1, html`<i>${"<"}</i>`]}${null}${false}${undefined}</p>`.value).toBe(
      `<p title="${escapeHtml(evil)}"><b>${escapeHtml(evil)}</b>1<i>&lt;</i></p>`,
    );
  });

  it("a JSON data block cannot be closed by its content", () => {
    const block = jsonData("d", { text: "</script><script>alert(1)</script>", line: "\u2028" }).value;
    expect(block.match(/<\/script>/g)).toHaveLength(1);
    const json = /<script type="application\/json" id="d">(.*)<\/script>/s.exec(block)![1]!;
    expect(JSON.parse(json)).toEqual({ text: "</script><script>alert(1)</script>", line: "\u2028" });
  });
});

describe("review pages", () => {
  let harness: ReviewHarness;
  let session: { cookie: string; csrf: string };
  const ids: Record<string, string> = {};

  async function seed(name: string, text: string, state: DocumentState, patch: DocumentPatch = {}, fileName = `${name}.txt`): Promise<string> {
    const { store, services } = harness.runtime;
    const { document } = await services.ingest({ bytes: Buffer.from(text), fileName, source: "http" });
    await store.transition(document.id, "received", "extracting", { type: "EXTRACTION_STARTED" });
    const stored = await store.saveExtraction(document.id, extractFromText(text, { fileName }));
    await store.transition(document.id, "extracting", "to_review", { type: "EXTRACTED", data: { extractionId: stored.id } }, patch);
    if (state !== "to_review") await store.transition(document.id, "to_review", state, { type: "TEST_SETUP" });
    ids[name] = document.id;
    // Distinct creation times: the inbox's "newest first" is then one order, not a tie broken by random ids.
    await new Promise((r) => setTimeout(r, 5));
    return document.id;
  }
  const letter = (file: string) => readFile(join(sharedLetters, file), "utf8");
  const get = (url: string) => harness.app.inject({ url, headers: { cookie: session.cookie } });

  beforeAll(async () => {
    harness = await startReviewHarness({ workers: false });
    session = await signIn(harness.app, REVIEWER);
    const base = await letter("000_49ac93810ff5857c.txt");
    // A letter carrying markup in its subject and a task, under a file name that is markup too.
    const hostile = base
      .replace("V/v duy trì và nâng cao", 'V/v <script>alert("xss")</script> duy trì và nâng cao')
      .replace("Tiếp tục quán triệt", "Tiếp tục <img src=x onerror=alert(1)> quán triệt");
    await seed("hostile", hostile, "to_review", {}, "<img src=x onerror=alert(2)>.txt");
    await seed("kh", await letter("002_8aa52f516e549e03.txt"), "to_review");
    await seed("vp", await letter("001_b5b676eb2548d6d8.txt"), "approved");
    await seed("vpcp", await letter("cv-2739-vpcp-2019.txt"), "delivered");
    await seed("dup", `${base}\n(bản sao)\n`, "to_review", { duplicateOf: ids.hostile! });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("a letter containing <script> and markup shows it as text, everywhere", async () => {
    const page = await get(`/review/documents/${ids.hostile}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    const body = page.body;
    expect(body).not.toContain("<script>alert");
    expect(body).not.toContain("<img src=x");
    expect(body).toContain("&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;");
    expect(body).toContain("Tiếp tục &lt;img src=x onerror=alert(1)&gt; quán triệt");
    expect(body).toContain("&lt;img src=x onerror=alert(2)&gt;.txt");
    // Every script on the page is a file from vanthu or an inert JSON block.
    for (const tag of body.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/src="\/review\/assets\/|type="application\/json"/);
    const data = JSON.parse(/<script type="application\/json" id="review-data">(.*?)<\/script>/s.exec(body)![1]!);
    expect(data.spans["field:subject"].snippet).toContain('<script>alert("xss")</script>');
    const inbox = await get("/review");
    expect(inbox.body).not.toContain("<script>alert");
    expect(inbox.body).not.toContain("<img src=x");
    expect(inbox.body).toContain("&lt;script&gt;");
  });

  it("the text original is shown as numbered normalised lines, with spans, low-confidence and unrouted marks", async () => {
    const body = (await get(`/review/documents/${ids.kh}`)).body;
    expect(body).toMatch(/<li id="L0" data-line="0" data-start="0" data-end="\d+" data-page="1"><span class="ln" aria-hidden="true">1<\/span>/);
    expect(body).toContain('data-source="field:number"');
    expect(body).toContain('data-source="task:0"');
    const data = JSON.parse(/id="review-data">(.*?)<\/script>/s.exec(body)![1]!);
    expect(data).toMatchObject({ documentId: ids.kh, from: "to_review", editable: true, originalKind: "text", hasDirectory: true, basedOn: null });
    expect(data.spans["task:0"].span).toMatchObject({ page: 1 });
    // issuerParent's confidence is below 0.7 in these letters: the field carries a visible mark.
    expect(body).toMatch(/data-source="field:issuerParent">\s*<label[^>]*>[^<]*<\/label> <span class="badge low-confidence"/);
    // A party the org directory does not know is marked unrouted ("Trưởng các phòng thuộc Sở"), a known one is not.
    const seed000 = (await get(`/review/documents/${ids.hostile}`)).body;
    expect(seed000).toMatch(/<li class="party unrouted">\s*<input class="party-input" list="org-units" value="Trưởng các phòng thuộc Sở"/);
    expect(seed000).toMatch(/<li class="party">\s*<input class="party-input" list="org-units" value="Văn phòng Sở"/);
    expect(body).toContain('<datalist id="org-units"><option value="Ban Giám đốc Sở"></option>');
  });

  it("the inbox lists by state with counts, newest first, searches number/symbol/issuer/subject, and pages", async () => {
    const rows = (body: string) => [...body.matchAll(/<tr data-document-id="([^"]+)">/g)].map((m) => m[1]);
    const toReview = await get("/review");
    expect(rows(toReview.body)).toEqual([ids.dup, ids.kh, ids.hostile]);
    expect(toReview.body).toMatch(/data-tab="to_review">Chờ duyệt <span class="count">3<\/span>/);
    expect(toReview.body).toMatch(/data-tab="approved">Đã duyệt <span class="count">1<\/span>/);
    expect(toReview.body).toMatch(/data-tab="duplicates">Trùng lặp <span class="count">1<\/span>/);
    expect(toReview.body).toMatch(/data-tab="all">Tất cả <span class="count">5<\/span>/);
    expect(rows((await get("/review?tab=approved")).body)).toEqual([ids.vp]);
    expect(rows((await get("/review?tab=delivered")).body)).toEqual([ids.vpcp]);
    expect(rows((await get("/review?tab=duplicates")).body)).toEqual([ids.dup]);
    expect(rows((await get("/review?tab=all")).body)).toHaveLength(5);
    expect(rows((await get("/review?tab=failed")).body)).toEqual([]);
    // Number/symbol as people type it, accents and case ignored, issuer and subject words.
    expect(rows((await get(`/review?tab=all&q=${encodeURIComponent("1465/SNN-VP")}`)).body)).toEqual([ids.kh]);
    expect(rows((await get(`/review?tab=all&q=${encodeURIComponent("so nong nghiep")}`)).body)).toEqual([ids.kh]);
    expect(rows((await get(`/review?tab=all&q=${encodeURIComponent("QUẢN TRỊ DOANH NGHIỆP")}`)).body)).toEqual([ids.vpcp]);
    expect(rows((await get(`/review?tab=to_review&q=2739`)).body)).toEqual([]);
    // Anything unexpected in the query falls back to the defaults rather than failing.
    expect((await get("/review?tab=nonsense&page=-3")).statusCode).toBe(200);
  });

  it("pages of PAGE_SIZE with links that keep the tab and search", async () => {
    expect(inboxQuery("to_review", "x", 3)).toEqual({ state: "to_review", q: "x", limit: PAGE_SIZE, offset: 2 * PAGE_SIZE });
    expect(inboxQuery("duplicates", undefined, 1)).toEqual({ duplicates: true, limit: PAGE_SIZE, offset: 0 });
    expect(inboxQuery("all", undefined, 1)).toEqual({ limit: PAGE_SIZE, offset: 0 });
    const { store } = harness.runtime;
    for (let i = 0; i <= PAGE_SIZE; i++) {
      const { document } = await store.receiveDocument({ contentHash: `page-${i}`, fileName: `trang-${i}.txt`, mediaType: "text/plain", size: 1, source: "http" });
      await store.transition(document.id, "received", "failed", { type: "EXTRACTION_FAILED" });
    }
    const rows = (body: string) => [...body.matchAll(/<tr data-document-id="([^"]+)">/g)].map((m) => m[1]);
    const first = await get("/review?tab=failed&q=trang");
    expect(first.body).toContain(`Trang 1/2 · ${PAGE_SIZE + 1} văn bản`);
    expect(first.body).toContain('href="/review?tab=failed&amp;q=trang&amp;page=2" rel="next"');
    const second = await get("/review?tab=failed&q=trang&page=2");
    expect(second.body).toContain('href="/review?tab=failed&amp;q=trang" rel="prev"');
    // The pages split the documents without overlap or gap (rows made in one millisecond tie on time; the id breaks it).
    expect(rows(first.body)).toHaveLength(PAGE_SIZE);
    expect(rows(second.body)).toHaveLength(1);
    expect(new Set([...rows(first.body), ...rows(second.body)]).size).toBe(PAGE_SIZE + 1);
  });

  it("an unknown document is a 404 page; a read-only state says why and disables the editor", async () => {
    const missing = await get("/review/documents/nope");
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toMatch(/^text\/html/);
    const { store } = harness.runtime;
    const { document } = await store.receiveDocument({ contentHash: "readonly", fileName: "r.txt", mediaType: "text/plain", size: 1, source: "http" });
    const page = await get(`/review/documents/${document.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Văn bản chưa được trích xuất.");
    const delivered = await get(`/review/documents/${ids.vpcp}`);
    expect(delivered.body).toContain('<fieldset class="editor-body">');
    const rejectedId = ids.kh!;
    await store.transition(rejectedId, "to_review", "rejected", { type: "REJECT", data: { by: "t", reason: "r" } });
    const rejected = await get(`/review/documents/${rejectedId}`);
    expect(rejected.body).toContain('<fieldset class="editor-body" disabled>');
    expect(rejected.body).toContain("Đã từ chối");
    await store.transition(rejectedId, "rejected", "to_review", { type: "TEST_SETUP" });
  });

  it("serves the original typed from its bytes and sandboxed, whatever its name says", async () => {
    const res = await get(`/review/documents/${ids.hostile}/original`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(res.headers["content-security-policy"]).toContain("sandbox");
    expect(res.headers["content-disposition"]).toMatch(/^inline; filename="_img src=x onerror=alert\(2\)>\.txt"|^inline; filename=/);
    expect(res.headers["content-disposition"]).not.toMatch(/[\r\n]/);
  });

  it("routes party names with the org directory for the unrouted marks", async () => {
    const res = await harness.app.inject({ url: `/review/route?name=${encodeURIComponent("Văn phòng Sở")}&name=nowhere&name=__proto__`, headers: { cookie: session.cookie, accept: "application/json" } });
    const { routes, hasDirectory } = res.json();
    expect(hasDirectory).toBe(true);
    expect(Object.keys(routes).sort()).toEqual(["Văn phòng Sở", "__proto__", "nowhere"].sort());
    expect(routes["Văn phòng Sở"]).toBe("unit-vp");
    expect(routes.nowhere).toBeNull();
    expect(Object.getPrototypeOf(routes)).toBe(Object.prototype);
  });
});
