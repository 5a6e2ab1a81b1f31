import { z } from "zod";
import {
  DocumentEventSchema,
  DocumentListQuerySchema,
  DocumentRecordSchema,
  DocumentStateSchema,
  StoredExtractionSchema,
} from "../../schemas/document.ts";

/**
 * The API's request and response shapes, in zod: the handlers validate with
 * them and the OpenAPI document is generated from them, so the two cannot
 * drift apart.
 */

export const API_PREFIX = "/api/v1";
export const documentUrl = (id: string) => `${API_PREFIX}/documents/${encodeURIComponent(id)}`;

/** The Content-Types a raw upload may have (multipart/form-data aside); XML only for edXML packages. */
export const UPLOAD_MEDIA_TYPES = [
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "text/plain",
  "image/*",
  "application/octet-stream",
  "application/xml",
  "text/xml",
] as const;

export const ProblemSchema = z
  .object({
    error: z.string().describe("A stable code: unauthorized, payload_too_large, invalid_query, not_found, ..."),
    message: z.string().describe("What went wrong, for a person"),
    issues: z.array(z.record(z.string(), z.unknown())).optional().describe("The zod issues of an invalid query"),
    checks: z.record(z.string(), z.boolean()).optional().describe("/readyz: which dependency answered"),
  })
  .describe("Every error response");

export const UploadAcceptedSchema = z.object({
  id: z.string(),
  state: DocumentStateSchema,
  duplicate: z.boolean().describe("The same content (or Idempotency-Key) was received before: this is the existing document"),
  statusUrl: z.string().describe("GET it for the document's state, extraction and events"),
});

export const DocumentDetailSchema = z.object({
  document: DocumentRecordSchema,
  extraction: StoredExtractionSchema.nullable().describe("The latest extraction, null until one ran"),
  events: z.array(DocumentEventSchema),
});

export const DocumentListSchema = z.object({
  items: z.array(DocumentRecordSchema),
  total: z.number().int().min(0).describe("Matching documents, before limit and offset"),
});

/** The list query as the API takes it: unknown parameters are an error (a typo must not widen the result). */
export const ListQuerySchema = DocumentListQuerySchema.strict().refine((q) => q.since === undefined || Number.isFinite(Date.parse(q.since)), {
  message: "since must be an ISO 8601 date or date-time",
  path: ["since"],
});

/**
 * Query strings carry only strings: turn the numeric and boolean parameters
 * into numbers and booleans when they are spelled as such, and leave anything
 * else for the schema to refuse with a precise issue.
 */
export function coerceListQuery(raw: unknown): Record<string, unknown> {
  const query: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const key of ["limit", "offset"]) {
    const value = query[key];
    if (typeof value === "string" && /^\d{1,9}$/.test(value)) query[key] = Number(value);
  }
  const duplicates = query.duplicates;
  if (duplicates === "true" || duplicates === "1") query.duplicates = true;
  else if (duplicates === "false" || duplicates === "0") query.duplicates = false;
  return query;
}

export const IdParamsSchema = z.object({ id: z.string().min(1).max(200) });

export const HealthSchema = z.object({ status: z.literal("ok") });
export const ReadySchema = z.object({ status: z.literal("ready"), checks: z.record(z.string(), z.boolean()) });
