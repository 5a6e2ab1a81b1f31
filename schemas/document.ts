import { z } from "zod";
import { ExtractionSchema } from "./extraction.ts";

/**
 * A document as vanthu holds it: one received file, its lifecycle state, and
 * where it came from. The lifecycle's states and events are listed here so the
 * API, the store and the machine share one vocabulary.
 */

export const DOCUMENT_STATES = [
  "received",
  "extracting",
  "to_review",
  "approved",
  "delivering",
  "delivered",
  "failed",
  "rejected",
  "delivery_failed",
] as const;
export const DocumentStateSchema = z.enum(DOCUMENT_STATES);
export type DocumentState = z.infer<typeof DocumentStateSchema>;

/** States from which work is still owed: the reconciler re-enqueues documents stuck in them. */
export const UNFINISHED_STATES: readonly DocumentState[] = ["received", "extracting", "approved", "delivering"];

export const LifecycleEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("EXTRACTION_STARTED") }),
  z.object({ type: z.literal("EXTRACTED"), extractionId: z.string(), autoApprove: z.boolean().default(false) }),
  z.object({ type: z.literal("EXTRACTION_FAILED"), code: z.string(), message: z.string() }),
  z.object({ type: z.literal("APPROVE"), by: z.string() }),
  z.object({ type: z.literal("REJECT"), by: z.string(), reason: z.string() }),
  z.object({ type: z.literal("RERUN"), by: z.string() }),
  z.object({ type: z.literal("DELIVERY_STARTED") }),
  z.object({ type: z.literal("DELIVERED") }),
  z.object({ type: z.literal("DELIVERY_FAILED"), message: z.string() }),
  z.object({ type: z.literal("REQUEUE"), by: z.string() }),
]);
export type LifecycleEvent = z.infer<typeof LifecycleEventSchema>;

export const DOCUMENT_SOURCES = ["folder", "http", "cli"] as const;
export const DocumentSourceSchema = z.enum(DOCUMENT_SOURCES);
export type DocumentSource = z.infer<typeof DocumentSourceSchema>;

export const DocumentRecordSchema = z.object({
  id: z.string(),
  contentHash: z.string().describe("SHA-256 of the file's bytes, hex: the same content is one document"),
  fileName: z.string().describe("The name the file arrived with: metadata only, never a path"),
  mediaType: z.string().nullable(),
  size: z.number().int().min(0),
  source: DocumentSourceSchema,
  state: DocumentStateSchema,
  createdAt: z.string().describe("ISO 8601"),
  updatedAt: z.string(),
  /** The same letter (issuer, number, symbol, year) arrived before as another file. */
  duplicateOf: z.string().nullable(),
  letterKey: z.string().nullable().describe("issuer|number|symbol|year of the extracted letter, for duplicate detection"),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** Authoritative header fields from an edXML package, and anything the source attached. */
  metadata: z.record(z.string(), z.unknown()),
});
export type DocumentRecord = z.infer<typeof DocumentRecordSchema>;

export const DocumentEventSchema = z.object({
  id: z.number().int(),
  documentId: z.string(),
  at: z.string(),
  type: z.string(),
  fromState: DocumentStateSchema.nullable(),
  toState: DocumentStateSchema.nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type DocumentEvent = z.infer<typeof DocumentEventSchema>;

export const StoredExtractionSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  extractorVersion: z.string(),
  createdAt: z.string(),
  extraction: ExtractionSchema,
});
export type StoredExtraction = z.infer<typeof StoredExtractionSchema>;

export const DocumentListQuerySchema = z.object({
  state: DocumentStateSchema.optional(),
  source: DocumentSourceSchema.optional(),
  q: z.string().max(200).optional().describe("Search in number, symbol, issuer, subject and file name"),
  since: z.string().optional().describe("ISO 8601: created at or after"),
  duplicates: z.boolean().optional().describe("Only documents linked as duplicates"),
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});
export type DocumentListQuery = z.infer<typeof DocumentListQuerySchema>;
