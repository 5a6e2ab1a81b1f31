import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { DocumentStateSchema, type DocumentRecord } from "../../schemas/document.ts";
import { ReviewSubmissionSchema, type ReviewedDocument, type ReviewTask } from "../../schemas/review.ts";
import { ApprovalError } from "../approval.ts";
import { canTake, nextState } from "../lifecycle.ts";
import { HttpError } from "../server/errors.ts";
import { contentDisposition } from "../server/filename.ts";
import type { Services } from "../services.ts";
import { contextOf, sessionOf } from "./context.ts";
import { canApprove, renderDocumentPage } from "./document-page.ts";
import { routeNames, type ReviewDirectory } from "./directory.ts";
import { currentReview, diffReview, initialReview, toTaskEdits } from "./draft.ts";
import { loadOriginal, viewerMediaType } from "./original-view.ts";

/**
 * One document: the view, its original, and what a reviewer does with it:
 * save corrections, approve (corrections saved first, then services.approve
 * with the corrected tasks and header fields), reject with a reason, and for
 * admins re-run extraction or send a delivery again. Every decision is a
 * compare-and-set from the state the reviewer saw.
 */
const IdParams = z.object({ id: z.string().min(1).max(100) });
const StateForm = z.object({ from: DocumentStateSchema });
const RejectForm = StateForm.extend({ reason: z.string().trim().min(1).max(2000) });
/** Editor posts carry whole documents: up to 500 tasks of long text. */
const SAVE_BODY_LIMIT = 8 * 1024 * 1024;

export function documentRoutes(app: FastifyInstance, deps: { services: Services; directory: ReviewDirectory }): void {
  const { services, directory } = deps;
  const { store } = services;

  async function findDocument(params: unknown): Promise<DocumentRecord> {
    const parsed = IdParams.safeParse(params);
    const document = parsed.success ? await store.getDocument(parsed.data.id) : null;
    if (!document) throw new HttpError(404, "not_found", "no such document");
    return document;
  }

  const backTo = (reply: FastifyReply, document: DocumentRecord) => reply.redirect(`/review/documents/${encodeURIComponent(document.id)}`, 303);

  app.get("/documents/:id", async (request, reply) => {
    const document = await findDocument(request.params);
    const [latest, stored, approvedTasks, events, corrections, deliveries, original] = await Promise.all([
      store.latestExtraction(document.id),
      store.review.get(document.id),
      store.outbox.tasks(document.id),
      store.events(document.id),
      store.review.corrections(document.id),
      store.outbox.listDeliveries({ documentId: document.id }),
      loadOriginal(document, services.readOriginal),
    ]);
    const review = latest ? currentReview(stored, latest, approvedTasks) : null;
    const usesStored = Boolean(stored && latest && stored.data.extractionId === latest.id);
    const parties = review ? review.tasks.flatMap((t) => [...t.assignees, ...t.collaborators]) : [];
    const html = renderDocumentPage(contextOf(request), request.url, {
      document,
      latest,
      review,
      basedOn: stored?.savedAt ?? null,
      stale: Boolean(stored && latest && !usesStored),
      original,
      events,
      corrections,
      deliveries,
      routes: routeNames(directory, parties),
      hasDirectory: directory.router !== null,
      suggestions: directory.suggestions,
    });
    return reply.type("text/html; charset=utf-8").send(html.value);
  });

  // The viewer's copy: typed from the bytes (a stored "text/html" never renders as a page here), sandboxed like the API's.
  app.get("/documents/:id/original", { config: { sandboxed: true } }, async (request, reply) => {
    const document = await findDocument(request.params);
    let bytes: Uint8Array;
    try {
      bytes = await services.readOriginal(document);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      throw new HttpError(404, "original_not_found", "the original is no longer stored");
    }
    return reply
      .type(viewerMediaType(bytes))
      .header("content-disposition", contentDisposition(document.fileName).replace(/^attachment/, "inline"))
      .header("cache-control", "private, no-store")
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.get("/route", async (request) => {
    const names = ([] as unknown[]).concat((request.query as { name?: unknown }).name ?? []).filter((n): n is string => typeof n === "string").slice(0, 200);
    return { routes: routeNames(directory, names), hasDirectory: directory.router !== null };
  });

  app.post("/documents/:id", { bodyLimit: SAVE_BODY_LIMIT }, async (request) => {
    const user = sessionOf(request).user;
    const document = await findDocument(request.params);
    const parsed = ReviewSubmissionSchema.safeParse(request.body);
    if (!parsed.success) {
      throw new HttpError(400, "invalid_body", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), { issues: parsed.error.issues });
    }
    const submission = parsed.data;
    if (document.state !== submission.from) throw new HttpError(409, "conflict", `the document is ${document.state} now, not ${submission.from}`);
    if (!canApprove(document.state)) throw new HttpError(409, "not_editable", `a document in state ${document.state} cannot be corrected`);
    const latest = await store.latestExtraction(document.id);
    if (!latest || latest.id !== submission.extractionId) throw new HttpError(409, "conflict", "the document was extracted again since the page was loaded");
    const approvedTasks = await store.outbox.tasks(document.id);
    const data: ReviewedDocument = {
      extractionId: latest.id,
      document: submission.document,
      references: submission.references,
      tasks: ownTaskIds(submission.tasks, new Set(approvedTasks.map((t) => t.id))),
    };
    const baseline = initialReview(latest, approvedTasks);
    const saved = await store.review.save({
      documentId: document.id,
      by: user,
      data,
      basedOn: submission.basedOn,
      // A version saved against an older extraction is not what the reviewer edited: compare with the new one's.
      diff: (previous) => diffReview(previous && previous.extractionId === latest.id ? previous : baseline, data),
    });
    if (!saved) throw new HttpError(409, "conflict", "someone else saved this document since the page was loaded");
    if (submission.action === "save") {
      return { ok: true, action: "save", state: document.state, savedAt: saved.record.savedAt, corrections: saved.corrections.length };
    }
    let approved;
    try {
      approved = await services.approve({ documentId: document.id, by: user, tasks: toTaskEdits(data), from: submission.from, documentFields: data.document });
    } catch (error) {
      if (error instanceof ApprovalError) throw new HttpError(error.code === "not_found" ? 404 : 409, error.code === "not_found" ? "not_found" : "conflict", error.message);
      throw error;
    }
    // The approved tasks now have ids (positions follow the submitted order): a later correction updates them.
    const active = (await store.outbox.tasks(document.id)).filter((t) => t.status === "active").sort((a, b) => a.position - b.position);
    await store.review.markApproved(document.id, user, { ...data, tasks: data.tasks.map((t, i) => (active[i] ? { ...t, id: active[i].id } : t)) });
    return { ok: true, action: "approve", state: approved.document.state, corrections: saved.corrections.length, deliveries: approved.deliveries.length, next: "/review?tab=to_review" };
  });

  app.post("/documents/:id/reject", async (request, reply) => {
    const user = sessionOf(request).user;
    const document = await findDocument(request.params);
    const form = RejectForm.safeParse(request.body);
    if (!form.success) throw new HttpError(400, "invalid_body", "a reason is required to reject a document");
    const event = { type: "REJECT" as const, by: user, reason: form.data.reason };
    if (!canTake(form.data.from, event)) throw new HttpError(409, "conflict", `a document in state ${form.data.from} cannot be rejected`);
    const moved = await store.transition(document.id, form.data.from, nextState(form.data.from, event), { type: "REJECT", data: { by: user, reason: event.reason } });
    if (!moved) throw new HttpError(409, "conflict", `the document is no longer ${form.data.from}`);
    request.log.info({ documentId: document.id, by: user }, "rejected");
    return backTo(reply, document);
  });

  app.post("/documents/:id/rerun", async (request, reply) => {
    const session = sessionOf(request);
    if (session.role !== "admin") throw new HttpError(403, "forbidden", "only an admin re-runs extraction");
    const document = await findDocument(request.params);
    const form = StateForm.safeParse(request.body);
    if (!form.success) throw new HttpError(400, "invalid_body", "the state the page showed is missing");
    if (!services.rerunExtraction) throw new HttpError(501, "not_available", "this server cannot re-run extraction");
    const moved = await services.rerunExtraction({ documentId: document.id, by: session.user, from: form.data.from });
    if (!moved) throw new HttpError(409, "conflict", `a document in state ${document.state} cannot be re-run from ${form.data.from}`);
    return backTo(reply, document);
  });

  app.post("/deliveries/:id/replay", async (request, reply) => {
    const session = sessionOf(request);
    if (session.role !== "admin") throw new HttpError(403, "forbidden", "only an admin sends deliveries again");
    const parsed = IdParams.safeParse(request.params);
    const delivery = parsed.success ? await store.outbox.getDelivery(parsed.data.id) : null;
    if (!delivery) throw new HttpError(404, "not_found", "no such delivery");
    if (!(await services.replayDelivery(delivery.id))) throw new HttpError(409, "not_replayable", `delivery ${delivery.id} is ${delivery.status}`);
    request.log.info({ deliveryId: delivery.id, by: session.user }, "delivery replayed from the review page");
    return reply.redirect(`/review/documents/${encodeURIComponent(delivery.documentId)}`, 303);
  });
}

/** Task ids the browser sent are kept only when they are this document's approved tasks, each once. */
function ownTaskIds(tasks: ReviewTask[], own: Set<string>): ReviewTask[] {
  const seen = new Set<string>();
  return tasks.map((task) => {
    if (!task.id) return task;
    const keep = own.has(task.id) && !seen.has(task.id);
    seen.add(task.id);
    if (keep) return task;
    const { id: _dropped, ...rest } = task;
    return rest;
  });
}
