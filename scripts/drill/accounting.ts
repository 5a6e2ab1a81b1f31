import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Store } from "../../pipeline/store/types.ts";
import { isTemporaryName } from "../../pipeline/watcher.ts";
import type { DrillLetter } from "./letters.ts";
import type { AccountingReceiver } from "./receiver.ts";

/**
 * The figures of one drill, read after the batch settled (or the deadline
 * passed) from the store and from what the receiver actually got:
 *
 *   accepted    letters the pipeline recorded (a document for the content)
 *   extracted   documents with an extraction
 *   delivered   documents whose every outbox delivery reached the receiver,
 *               with as many distinct tasks as the extraction found
 *   failed      documents that ended in a named failure (failed, delivery_failed)
 *   lost        letters dropped that are neither delivered nor a named failure
 *   duplicates  a task version under more than one webhook-id, or a document
 *               whose tasks reached the tracker under more task ids than it has
 *               tasks: what a tracker deduping by webhook-id would show twice
 *   redeliveries  the same webhook-id again (expected after a crash mid-send)
 */
export interface Figures {
  letters: number;
  accepted: number;
  extracted: number;
  delivered: number;
  failed: number;
  lost: number;
  duplicates: number;
  redeliveries: number;
  webhooks: number;
  /** Documents extracted more than once (a job run twice to the end). */
  extractedTwice: number;
  /** Extractions started again after the worker holding them died (the crash landed mid-extraction). */
  extractionsResumed: number;
  /** Webhook-ids the receiver got that no outbox row has. */
  unknownWebhooks: number;
  invalidSignatures: number;
  /** Letters still in the watched folder at the end. */
  leftInInbox: number;
  /** Files in data/archive at the end (each letter once, when the watcher could move it). */
  archived: number;
  /** Our own temporary files left in the data folder (*.tmp). */
  strayTempFiles: number;
  /** Per lost letter: its name and where it stopped, to start the investigation. */
  lostLetters: { name: string; state: string; error?: string }[];
}

export async function account(input: { letters: DrillLetter[]; store: Store; receiver: AccountingReceiver; inbox: string; dataDir: string }): Promise<Figures> {
  const { store, receiver } = input;
  const f: Figures = {
    letters: input.letters.length,
    accepted: 0,
    extracted: 0,
    delivered: 0,
    failed: 0,
    lost: 0,
    duplicates: 0,
    redeliveries: receiver.accepted - receiver.uniqueDeliveries,
    webhooks: receiver.uniqueDeliveries,
    extractedTwice: 0,
    extractionsResumed: 0,
    unknownWebhooks: 0,
    invalidSignatures: receiver.invalidSignatures,
    leftInInbox: 0,
    archived: 0,
    strayTempFiles: 0,
    lostLetters: [],
  };
  const taskIdsByDocument = new Map<string, Set<string>>();
  for (const arrival of receiver.byWebhookId.values()) {
    if (!arrival.documentId || !arrival.taskId) continue;
    const ids = taskIdsByDocument.get(arrival.documentId) ?? new Set<string>();
    ids.add(arrival.taskId);
    taskIdsByDocument.set(arrival.documentId, ids);
  }
  for (const ids of receiver.webhookIdsByTaskVersion.values()) f.duplicates += ids.size - 1;
  const known = new Set<string>();

  for (const letter of input.letters) {
    const document = await store.getDocumentByHash(letter.contentHash);
    if (!document) {
      f.lost++;
      f.lostLetters.push({ name: letter.name, state: "never recorded" });
      continue;
    }
    f.accepted++;
    const events = await store.events(document.id);
    const extractions = events.filter((e) => e.type === "EXTRACTED").length;
    f.extractionsResumed += events.filter((e) => e.type === "EXTRACTION_STARTED" && e.data.resumed === true).length;
    if (extractions > 0) f.extracted++;
    if (extractions > 1) f.extractedTwice++;
    const deliveries = await store.outbox.listDeliveries({ documentId: document.id, limit: 10_000 });
    for (const d of deliveries) known.add(d.webhookId);
    const tasks = (await store.latestExtraction(document.id))?.extraction.tasks.length ?? 0;
    const received = taskIdsByDocument.get(document.id)?.size ?? 0;
    f.duplicates += Math.max(0, received - tasks);
    const arrived = deliveries.length > 0 && deliveries.every((d) => receiver.byWebhookId.has(d.webhookId)) && received === tasks;
    if (arrived && document.state === "delivered") f.delivered++;
    else if (document.state === "failed" || document.state === "delivery_failed") f.failed++;
    else {
      f.lost++;
      const pending = deliveries.filter((d) => !receiver.byWebhookId.has(d.webhookId)).length;
      f.lostLetters.push({
        name: letter.name,
        state: `${document.state}, ${deliveries.length} deliveries (${pending} not at the receiver), ${received}/${tasks} tasks received`,
        ...(document.errorMessage ? { error: document.errorMessage } : {}),
      });
    }
  }
  for (const webhookId of receiver.byWebhookId.keys()) if (!known.has(webhookId)) f.unknownWebhooks++;
  f.leftInInbox = (await readdir(input.inbox)).filter((name) => !isTemporaryName(name)).length;
  f.archived = await countFiles(join(input.dataDir, "archive"), () => true);
  f.strayTempFiles = await countFiles(input.dataDir, (name) => name.endsWith(".tmp"));
  return f;
}

async function countFiles(dir: string, match: (name: string) => boolean): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return 0;
  }
  return entries.filter((e) => e.isFile() && match(e.name)).length;
}
