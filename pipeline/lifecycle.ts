import { createMachine, getNextSnapshot } from "xstate";
import type { DocumentState, LifecycleEvent } from "../schemas/document.ts";

/**
 * The lifecycle of a document: the only place that knows which state may
 * follow which. It is a pure xstate machine used as a transition function:
 * side effects (extraction, delivery) live in queue jobs, because a persisted
 * snapshot restored while an invoked promise ran would run that promise again.
 * The store persists the state with compare-and-set and logs every transition.
 *
 *   received → extracting → to_review → approved → delivering → delivered
 *                  ↓            ↓  ↑         ↓            ↓
 *               failed      rejected (rerun)        delivery_failed
 */
export const documentLifecycle = createMachine({
  id: "document",
  types: {} as { events: LifecycleEvent },
  initial: "received",
  states: {
    received: {
      on: { EXTRACTION_STARTED: "extracting", EXTRACTION_FAILED: "failed" },
    },
    extracting: {
      on: {
        EXTRACTED: [{ guard: ({ event }) => event.autoApprove, target: "approved" }, { target: "to_review" }],
        EXTRACTION_FAILED: "failed",
        // A worker that died mid-extraction leaves the document here; the retried job starts it again.
        EXTRACTION_STARTED: "extracting",
      },
    },
    to_review: {
      on: { APPROVE: "approved", REJECT: "rejected", RERUN: "received" },
    },
    approved: {
      // DELIVERED/DELIVERY_FAILED straight from approved: every delivery settled before one started
      // (no endpoint wanted the events, or the endpoint was disabled or misconfigured).
      on: { DELIVERY_STARTED: "delivering", DELIVERED: "delivered", DELIVERY_FAILED: "delivery_failed", APPROVE: "approved", RERUN: "received" },
    },
    delivering: {
      on: { DELIVERED: "delivered", DELIVERY_FAILED: "delivery_failed", DELIVERY_STARTED: "delivering" },
    },
    delivered: {
      // A reviewer may still correct a delivered document: updates are delivered again.
      on: { APPROVE: "approved" },
    },
    failed: {
      on: { REQUEUE: "received" },
    },
    rejected: {
      on: { RERUN: "received" },
    },
    delivery_failed: {
      // A replay of the failed deliveries, or a reviewer's corrected re-approval.
      on: { REQUEUE: "approved", APPROVE: "approved" },
    },
  },
});

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: DocumentState,
    readonly event: LifecycleEvent["type"],
  ) {
    super(`a document in state "${from}" cannot take the event ${event}`);
    this.name = "InvalidTransitionError";
  }
}

/** The state that follows `from` on `event`, or an InvalidTransitionError. */
export function nextState(from: DocumentState, event: LifecycleEvent): DocumentState {
  const snapshot = documentLifecycle.resolveState({ value: from, context: {} });
  if (!snapshot.can(event)) throw new InvalidTransitionError(from, event.type);
  return getNextSnapshot(documentLifecycle, snapshot, event).value as DocumentState;
}

/** Whether `event` is allowed in `from`. */
export function canTake(from: DocumentState, event: LifecycleEvent): boolean {
  return documentLifecycle.resolveState({ value: from, context: {} }).can(event);
}
