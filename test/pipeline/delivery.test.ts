import { describe, it, expect, afterEach } from "vitest";
import { randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { createRuntime, type Runtime } from "../../pipeline/runtime.ts";
import { WebhookPayloadSchema, type EndpointConfig } from "../../schemas/webhook.ts";
import { WebhookReceiver } from "../support/webhook-receiver.ts";
import { assertValidPayload } from "../support/payload-schema.ts";
import { distinctLetters, quietLogger, root, tempDir, testConfig, waitFor } from "./helpers.ts";

/**
 * Approved tasks reaching a tracker: signed events verified by the
 * standardwebhooks library at a local test receiver, routed to tracker ids,
 * through outages, refusals and a reviewer's later edit.
 */
const run = promisify(execFile);
const SECRET_ENV = `VANTHU_TEST_WEBHOOK_SECRET_${randomBytes(3).toString("hex")}`;
const secret = `whsec_${randomBytes(32).toString("base64")}`;
process.env[SECRET_ENV] = secret;

const cleanups: (() => Promise<void>)[] = [];
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  // Every body any test's tracker received must match the published JSON Schema.
  for (const r of receivers.splice(0)) for (const delivery of r.received) assertValidPayload(delivery.json);
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(receiver: WebhookReceiver, endpoint: Partial<EndpointConfig> = {}) {
  receivers.push(receiver);
  await receiver.start();
  cleanups.push(() => receiver.stop());
  const dataDir = await tempDir("deliver");
  const config = testConfig(dataDir, {
    endpoints: [{ id: "tracker", url: receiver.url, secretEnv: SECRET_ENV, timeoutMs: 2000, retrySchedule: [0, 0.3, 0.3, 0.5, 0.5, 1, 1, 1, 1], ...endpoint }],
    orgDirectory: join(root, "fixtures/org-directory.example.json"),
  });
  const runtime = await createRuntime(config, { logger: quietLogger });
  await runtime.startWorkers();
  cleanups.push(() => runtime.stop());
  return runtime;
}

/** Ingests the seed letter 000 (5 numbered items and 2 "Giao ..." paragraphs) and waits for its extraction. */
async function extractedLetter(runtime: Runtime, salt = "") {
  const [letter] = await distinctLetters(1, salt);
  const { document } = await runtime.services.ingest({ bytes: Buffer.from(letter!.text), fileName: "000.txt", source: "http" });
  await waitFor("extracted", async () => (await runtime.store.getDocument(document.id))?.state === "to_review");
  const extraction = await runtime.store.latestExtraction(document.id);
  return { document, tasks: extraction!.extraction.tasks };
}

const settled = (runtime: Runtime, id: string, state: string) =>
  waitFor(`document ${state}`, async () => (await runtime.store.getDocument(id))?.state === state, 20_000);

describe("webhook delivery", () => {
  it("an approved letter's tasks reach the tracker as verified, routed task.created events valid against the published schema", async () => {
    const receiver = new WebhookReceiver({ secrets: [secret] });
    const runtime = await setup(receiver);
    const { document, tasks } = await extractedLetter(runtime);
    await runtime.services.approve({ documentId: document.id, by: "reviewer@test" });
    await settled(runtime, document.id, "delivered");
    const events = receiver.uniqueById();
    expect(events).toHaveLength(tasks.length);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    for (const e of events) {
      const payload = WebhookPayloadSchema.parse(e.json);
      expect(payload.type).toBe("task.created");
    }
    // "Giao Văn phòng Sở ..." routes to the directory's Văn phòng Sở.
    const toOffice = events.map((e) => WebhookPayloadSchema.parse(e.json)).find((p) => "task" in p.data && p.data.task.text.startsWith("Giao Văn phòng Sở có trách nhiệm"));
    expect(toOffice && "task" in toOffice.data ? toOffice.data.task.assignees[0] : null).toEqual({ name: "Văn phòng Sở", trackerId: "unit-vp" });
    const first = WebhookPayloadSchema.parse(events[0]!.json);
    expect(first.data.document).toMatchObject({ id: document.id, number: "1302", symbol: "SCT-VP" });
    expect(first.data.provenance.approvedBy).toBe("reviewer@test");
  }, 40_000);

  it("tracker down for a while, then up: every task delivered once after dedupe by webhook-id", async () => {
    const receiver = new WebhookReceiver({ secrets: [secret] });
    const runtime = await setup(receiver);
    const { document, tasks } = await extractedLetter(runtime);
    await receiver.stop();
    await runtime.services.approve({ documentId: document.id, by: "r" });
    await new Promise((r) => setTimeout(r, 1200));
    await receiver.start();
    await settled(runtime, document.id, "delivered");
    expect(receiver.uniqueById()).toHaveLength(tasks.length);
    const deliveries = await runtime.store.outbox.listDeliveries({ documentId: document.id });
    expect(deliveries.every((d) => d.status === "delivered" && d.attempts >= 2)).toBe(true);
  }, 40_000);

  it("500s then 200: retried with the same webhook-id and fresh signatures; attempts are logged", async () => {
    const receiver = new WebhookReceiver({ secrets: [secret] }).respondWith(500, 500, 200);
    const runtime = await setup(receiver);
    const { document } = await extractedLetter(runtime);
    await runtime.services.approve({ documentId: document.id, by: "r" });
    await settled(runtime, document.id, "delivered");
    const [delivery] = await runtime.store.outbox.listDeliveries({ documentId: document.id });
    const sameId = receiver.received.filter((r) => r.webhookId === delivery!.webhookId);
    expect(sameId.length).toBeGreaterThanOrEqual(1);
    // Each retry is signed anew: requests of one webhook-id made in different seconds carry different signatures.
    const byTimestamp = new Map(sameId.map((r) => [r.timestamp, r.signature]));
    expect(new Set(byTimestamp.values()).size).toBe(byTimestamp.size);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    const attempts = (await Promise.all((await runtime.store.outbox.listDeliveries({ documentId: document.id })).map((d) => runtime.store.outbox.attempts(d.id)))).flat();
    expect(attempts.filter((a) => a.status === 500)).toHaveLength(2);
    expect(attempts.filter((a) => a.status === 200).length).toBeGreaterThan(0);
  }, 40_000);

  it("400: failed at once without retry, shown as delivery_failed; a replay sends it again with the same id", async () => {
    const receiver = new WebhookReceiver({ secrets: [secret] }).respondWith(400);
    const runtime = await setup(receiver);
    const { document } = await extractedLetter(runtime);
    await runtime.services.approve({ documentId: document.id, by: "r" });
    await settled(runtime, document.id, "delivery_failed");
    const deliveries = await runtime.store.outbox.listDeliveries({ documentId: document.id });
    expect(deliveries.every((d) => d.status === "failed" && d.attempts === 1 && d.lastStatus === 400)).toBe(true);
    receiver.respondWith(200);
    for (const d of deliveries) expect(await runtime.services.replayDelivery(d.id)).toBe(true);
    await settled(runtime, document.id, "delivered");
    const ids = receiver.received.map((r) => r.webhookId);
    for (const d of deliveries) expect(ids.filter((id) => id === d.webhookId)).toHaveLength(2);
  }, 40_000);

  it("vanthu deliveries replay --failed-since sends failed deliveries again from the command line", async () => {
    const receiver = new WebhookReceiver({ secrets: [secret] }).respondWith(400);
    receivers.push(receiver);
    await receiver.start();
    cleanups.push(() => receiver.stop());
    const dataDir = await tempDir("replay-cli");
    const endpoints = [{ id: "tracker", url: receiver.url, secretEnv: SECRET_ENV, timeoutMs: 2000 }];
    const runtime = await createRuntime(testConfig(dataDir, { endpoints }), { logger: quietLogger });
    await runtime.startWorkers();
    const { document } = await extractedLetter(runtime);
    const since = new Date(Date.now() - 1000).toISOString();
    await runtime.services.approve({ documentId: document.id, by: "r" });
    await settled(runtime, document.id, "delivery_failed");
    await runtime.stop();
    receiver.respondWith(200);
    const env = { ...process.env, VANTHU_DATA_DIR: dataDir, VANTHU_ENDPOINTS: JSON.stringify(endpoints), VANTHU_LOG_LEVEL: "warn", REDIS_URL: "", DATABASE_URL: "" };
    const { stdout } = await run(process.execPath, [join(root, "bin/vanthu.mjs"), "deliveries", "replay", "--failed-since", since], { cwd: root, env, timeout: 60_000 });
    expect(stdout).toMatch(/^\d+ replayed/);
    const reopened = await createRuntime(testConfig(dataDir, { endpoints }), { logger: quietLogger });
    cleanups.push(() => reopened.stop());
    expect((await reopened.store.getDocument(document.id))?.state).toBe("delivered");
    expect(receiver.uniqueById().length).toBe(Number(stdout.split(" ")[0]));
  }, 60_000);

  it("410 Gone disables the endpoint", async () => {
    const receiver = new WebhookReceiver({ secrets: [secret] }).respondWith(410);
    const runtime = await setup(receiver);
    const { document } = await extractedLetter(runtime);
    await runtime.services.approve({ documentId: document.id, by: "r" });
    await settled(runtime, document.id, "delivery_failed");
    expect(await runtime.store.outbox.endpointDisabled("tracker")).not.toBeNull();
    const deliveries = await runtime.store.outbox.listDeliveries({ documentId: document.id });
    expect(deliveries.every((d) => d.status === "failed" && d.attempts === 1)).toBe(true);
    // Once disabled, later events are not sent at all.
    const before = receiver.received.length;
    const [, second] = await distinctLetters(2);
    const { document: other } = await runtime.services.ingest({ bytes: Buffer.from(second!.text), fileName: "001.txt", source: "http" });
    await waitFor("extracted", async () => (await runtime.store.getDocument(other.id))?.state === "to_review");
    await runtime.services.approve({ documentId: other.id, by: "r" });
    await settled(runtime, other.id, "delivery_failed");
    expect(receiver.received).toHaveLength(before);
  }, 40_000);

  it("a reviewer's edit after delivery sends task.updated (version 2) and a removed task task.cancelled", async () => {
    const receiver = new WebhookReceiver({ secrets: [secret] });
    const runtime = await setup(receiver);
    const { document } = await extractedLetter(runtime);
    await runtime.services.approve({ documentId: document.id, by: "r" });
    await settled(runtime, document.id, "delivered");
    const approved = (await runtime.store.outbox.tasks(document.id)).filter((t) => t.status === "active");
    const [first, , ...rest] = approved;
    const edited = [{ ...first!, deadline: "2018-12-15", assignees: ["Thanh tra Sở"] }, ...rest];
    await runtime.services.approve({ documentId: document.id, by: "r2", tasks: edited });
    await settled(runtime, document.id, "delivered");
    const payloads = receiver.uniqueById().map((r) => WebhookPayloadSchema.parse(r.json));
    const updated = payloads.filter((p) => p.type === "task.updated");
    expect(updated).toHaveLength(1);
    expect("task" in updated[0]!.data && updated[0]!.data.task).toMatchObject({ id: first!.id, version: 2, deadline: "2018-12-15", assignees: [{ name: "Thanh tra Sở", trackerId: "unit-tt" }] });
    expect(payloads.filter((p) => p.type === "task.cancelled")).toHaveLength(1);
    expect(payloads.filter((p) => p.type === "task.created")).toHaveLength(approved.length);
  }, 40_000);

  it("an approval with nothing to send settles the document at once instead of leaving it approved", async () => {
    const receiver = new WebhookReceiver({ secrets: [secret] });
    const runtime = await setup(receiver);
    const { document: emptied } = await extractedLetter(runtime);
    // The reviewer removed every task: no event for any endpoint.
    const none = await runtime.services.approve({ documentId: emptied.id, by: "r", tasks: [] });
    expect(none.deliveries).toEqual([]);
    expect((await runtime.store.getDocument(emptied.id))?.state).toBe("delivered");
    expect((await runtime.store.events(emptied.id)).map((e) => e.type).slice(-2)).toEqual(["APPROVE", "DELIVERED"]);

    // A delivered letter approved again without a change has nothing new to send either.
    const { document } = await extractedLetter(runtime, "second");
    await runtime.services.approve({ documentId: document.id, by: "r" });
    await settled(runtime, document.id, "delivered");
    const sent = receiver.received.length;
    const again = await runtime.services.approve({ documentId: document.id, by: "r2" });
    expect(again.deliveries).toEqual([]);
    expect((await runtime.store.getDocument(document.id))?.state).toBe("delivered");
    expect(receiver.received).toHaveLength(sent);
  }, 40_000);
});
