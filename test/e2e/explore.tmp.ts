import { readFile } from "node:fs/promises";
import { chromium } from "playwright-core";
import { startReviewHarness, ADMIN } from "./harness.ts";
import { waitFor } from "../pipeline/helpers.ts";

const h = await startReviewHarness();
const files = ["/work/shared/fixtures/pdf/tb-480-vpcp-2025.pdf", "/work/main/fixtures/pdf/000_49ac93810ff5857c.pdf"];
const ids: string[] = [];
for (const f of files) {
  const { document } = await h.runtime.services.ingest({ bytes: await readFile(f), fileName: f.split("/").pop()!, source: "http" });
  ids.push(document.id);
}
for (const id of ids) await waitFor("x", async () => ["to_review", "failed"].includes((await h.runtime.store.getDocument(id))!.state), 60000);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on("console", (m) => console.log("console:", m.type(), m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(`${h.baseUrl}/review/login`);
await page.fill("#user", ADMIN.user);
await page.fill("#password", ADMIN.password);
await page.click("button[type=submit]");
await page.waitForURL(`${h.baseUrl}/review`);
await page.screenshot({ path: "/tmp/rv/inbox.png" });
for (const [i, id] of ids.entries()) {
  await page.goto(`${h.baseUrl}/review/documents/${id}`);
  await page.waitForSelector("#pdf-viewer[data-rendered]", { timeout: 20000 }).catch((e) => console.log("no render", e.message));
  await page.click("#f-subject").catch(() => {});
  await page.waitForTimeout(500);
  console.log("status", await page.locator("#source-status").textContent(), "hl", await page.locator(".pdf-hl").count());
  await page.screenshot({ path: `/tmp/rv/doc${i}.png` });
  await page.locator("#tasks > li.task").first().click().catch(() => {});
  await page.waitForTimeout(500);
  console.log("status", await page.locator("#source-status").textContent(), "hl", await page.locator(".pdf-hl").count());
  await page.screenshot({ path: `/tmp/rv/doc${i}-task.png` });
}
await browser.close();
await h.close();
