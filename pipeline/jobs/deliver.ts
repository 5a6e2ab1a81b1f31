import type { Logger } from "pino";
import type { EndpointConfig } from "../../schemas/webhook.ts";
import { STANDARD_RETRY_SCHEDULE } from "../../schemas/webhook.ts";
import { nextAttemptDelayMs } from "../delivery/schedule.ts";
import { sendWebhook, type SendOutcome, type SendRequest } from "../delivery/sender.ts";
import { parseSecrets } from "../delivery/signing.ts";
import type { DeliverJobData, JobQueues } from "../queue/types.ts";
import type { Store } from "../store/types.ts";
import type { DeliveryAttempt } from "../store/outbox-types.ts";

export interface DeliverJobDeps {
  store: Store;
  queues: JobQueues;
  logger: Logger;
  endpoints: EndpointConfig[];
  env?: NodeJS.ProcessEnv;
  send?: (request: SendRequest) => Promise<SendOutcome>;
  now?: () => number;
}

/**
 * One attempt of one outbox delivery. Sent with the delivery's stable
 * webhook-id and a fresh timestamp and signature; the attempt is logged and
 * the next one scheduled in one transaction. A worker killed mid-send leaves
 * the delivery pending with its attempt unrecorded: the job runs again and the
 * tracker sees the same webhook-id twice, which it drops.
 */
export async function runDeliverJob(data: DeliverJobData, deps: DeliverJobDeps): Promise<void> {
  const { store, logger } = deps;
  const now = deps.now ?? Date.now;
  const delivery = await store.outbox.getDelivery(data.deliveryId);
  if (!delivery) return;
  // Ended by an earlier run of this job that died before settling the document: settle it now.
  if (delivery.status !== "pending") return settleDocument(store, delivery.documentId, logger);
  // This attempt was already made and recorded (the job ran again after a crash): the next is scheduled.
  if (delivery.attempts >= data.attempt) return;

  const fail = async (message: string, outcome: DeliveryAttempt["outcome"] = "failed") => {
    await store.outbox.recordAttempt(
      delivery.id,
      { at: new Date(now()).toISOString(), outcome, status: null, latencyMs: 0, error: message, responseExcerpt: null },
      { status: "failed", nextAttemptAt: null, lastError: message },
    );
    logger.warn({ deliveryId: delivery.id, endpoint: delivery.endpointId, error: message }, "delivery failed");
    await settleDocument(store, delivery.documentId, logger);
  };

  const endpoint = deps.endpoints.find((e) => e.id === delivery.endpointId);
  if (!endpoint) return fail(`endpoint ${delivery.endpointId} is no longer configured`);
  const disabled = await store.outbox.endpointDisabled(endpoint.id);
  if (disabled) return fail(`endpoint ${endpoint.id} is disabled (${disabled.reason ?? "410 Gone"}) since ${disabled.disabledAt}`);
  let secrets: Uint8Array[];
  try {
    secrets = parseSecrets((deps.env ?? process.env)[endpoint.secretEnv] ?? "");
  } catch (error) {
    return fail(`endpoint ${endpoint.id}: its secret (${endpoint.secretEnv}) is missing or malformed: ${(error as Error).message}`);
  }

  await store.transition(delivery.documentId, "approved", "delivering", { type: "DELIVERY_STARTED", data: {} });

  const outcome = await (deps.send ?? sendWebhook)({
    url: endpoint.url,
    timeoutMs: endpoint.timeoutMs,
    secrets,
    webhookId: delivery.webhookId,
    body: JSON.stringify(delivery.payload),
  });
  const attempt: DeliveryAttempt = {
    at: new Date(now()).toISOString(),
    outcome: outcome.result,
    status: outcome.status,
    latencyMs: outcome.latencyMs,
    error: outcome.error ?? null,
    responseExcerpt: outcome.responseExcerpt || null,
  };
  const log = { deliveryId: delivery.id, endpoint: endpoint.id, webhookId: delivery.webhookId, attempt: data.attempt, status: outcome.status, latencyMs: Math.round(outcome.latencyMs) };

  if (outcome.result === "delivered") {
    await store.outbox.recordAttempt(delivery.id, attempt, { status: "delivered", nextAttemptAt: null, lastError: null });
    logger.info(log, "delivered");
  } else if (outcome.result === "retry") {
    const delay = nextAttemptDelayMs(data.attempt, endpoint.retrySchedule ?? STANDARD_RETRY_SCHEDULE, outcome.retryAfterMs);
    const reason = outcome.error ?? `HTTP ${outcome.status}`;
    if (delay === null) {
      await store.outbox.recordAttempt(delivery.id, attempt, { status: "failed", nextAttemptAt: null, lastError: `gave up after ${data.attempt} attempts: ${reason}` });
      logger.warn(log, "delivery failed: retry schedule exhausted");
    } else {
      await store.outbox.recordAttempt(delivery.id, attempt, { status: "pending", nextAttemptAt: new Date(now() + delay).toISOString(), lastError: reason });
      await deps.queues.enqueueDeliver({ deliveryId: delivery.id, attempt: data.attempt + 1 }, delay);
      logger.info({ ...log, retryInMs: delay }, "delivery will be retried");
      return;
    }
  } else {
    if (outcome.result === "disable") await store.outbox.disableEndpoint(endpoint.id, `410 Gone at ${attempt.at}`);
    await store.outbox.recordAttempt(delivery.id, attempt, { status: "failed", nextAttemptAt: null, lastError: outcome.error ?? `HTTP ${outcome.status}` });
    logger.warn(log, outcome.result === "disable" ? "endpoint answered 410 Gone: disabled" : "delivery refused: not retried");
  }
  await settleDocument(store, delivery.documentId, logger);
}

/** When no delivery of the document is pending any more, it is delivered, or delivery_failed if any failed. */
export async function settleDocument(store: Store, documentId: string, logger: Logger): Promise<void> {
  const counts = await store.outbox.deliveryCounts(documentId);
  if (counts.pending > 0) return;
  const to = counts.failed > 0 ? "delivery_failed" : "delivered";
  for (const from of ["delivering", "approved"] as const) {
    const moved = await store.transition(documentId, from, to, { type: to === "delivered" ? "DELIVERED" : "DELIVERY_FAILED", data: counts });
    if (moved) {
      logger.info({ documentId, state: to }, "delivery settled");
      return;
    }
  }
}
