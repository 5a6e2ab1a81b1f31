import type { Logger } from "pino";
import type { Config } from "../schemas/config.ts";
import type { DocumentRecord, DocumentState } from "../schemas/document.ts";
import type { DocumentFields, Extraction, Task } from "../schemas/extraction.ts";
import type { WebhookPayload, WebhookTask } from "../schemas/webhook.ts";
import type { Router } from "./delivery/routing.ts";
import type { JobQueues } from "./queue/types.ts";
import type { Store } from "./store/types.ts";
import type { ApprovedTaskInput, StoredTask, TaskChange } from "./store/outbox-types.ts";

/**
 * Approval: the reviewer's (or the auto-approve policy's) decision that a
 * document's tasks go to the tracker. The tasks, their routing to tracker ids
 * and one outbox row per event and endpoint are written in the same
 * transaction as the state change; delivery jobs are enqueued after commit
 * (and found again by the reconciler if that enqueue is lost).
 */
export interface TaskEdit {
  id?: string;
  ref: string;
  text: string;
  assignees: string[];
  collaborators: string[];
  deadline: string | null;
}

export interface ApproveRequest {
  documentId: string;
  by: string;
  /** The tasks as approved; absent: the latest extraction's tasks as they are. */
  tasks?: TaskEdit[];
  /** The state the reviewer saw (compare-and-set); default: the document's current state. */
  from?: DocumentState;
  /** The reviewer's corrected header fields, sent in place of the extracted ones; absent: as extracted. */
  documentFields?: DocumentFields;
  /**
   * The auto-approve policy approving a fresh extraction (or resuming that
   * approval after a crash): done once per extraction; when it was done
   * already, a quiet no-op with no deliveries.
   */
  auto?: boolean;
}

export class ApprovalError extends Error {
  constructor(
    readonly code: "not_found" | "conflict" | "no_extraction",
    message: string,
  ) {
    super(message);
    this.name = "ApprovalError";
  }
}

export function createApproval(deps: { store: Store; queues: JobQueues; config: Config; router: Router | null; logger: Logger }) {
  const { store, queues, config, router } = deps;

  const routeTask = (t: TaskEdit, corrected: boolean): ApprovedTaskInput => ({
    ...(t.id ? { id: t.id } : {}),
    ref: t.ref,
    text: t.text,
    assignees: t.assignees,
    collaborators: t.collaborators,
    deadline: t.deadline,
    routed: {
      assignees: t.assignees.map((name) => ({ name, trackerId: router?.route(name).trackerId ?? null })),
      collaborators: t.collaborators.map((name) => ({ name, trackerId: router?.route(name).trackerId ?? null })),
    },
    corrected,
  });

  return async function approve(request: ApproveRequest) {
    const document = await store.getDocument(request.documentId);
    if (!document) throw new ApprovalError("not_found", `no document ${request.documentId}`);
    const latest = await store.latestExtraction(document.id);
    if (!latest) throw new ApprovalError("no_extraction", `document ${document.id} has no extraction to approve`);
    const extracted = latest.extraction.tasks.map(fromExtraction);
    const previous = await store.outbox.tasks(document.id);
    const edits = request.tasks ?? (previous.length ? previous.filter((t) => t.status === "active") : extracted);
    const tasks = edits.map((t) => routeTask(t, request.tasks !== undefined && !matchesExtracted(t, extracted)));
    const result = await store.outbox.approve({
      documentId: document.id,
      from: request.from ?? document.state,
      by: request.by,
      tasks,
      endpoints: config.endpoints.map((e) => ({ id: e.id, mode: e.mode, events: e.events })),
      payloadFor: (change, approvedAt) =>
        buildPayload(change, approvedAt, {
          document,
          extraction: latest.extraction,
          extractionId: latest.id,
          by: request.by,
          publicUrl: config.publicUrl,
          ...(request.documentFields ? { documentFields: request.documentFields } : {}),
        }),
      ...(request.auto ? { onlyAfterExtraction: true } : {}),
    });
    if (!result && request.auto) {
      deps.logger.debug({ documentId: document.id }, "auto-approval: done already");
      return { document, deliveries: [], changes: [] };
    }
    if (!result) throw new ApprovalError("conflict", `document ${document.id} is no longer ${request.from ?? document.state}`);
    for (const delivery of result.deliveries) await queues.enqueueDeliver({ deliveryId: delivery.id, attempt: 1 });
    deps.logger.info({ documentId: document.id, by: request.by, tasks: tasks.length, deliveries: result.deliveries.length }, "approved");
    return result;
  };
}

function fromExtraction(t: Task): TaskEdit {
  return { ref: t.ref, text: t.text, assignees: t.assignees, collaborators: t.collaborators, deadline: t.deadline };
}

function matchesExtracted(t: TaskEdit, extracted: TaskEdit[]): boolean {
  return extracted.some((e) => e.text === t.text && e.ref === t.ref && e.deadline === t.deadline && JSON.stringify(e.assignees) === JSON.stringify(t.assignees) && JSON.stringify(e.collaborators) === JSON.stringify(t.collaborators));
}

function webhookTask(t: StoredTask): WebhookTask {
  return {
    id: t.id,
    version: t.version,
    ref: t.ref,
    text: t.text,
    assignees: t.routed.assignees.map((p) => ({ name: p.name, trackerId: p.trackerId })),
    collaborators: t.routed.collaborators.map((p) => ({ name: p.name, trackerId: p.trackerId })),
    deadline: t.deadline,
    status: t.status,
  };
}

function headerDiffers(a: DocumentFields, b: DocumentFields): boolean {
  return (["type", "issuer", "number", "symbol", "date", "subject"] as const).some((k) => a[k] !== b[k]);
}

interface PayloadContext {
  document: DocumentRecord;
  extraction: Extraction;
  extractionId: string;
  by: string;
  publicUrl: string;
  /** Corrected header fields (the review page); the extraction itself is never changed. */
  documentFields?: DocumentFields;
}

export function buildPayload(change: TaskChange | { eventType: "document.approved"; tasks: StoredTask[] }, approvedAt: string, ctx: PayloadContext): WebhookPayload {
  const d = ctx.documentFields ?? ctx.extraction.document;
  const base = ctx.publicUrl.replace(/\/+$/, "");
  const document = { id: ctx.document.id, type: d.type, issuer: d.issuer, number: d.number, symbol: d.symbol, date: d.date, subject: d.subject };
  const links = {
    document: `${base}/api/v1/documents/${ctx.document.id}`,
    original: `${base}/api/v1/documents/${ctx.document.id}/original`,
    review: `${base}/review/documents/${ctx.document.id}`,
  };
  const tasks = "task" in change ? [change.task] : change.tasks;
  const provenance = {
    extractionId: ctx.extractionId,
    extractorVersion: ctx.extraction.provenance.extractorVersion,
    approvedBy: ctx.by,
    approvedAt,
    corrected: tasks.some((t) => t.corrected) || (ctx.documentFields !== undefined && headerDiffers(ctx.documentFields, ctx.extraction.document)),
  };
  if ("task" in change) return { type: change.eventType, timestamp: approvedAt, data: { task: webhookTask(change.task), document, links, provenance } };
  return { type: "document.approved", timestamp: approvedAt, data: { document, tasks: change.tasks.map(webhookTask), links, provenance } };
}
