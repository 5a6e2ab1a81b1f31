import { z } from "zod";
import { DocumentTypeSchema, IsoDateSchema } from "./extraction.ts";

/**
 * What vanthu sends to a task tracker: one event per task (task.created,
 * task.updated, task.cancelled), or one document.approved event carrying all
 * tasks when an endpoint asks for it. Signed per the Standard Webhooks
 * specification (webhook-id, webhook-timestamp, webhook-signature headers).
 */
export const WEBHOOK_EVENT_TYPES = ["task.created", "task.updated", "task.cancelled", "document.approved"] as const;
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

export const PartySchema = z.object({
  name: z.string().describe("As written in the letter (or corrected by the reviewer)"),
  trackerId: z.string().nullable().describe("The routed tracker id; null when no unit matched confidently"),
});

export const WebhookTaskSchema = z.object({
  id: z.string().describe("Stable task id across versions"),
  version: z.number().int().min(1).describe("Incremented by every reviewer change after the first approval"),
  ref: z.string().describe('Numbering path in the letter: "II.1.-2"; "" for an unnumbered paragraph'),
  text: z.string(),
  assignees: z.array(PartySchema),
  collaborators: z.array(PartySchema),
  deadline: IsoDateSchema.nullable(),
  status: z.enum(["active", "cancelled"]),
});

export const WebhookDocumentSchema = z.object({
  id: z.string(),
  type: DocumentTypeSchema,
  issuer: z.string().nullable(),
  number: z.string().nullable(),
  symbol: z.string().nullable(),
  date: IsoDateSchema.nullable(),
  subject: z.string().nullable(),
});

export const WebhookLinksSchema = z.object({
  document: z.string().describe("The document in vanthu's API"),
  original: z.string().describe("The original file"),
  review: z.string().describe("The review page"),
});

export const ProvenanceSchema = z.object({
  extractionId: z.string(),
  extractorVersion: z.string(),
  approvedBy: z.string(),
  approvedAt: z.string(),
  corrected: z.boolean().describe("Whether a reviewer changed what the extractor read"),
});

export const TaskEventDataSchema = z.object({
  task: WebhookTaskSchema,
  document: WebhookDocumentSchema,
  links: WebhookLinksSchema,
  provenance: ProvenanceSchema,
});

export const DocumentApprovedDataSchema = z.object({
  document: WebhookDocumentSchema,
  tasks: z.array(WebhookTaskSchema),
  links: WebhookLinksSchema,
  provenance: ProvenanceSchema,
});

export const WebhookPayloadSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("task.created"), timestamp: z.string(), data: TaskEventDataSchema }),
  z.object({ type: z.literal("task.updated"), timestamp: z.string(), data: TaskEventDataSchema }),
  z.object({ type: z.literal("task.cancelled"), timestamp: z.string(), data: TaskEventDataSchema }),
  z.object({ type: z.literal("document.approved"), timestamp: z.string(), data: DocumentApprovedDataSchema }),
]);
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;
export type WebhookTask = z.infer<typeof WebhookTaskSchema>;
export type WebhookDocument = z.infer<typeof WebhookDocumentSchema>;

/** One tracker endpoint, configured per deployment. Secrets come from the environment. */
export const EndpointConfigSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "lower-case letters, digits, - and _"),
  url: z.url(),
  /** Environment variable holding "whsec_..." secrets, space- or comma-separated (two during rotation). */
  secretEnv: z.string(),
  events: z.array(WebhookEventTypeSchema).default(["task.created", "task.updated", "task.cancelled"]),
  /** "task": one event per task; "document": one document.approved with all tasks. */
  mode: z.enum(["task", "document"]).default("task"),
  timeoutMs: z.number().int().positive().default(15_000),
  /**
   * Seconds to wait after each failed attempt before the next, entry 0 standing for the
   * (immediate) first attempt: Standard Webhooks' schedule by default.
   */
  retrySchedule: z.array(z.number().min(0)).optional(),
});
export type EndpointConfig = z.infer<typeof EndpointConfigSchema>;

/** Standard Webhooks' retry schedule, in seconds after the previous attempt. */
export const STANDARD_RETRY_SCHEDULE = [0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600];

/** The org directory: units, their aliases and abbreviations, and each one's tracker id. */
export const OrgDirectorySchema = z.object({
  units: z.array(
    z.object({
      trackerId: z.string(),
      name: z.string(),
      aliases: z.array(z.string()).default([]),
    }),
  ),
});
export type OrgDirectory = z.infer<typeof OrgDirectorySchema>;
