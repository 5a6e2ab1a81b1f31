import type { DocumentRecord, DocumentState } from "../../schemas/document.ts";
import type { WebhookEventType, WebhookPayload } from "../../schemas/webhook.ts";

/** A party routed to the tracker: as written, and the tracker id when one matched confidently. */
export interface RoutedParty {
  name: string;
  trackerId: string | null;
}

export interface ApprovedTaskInput {
  /** Present when the task was approved before (a reviewer's edit keeps the id). */
  id?: string;
  ref: string;
  text: string;
  assignees: string[];
  collaborators: string[];
  deadline: string | null;
  routed: { assignees: RoutedParty[]; collaborators: RoutedParty[] };
  corrected: boolean;
}

export interface StoredTask extends ApprovedTaskInput {
  id: string;
  documentId: string;
  position: number;
  version: number;
  status: "active" | "cancelled";
  createdAt: string;
  updatedAt: string;
}

export type DeliveryStatus = "pending" | "delivered" | "failed" | "cancelled";

export interface DeliveryRecord {
  id: string;
  endpointId: string;
  documentId: string;
  taskId: string | null;
  taskVersion: number | null;
  eventType: WebhookEventType;
  webhookId: string;
  payload: WebhookPayload;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface DeliveryAttempt {
  at: string;
  outcome: "delivered" | "retry" | "failed" | "disable";
  status: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export interface EndpointRoute {
  id: string;
  mode: "task" | "document";
  events: WebhookEventType[];
}

/** A task event the approval produced, for the payload builder. */
export interface TaskChange {
  task: StoredTask;
  eventType: "task.created" | "task.updated" | "task.cancelled";
}

export interface ApprovalInput {
  documentId: string;
  /** The state the reviewer saw: the approval is a compare-and-set from it. */
  from: DocumentState;
  by: string;
  tasks: ApprovedTaskInput[];
  endpoints: EndpointRoute[];
  /** Builds each event's payload inside the transaction, from the stored task versions. */
  payloadFor: (change: TaskChange | { eventType: "document.approved"; tasks: StoredTask[] }, approvedAt: string) => WebhookPayload;
  /**
   * The auto-approval of a fresh extraction: approve only while the
   * document's last state change is still its EXTRACTED (checked under the
   * row lock), so resuming an approval a crash interrupted (the job run
   * again, the reconciler) can never approve the same extraction twice.
   */
  onlyAfterExtraction?: boolean;
}

export interface OutboxStore {
  tasks(documentId: string): Promise<StoredTask[]>;
  /**
   * In one transaction: the document moves `from` → approved, tasks are
   * written (new, changed → version+1, removed → cancelled), and one outbox
   * row per event and endpoint is added. Null when the document was not in
   * `from` any more (or, with `onlyAfterExtraction`, was approved already).
   */
  approve(input: ApprovalInput): Promise<{ document: DocumentRecord; deliveries: DeliveryRecord[]; changes: TaskChange[] } | null>;
  /**
   * Documents auto-approved by their extraction whose approval (tasks,
   * outbox rows) was never written — a crash between the two — last changed
   * before `updatedBefore`, oldest first.
   */
  pendingAutoApprovals(updatedBefore: string, limit: number): Promise<DocumentRecord[]>;
  /**
   * Documents in approved or delivering that have deliveries, none of them
   * pending any more — a worker died between recording the last attempt and
   * settling the document — last changed before `updatedBefore`, oldest first.
   */
  unsettledDocuments(updatedBefore: string, limit: number): Promise<DocumentRecord[]>;
  getDelivery(id: string): Promise<DeliveryRecord | null>;
  listDeliveries(filter: { status?: DeliveryStatus; documentId?: string; updatedSince?: string; limit?: number }): Promise<DeliveryRecord[]>;
  attempts(deliveryId: string): Promise<DeliveryAttempt[]>;
  /** Logs an attempt and updates the delivery in one transaction. */
  recordAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    update: { status: DeliveryStatus; nextAttemptAt: string | null; lastError: string | null },
  ): Promise<DeliveryRecord>;
  /** Makes a failed (or delivered) delivery pending again for an immediate new attempt. */
  resetForReplay(deliveryId: string): Promise<DeliveryRecord | null>;
  /** Pending deliveries whose next attempt is due before `before`, oldest first. */
  dueDeliveries(before: string, limit: number): Promise<DeliveryRecord[]>;
  deliveryCounts(documentId: string): Promise<Record<DeliveryStatus, number>>;
  endpointDisabled(endpointId: string): Promise<{ disabledAt: string; reason: string | null } | null>;
  disableEndpoint(endpointId: string, reason: string): Promise<void>;
  enableEndpoint(endpointId: string): Promise<void>;
}
