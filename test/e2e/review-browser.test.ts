import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookPayloadSchema, type WebhookTask } from "../../schemas/webhook.ts";
import { WebhookReceiver } from "../support/webhook-receiver.ts";
import { root, sharedLetters, waitFor } from "../pipeline/helpers.ts";
import { REVIEWER, newWebhookSecret, startReviewHarness, type ReviewHarness } from "./harness.ts";

/**
 * The review page in a real browser: Debian's chromium driven by
 * playwright-core (its own browser download does not work here). A reviewer
 * signs in, opens the seed letter from the inbox, fixes an assignee and a
 * deadline, splits a task and approves; the corrected tasks must reach the
 * test tracker with valid Standard Webhooks signatures. A screenshot of the
 * document view is kept in test-results/ as an artifact.
 *
 * CI installs the `chromium` package; without it the test fails when CI is
 * set and is skipped on a developer machine.
 */
const CHROMIUM = process.env.VANTHU_CHROMIUM ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) {
  throw new Error(`${CHROMIUM} is missing: the review end-to-end test needs Debian's chromium package (apt-get install chromium)`);
}
const LETTER = join(sharedLetters, "000_49ac93810ff5857c.txt");
const ARTIFACTS = resolve(root, "test-results");
const SPLIT_AT = "Nghiên cứu triển khai mô hình";

describe.skipIf(!haveChromium)("review page in Chromium", () => {
  let browser: Browser;
  let tracker: WebhookReceiver;
  let harness: ReviewHarness;

  beforeAll(async () => {
    const secret = newWebhookSecret();
    tracker = new WebhookReceiver({ secrets: [secret] });
    await tracker.start();
    harness = await startReviewHarness({ endpointUrl: tracker.url, webhookSecret: secret });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await tracker?.stop();
  });

  it("sign in, fix an assignee and a deadline, split a task, approve: the corrected tasks arrive signed", async () => {
    const { runtime, baseUrl } = harness;
    const { document } = await runtime.services.ingest({ bytes: await readFile(LETTER), fileName: "000_49ac93810ff5857c.txt", source: "http" });
    await waitFor("extracted", async () => (await runtime.store.getDocument(document.id))?.state === "to_review", 20_000);

    const context = await browser.newContext({ locale: "vi-VN", viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      // A CSP violation is reported on the console: the page must need nothing the policy forbids.
      if (message.type() === "error") errors.push(message.text());
    });

    // Signed out: the review page sends the browser to sign in, then back.
    await page.goto(`${baseUrl}/review`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/review/login");
    await page.fill("#user", REVIEWER.user);
    await page.fill("#password", REVIEWER.password);
    await page.click("button[type=submit]");
    await page.waitForURL(`${baseUrl}/review`);

    // The inbox lists the letter under "to review"; it opens from there.
    const row = page.locator(`tr[data-document-id="${document.id}"]`);
    await expect.poll(() => row.locator("a").textContent()).toBe("1302/SCT-VP");
    await row.locator("a").click();
    await page.waitForURL(`**/review/documents/${document.id}`);
    const tasks = page.locator("#tasks > li.task");
    await expect.poll(() => tasks.count()).toBe(7);

    // Clicking a field marks where it came from in the original text.
    await page.click("#f-number");
    await expect.poll(() => page.locator(".text-lines li.hl mark").first().textContent()).toBe("1302");

    // Task 6's assignee is not in the org directory (marked); the reviewer names the unit.
    const assignee = tasks.nth(5).locator('.parties[data-role="assignees"] .party').first();
    await expect.poll(() => assignee.getAttribute("class")).toMatch(/\bunrouted\b/);
    await assignee.locator("input").fill("Văn phòng Sở");
    await expect.poll(() => assignee.getAttribute("class")).not.toMatch(/\bunrouted\b/);

    // Task 1 gets a deadline from the date picker.
    await tasks.nth(0).locator(".task-deadline").fill("2018-10-15");

    // Task 5 is split at the cursor, placed before its second sentence (Alt+Enter).
    const text = tasks.nth(4).locator(".task-text");
    await text.click();
    // The browser's textarea, typed by what is used (the project's TypeScript has no DOM library).
    await text.evaluate((area: { value: string; setSelectionRange(start: number, end: number): void }, at: string) => {
      const i = area.value.indexOf(at);
      area.setSelectionRange(i, i);
    }, SPLIT_AT);
    await page.keyboard.press("Alt+Enter");
    await expect.poll(() => tasks.count()).toBe(8);
    await expect.poll(() => tasks.nth(5).locator(".task-text").inputValue()).toMatch(new RegExp(`^${SPLIT_AT}`));

    await mkdir(ARTIFACTS, { recursive: true });
    // The artifact: the document view with the split task's source marked in the original.
    await tasks.nth(5).locator(".task-text").click();
    await expect.poll(() => page.locator(".text-lines li.hl").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, "review-document.png") });

    // Ctrl+Enter approves and returns to the inbox.
    await tasks.nth(0).locator(".task-text").focus();
    await page.keyboard.press("Control+Enter");
    await page.waitForURL(`${baseUrl}/review?tab=to_review`);

    await waitFor("8 tasks at the tracker", async () => tracker.uniqueById().length >= 8, 20_000);
    expect(tracker.received.every((r) => r.signatureValid)).toBe(true);
    const sent = tracker.uniqueById().map((r) => WebhookPayloadSchema.parse(r.json));
    expect(sent.every((p) => p.type === "task.created")).toBe(true);
    const byText = (start: string): WebhookTask => {
      const found = sent.map((p) => ("task" in p.data ? p.data.task : null)).find((t) => t?.text.startsWith(start));
      if (!found) throw new Error(`no task starting ${start}`);
      return found;
    };
    expect(byText("Nội dung kết quả đề xuất").assignees).toEqual([{ name: "Văn phòng Sở", trackerId: "unit-vp" }]);
    expect(byText("Tiếp tục quán triệt").deadline).toBe("2018-10-15");
    const first = byText("Giao Văn phòng Sở (Bộ phận Tiếp nhận");
    const second = byText(SPLIT_AT);
    expect(first.text).not.toContain(SPLIT_AT);
    expect(first.text.endsWith("của Chính phủ;")).toBe(true);
    expect(second.assignees).toEqual([{ name: "Văn phòng Sở", trackerId: "unit-vp" }]);
    expect(sent.every((p) => p.data.provenance.approvedBy === REVIEWER.user)).toBe(true);
    const corrected = (start: string) => sent.find((p) => "task" in p.data && p.data.task.text.startsWith(start))?.data.provenance.corrected;
    expect(corrected("Tiếp tục quán triệt")).toBe(true);
    expect(corrected("Nêu cao vai trò")).toBe(false);

    // The history on the document view shows each correction.
    await page.goto(`${baseUrl}/review/documents/${document.id}`);
    const history = page.locator(".history-table tr.correction");
    await expect.poll(() => history.count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator('.history-table tr.correction[data-path="tasks[1].deadline"] td.after').textContent()).toBe("2018-10-15");
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
