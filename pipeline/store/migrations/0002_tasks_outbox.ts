import type { Kysely } from "kysely";
import type { Migration } from "kysely";
import { autoIncrementId, dialectOf } from "../dialect.ts";

/**
 * Approved tasks (versioned: a reviewer's change after delivery is a new
 * version) and the transactional outbox of webhook deliveries with their
 * attempts. A delivery row is written in the same transaction as the approval
 * that causes it, so an approved task can never miss its delivery.
 */
export const tasksOutbox: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const attemptId = autoIncrementId(dialectOf(db));
    await db.schema
      .createTable("tasks")
      .addColumn("id", "text", (col) => col.primaryKey())
      .addColumn("document_id", "text", (col) => col.notNull().references("documents.id"))
      .addColumn("position", "integer", (col) => col.notNull())
      .addColumn("version", "integer", (col) => col.notNull())
      .addColumn("ref", "text", (col) => col.notNull())
      .addColumn("text", "text", (col) => col.notNull())
      .addColumn("assignees", "text", (col) => col.notNull())
      .addColumn("collaborators", "text", (col) => col.notNull())
      .addColumn("deadline", "text")
      .addColumn("routed", "text", (col) => col.notNull().defaultTo("{}"))
      .addColumn("status", "text", (col) => col.notNull())
      .addColumn("corrected", "integer", (col) => col.notNull().defaultTo(0))
      .addColumn("created_at", "text", (col) => col.notNull())
      .addColumn("updated_at", "text", (col) => col.notNull())
      .execute();
    await db.schema.createIndex("tasks_document_id_idx").on("tasks").columns(["document_id", "position"]).execute();

    await db.schema
      .createTable("deliveries")
      .addColumn("id", "text", (col) => col.primaryKey())
      .addColumn("endpoint_id", "text", (col) => col.notNull())
      .addColumn("document_id", "text", (col) => col.notNull().references("documents.id"))
      .addColumn("task_id", "text", (col) => col.references("tasks.id"))
      .addColumn("task_version", "integer")
      .addColumn("event_type", "text", (col) => col.notNull())
      .addColumn("webhook_id", "text", (col) => col.notNull())
      .addColumn("payload", "text", (col) => col.notNull())
      .addColumn("status", "text", (col) => col.notNull())
      .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
      .addColumn("next_attempt_at", "text")
      .addColumn("last_status", "integer")
      .addColumn("last_error", "text")
      .addColumn("created_at", "text", (col) => col.notNull())
      .addColumn("updated_at", "text", (col) => col.notNull())
      .addColumn("delivered_at", "text")
      .addUniqueConstraint("deliveries_endpoint_webhook_unique", ["endpoint_id", "webhook_id"])
      .execute();
    await db.schema.createIndex("deliveries_status_next_idx").on("deliveries").columns(["status", "next_attempt_at"]).execute();
    await db.schema.createIndex("deliveries_document_id_idx").on("deliveries").column("document_id").execute();

    await db.schema
      .createTable("delivery_attempts")
      .addColumn("id", attemptId.type, attemptId.build)
      .addColumn("delivery_id", "text", (col) => col.notNull().references("deliveries.id"))
      .addColumn("at", "text", (col) => col.notNull())
      .addColumn("outcome", "text", (col) => col.notNull())
      .addColumn("status", "integer")
      .addColumn("latency_ms", "integer", (col) => col.notNull())
      .addColumn("error", "text")
      .addColumn("response_excerpt", "text")
      .execute();
    await db.schema.createIndex("delivery_attempts_delivery_id_idx").on("delivery_attempts").columns(["delivery_id", "id"]).execute();

    await db.schema
      .createTable("endpoint_state")
      .addColumn("endpoint_id", "text", (col) => col.primaryKey())
      .addColumn("disabled_at", "text")
      .addColumn("reason", "text")
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    for (const table of ["endpoint_state", "delivery_attempts", "deliveries", "tasks"]) await db.schema.dropTable(table).execute();
  },
};
