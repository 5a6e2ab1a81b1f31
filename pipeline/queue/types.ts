/**
 * Job queues, one per stage. Handlers are plain async functions of the job's
 * data; the BullMQ wiring and the in-process embedded runner call the same
 * handlers. A job's id is derived from what it works on, so enqueueing the
 * same work twice is a no-op while the first job exists.
 */
export type StageName = "extract" | "deliver";

export interface JobData {
  documentId: string;
  contentHash: string;
}

/** Thrown by a handler for input that will never succeed: no retry. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export interface DeliverJobData {
  deliveryId: string;
  /** Attempt number this job makes (1-based): part of the job id, so a retry is a new job. */
  attempt: number;
}

export interface StageHandlers {
  extract: (data: JobData) => Promise<void>;
  deliver?: (data: DeliverJobData) => Promise<void>;
  /** Called once when a job ran out of retries on transient errors. */
  extractExhausted?: (data: JobData, error: Error) => Promise<void>;
}

export interface JobQueues {
  readonly kind: "bullmq" | "in-process";
  /** Adds the extraction job; `force` replaces a finished job with the same id (re-run, requeue). */
  enqueueExtract(data: JobData, options?: { force?: boolean }): Promise<void>;
  /** Adds a delivery attempt, after `delayMs`; the same (delivery, attempt) twice is a no-op. */
  enqueueDeliver(data: DeliverJobData, delayMs?: number): Promise<void>;
  /** Starts processing with these handlers (workers); producers need not call it. */
  startWorkers(handlers: StageHandlers, concurrency: number): Promise<void>;
  /** Resolves when every job enqueued so far has finished (in-process; BullMQ: when the queue is drained). */
  idle(): Promise<void>;
  close(): Promise<void>;
  dashboardQueues(): unknown[];
  ready(): Promise<boolean>;
  counts(): Promise<Record<string, Record<string, number>>>;
}

export const extractJobId = (contentHash: string) => `extract-${contentHash}`;
export const deliverJobId = (data: DeliverJobData) => `deliver-${data.deliveryId}-${data.attempt}`;

/** Retry schedule for transient failures: 1 s, 4 s, 16 s, 64 s. */
export const EXTRACT_ATTEMPTS = 5;
export const backoffMs = (attempt: number) => 1000 * 4 ** (attempt - 1);
