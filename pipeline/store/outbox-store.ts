import { randomUUID } from "node:crypto";
import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable } from "kysely";
import type { WebhookEventType, WebhookPayload } from "../../schemas/webhook.ts";
import { encodeJson, toDocumentRecord, toStoredTime } from "./rows.ts";
import type { Database, DeliveriesTable, TasksTable } from "./schema.ts";
import type {
  ApprovalInput,
  ApprovedTaskInput,
  DeliveryAttempt,
  DeliveryRecord,
  DeliveryStatus,
  OutboxStore,
  StoredTask,
  TaskChange,
} from "./outbox-types.ts";

/**
 * Tasks and the webhook outbox over the same Kysely database as the documents.
 * webhook-id is stable per (task, version): a retry or a replay re-sends the
 * same id, so the tracker can drop what it already has.
 */
export class KyselyOutboxStore implements OutboxStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => string,
  ) {}

  async tasks(documentId: string): Promise<StoredTask[]> {
    const rows = await this.db.selectFrom("tasks").selectAll().where("document_id", "=", documentId).orderBy("position").execute();
    return rows.map(toTask);
  }

  async approve(input: ApprovalInput) {
    try {
      return await this.approveInTransaction(input);
    } catch (error) {
      if (error instanceof ApprovedAlready) return null;
      throw error;
    }
  }

  async pendingAutoApprovals(updatedBefore: string, limit: number) {
    const rows = await this.db
      .selectFrom("documents")
      .selectAll()
      .where("state", "=", "approved")
      .where("updated_at", "<", toStoredTime(updatedBefore, "updatedBefore"))
      .where((eb) => eb(lastTransition(eb.ref("documents.id")), "=", "EXTRACTED"))
      .orderBy("updated_at")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(toDocumentRecord);
  }

  async unsettledDocuments(updatedBefore: string, limit: number) {
    const deliveriesOf = (eb: ExpressionBuilder<Database, "documents">) => eb.selectFrom("deliveries").select("deliveries.id").whereRef("deliveries.document_id", "=", "documents.id");
    const rows = await this.db
      .selectFrom("documents")
      .selectAll()
      .where("state", "in", ["approved", "delivering"])
      .where("updated_at", "<", toStoredTime(updatedBefore, "updatedBefore"))
      .where((eb) => eb.and([eb.exists(deliveriesOf(eb)), eb.not(eb.exists(deliveriesOf(eb).where("deliveries.status", "=", "pending")))]))
      .orderBy("updated_at")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(toDocumentRecord);
  }

  private approveInTransaction(input: ApprovalInput) {
    return this.db.transaction().execute(async (trx) => {
      const now = this.now();
      const moved = await trx
        .updateTable("documents")
        .set({ state: "approved", updated_at: now })
        .where("id", "=", input.documentId)
        .where("state", "=", input.from)
        .returningAll()
        .executeTakeFirst();
      if (!moved) return null;
      // The row is locked by the update above: a concurrent resumption of the same auto-approval waits here, then sees ours.
      if (input.onlyAfterExtraction) {
        const last = await trx.selectNoFrom((eb) => lastTransition(eb.val(input.documentId)).as("type")).executeTakeFirst();
        if (last?.type !== "EXTRACTED") throw new ApprovedAlready();
      }
      await trx
        .insertInto("document_events")
        .values({ document_id: input.documentId, at: now, type: "APPROVE", from_state: input.from, to_state: "approved", data: encodeJson({ by: input.by, tasks: input.tasks.length }) })
        .execute();

      const existing = new Map((await trx.selectFrom("tasks").selectAll().where("document_id", "=", input.documentId).execute()).map((r) => [r.id, toTask(r)]));
      const wasDelivered = (await trx.selectFrom("deliveries").select("id").where("document_id", "=", input.documentId).limit(1).execute()).length > 0;
      const changes: TaskChange[] = [];
      const kept = new Set<string>();
      for (const [position, task] of input.tasks.entries()) {
        const before = task.id ? existing.get(task.id) : undefined;
        if (!before) {
          const stored: StoredTask = { ...task, id: randomUUID(), documentId: input.documentId, position, version: 1, status: "active", createdAt: now, updatedAt: now };
          await trx.insertInto("tasks").values(toRow(stored)).execute();
          changes.push({ task: stored, eventType: "task.created" });
          kept.add(stored.id);
          continue;
        }
        kept.add(before.id);
        if (sameTask(before, task) && before.position === position && before.status === "active") continue;
        const content = !sameTask(before, task) || before.status !== "active";
        const stored: StoredTask = { ...before, ...task, id: before.id, position, version: content ? before.version + 1 : before.version, status: "active", updatedAt: now };
        await trx.updateTable("tasks").set(toRow(stored)).where("id", "=", before.id).execute();
        if (content) changes.push({ task: stored, eventType: before.status === "cancelled" ? "task.created" : "task.updated" });
      }
      for (const before of existing.values()) {
        if (kept.has(before.id) || before.status === "cancelled") continue;
        const stored: StoredTask = { ...before, version: before.version + 1, status: "cancelled", updatedAt: now };
        await trx.updateTable("tasks").set({ version: stored.version, status: "cancelled", updated_at: now }).where("id", "=", before.id).execute();
        changes.push({ task: stored, eventType: "task.cancelled" });
      }
      // A first approval announces every task as created, whatever the reviewer changed before it.
      if (!wasDelivered) for (const c of changes) if (c.eventType === "task.updated") c.eventType = "task.created";

      const deliveries: DeliveryRecord[] = [];
      const allTasks = (await trx.selectFrom("tasks").selectAll().where("document_id", "=", input.documentId).orderBy("position").execute()).map(toTask);
      for (const endpoint of input.endpoints) {
        const events: { eventType: WebhookEventType; webhookId: string; taskId: string | null; taskVersion: number | null; payload: WebhookPayload }[] = [];
        if (endpoint.mode === "document") {
          if (endpoint.events.includes("document.approved") && changes.length) {
            const approvals = await trx.selectFrom("document_events").select("id").where("document_id", "=", input.documentId).where("type", "=", "APPROVE").execute();
            events.push({
              eventType: "document.approved",
              webhookId: `msg_${input.documentId}_a${approvals.length}`,
              taskId: null,
              taskVersion: null,
              payload: input.payloadFor({ eventType: "document.approved", tasks: allTasks.filter((t) => t.status === "active") }, now),
            });
          }
        } else {
          for (const change of changes) {
            if (!endpoint.events.includes(change.eventType)) continue;
            events.push({
              eventType: change.eventType,
              webhookId: `msg_${change.task.id}_v${change.task.version}`,
              taskId: change.task.id,
              taskVersion: change.task.version,
              payload: input.payloadFor(change, now),
            });
          }
        }
        for (const e of events) {
          const row: Selectable<DeliveriesTable> = {
            id: randomUUID(),
            endpoint_id: endpoint.id,
            document_id: input.documentId,
            task_id: e.taskId,
            task_version: e.taskVersion,
            event_type: e.eventType,
            webhook_id: e.webhookId,
            payload: encodeJson(e.payload as unknown as Record<string, unknown>),
            status: "pending",
            attempts: 0,
            next_attempt_at: now,
            last_status: null,
            last_error: null,
            created_at: now,
            updated_at: now,
            delivered_at: null,
          };
          await trx.insertInto("deliveries").values(row).execute();
          deliveries.push(toDelivery(row));
        }
      }
      if (deliveries.length) return { document: toDocumentRecord(moved), deliveries, changes };
      // Nothing to hand over (no tasks, no change since the last delivery, no endpoint wanting these
      // events): the document is settled here, in the same transaction, or nothing would ever move
      // it on from "approved" — settling waits for deliveries, and there are none.
      const settled = await trx.updateTable("documents").set({ state: "delivered", updated_at: now }).where("id", "=", input.documentId).returningAll().executeTakeFirstOrThrow();
      await trx
        .insertInto("document_events")
        .values({ document_id: input.documentId, at: now, type: "DELIVERED", from_state: "approved", to_state: "delivered", data: encodeJson({ deliveries: 0 }) })
        .execute();
      return { document: toDocumentRecord(settled), deliveries, changes };
    });
  }

  async getDelivery(id: string): Promise<DeliveryRecord | null> {
    const row = await this.db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toDelivery(row) : null;
  }

  async listDeliveries(filter: { status?: DeliveryStatus; documentId?: string; updatedSince?: string; limit?: number }) {
    let q = this.db.selectFrom("deliveries").selectAll();
    if (filter.status) q = q.where("status", "=", filter.status);
    if (filter.documentId) q = q.where("document_id", "=", filter.documentId);
    if (filter.updatedSince) q = q.where("updated_at", ">=", filter.updatedSince);
    const rows = await q.orderBy("created_at").orderBy("id").limit(filter.limit ?? 500).execute();
    return rows.map(toDelivery);
  }

  async attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    const rows = await this.db.selectFrom("delivery_attempts").selectAll().where("delivery_id", "=", deliveryId).orderBy("id").execute();
    return rows.map((r) => ({ at: r.at, outcome: r.outcome as DeliveryAttempt["outcome"], status: r.status, latencyMs: r.latency_ms, error: r.error, responseExcerpt: r.response_excerpt }));
  }

  async recordAttempt(deliveryId: string, attempt: DeliveryAttempt, update: { status: DeliveryStatus; nextAttemptAt: string | null; lastError: string | null }) {
    return this.db.transaction().execute(async (trx) => {
      const now = this.now();
      await trx
        .insertInto("delivery_attempts")
        .values({ delivery_id: deliveryId, at: attempt.at, outcome: attempt.outcome, status: attempt.status, latency_ms: Math.round(attempt.latencyMs), error: attempt.error, response_excerpt: attempt.responseExcerpt })
        .execute();
      const current = await trx.selectFrom("deliveries").select("attempts").where("id", "=", deliveryId).executeTakeFirstOrThrow();
      const row = await trx
        .updateTable("deliveries")
        .set({
          status: update.status,
          attempts: current.attempts + 1,
          next_attempt_at: update.nextAttemptAt,
          last_status: attempt.status,
          last_error: update.lastError,
          updated_at: now,
          ...(update.status === "delivered" ? { delivered_at: now } : {}),
        })
        .where("id", "=", deliveryId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDelivery(row);
    });
  }

  async resetForReplay(deliveryId: string) {
    const now = this.now();
    const row = await this.db
      .updateTable("deliveries")
      .set({ status: "pending", next_attempt_at: now, updated_at: now })
      .where("id", "=", deliveryId)
      .where("status", "in", ["failed", "delivered"])
      .returningAll()
      .executeTakeFirst();
    return row ? toDelivery(row) : null;
  }

  async dueDeliveries(before: string, limit: number) {
    const rows = await this.db
      .selectFrom("deliveries")
      .selectAll()
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", before)
      .orderBy("next_attempt_at")
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }

  async deliveryCounts(documentId: string) {
    const rows = await this.db.selectFrom("deliveries").select(["status"]).select((eb) => eb.fn.countAll<number>().as("n")).where("document_id", "=", documentId).groupBy("status").execute();
    const counts: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, failed: 0, cancelled: 0 };
    for (const r of rows) counts[r.status as DeliveryStatus] = Number(r.n);
    return counts;
  }

  async endpointDisabled(endpointId: string) {
    const row = await this.db.selectFrom("endpoint_state").selectAll().where("endpoint_id", "=", endpointId).executeTakeFirst();
    return row?.disabled_at ? { disabledAt: row.disabled_at, reason: row.reason } : null;
  }

  async disableEndpoint(endpointId: string, reason: string) {
    const now = this.now();
    await this.db
      .insertInto("endpoint_state")
      .values({ endpoint_id: endpointId, disabled_at: now, reason })
      .onConflict((oc) => oc.column("endpoint_id").doUpdateSet({ disabled_at: now, reason }))
      .execute();
  }

  async enableEndpoint(endpointId: string) {
    await this.db.updateTable("endpoint_state").set({ disabled_at: null, reason: null }).where("endpoint_id", "=", endpointId).execute();
  }
}

/** Thrown inside the approval transaction to roll it back: the extraction was approved already. */
class ApprovedAlready extends Error {}

/** The type of a document's latest state-changing event (notes have no to_state). */
function lastTransition(documentId: Expression<string>) {
  return sql<string | null>`(select e.type from document_events e where e.document_id = ${documentId} and e.to_state is not null order by e.id desc limit 1)`;
}

function sameTask(a: ApprovedTaskInput, b: ApprovedTaskInput): boolean {
  return (
    a.ref === b.ref &&
    a.text === b.text &&
    a.deadline === b.deadline &&
    JSON.stringify(a.assignees) === JSON.stringify(b.assignees) &&
    JSON.stringify(a.collaborators) === JSON.stringify(b.collaborators) &&
    JSON.stringify(a.routed) === JSON.stringify(b.routed)
  );
}

function toRow(t: StoredTask): Selectable<TasksTable> {
  return {
    id: t.id,
    document_id: t.documentId,
    position: t.position,
    version: t.version,
    ref: t.ref,
    text: t.text,
    assignees: JSON.stringify(t.assignees),
    collaborators: JSON.stringify(t.collaborators),
    deadline: t.deadline,
    routed: JSON.stringify(t.routed),
    status: t.status,
    corrected: t.corrected ? 1 : 0,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

function toTask(r: Selectable<TasksTable>): StoredTask {
  return {
    id: r.id,
    documentId: r.document_id,
    position: r.position,
    version: r.version,
    ref: r.ref,
    text: r.text,
    assignees: JSON.parse(r.assignees) as string[],
    collaborators: JSON.parse(r.collaborators) as string[],
    deadline: r.deadline,
    routed: JSON.parse(r.routed) as StoredTask["routed"],
    status: r.status as StoredTask["status"],
    corrected: r.corrected === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toDelivery(r: Selectable<DeliveriesTable>): DeliveryRecord {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    documentId: r.document_id,
    taskId: r.task_id,
    taskVersion: r.task_version,
    eventType: r.event_type as WebhookEventType,
    webhookId: r.webhook_id,
    payload: JSON.parse(r.payload) as WebhookPayload,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deliveredAt: r.delivered_at,
  };
}
