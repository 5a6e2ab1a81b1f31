import { z } from "zod";
import { DocumentStateSchema } from "./document.ts";
import { DocumentFieldsSchema, DocumentTypeSchema, IsoDateSchema } from "./extraction.ts";

/**
 * The review page's vocabulary: reviewer accounts, the reviewer's corrected
 * document (kept beside the immutable extraction, never written into it), the
 * append-only log of each change, and the gold shape `vanthu export-gold`
 * writes (../shared/spec/extraction-contract.md, without vanthu's provenance).
 */

export const REVIEWER_ROLES = ["reviewer", "admin"] as const;
export const ReviewerRoleSchema = z.enum(REVIEWER_ROLES);
export type ReviewerRole = z.infer<typeof ReviewerRoleSchema>;

export const ReviewerAccountSchema = z.object({
  user: z.string().min(1).max(100).regex(/^[^\s:]+$/, "no spaces or colons"),
  role: ReviewerRoleSchema.default("reviewer"),
  /** `scrypt$N$r$p$salt$hash` as `vanthu hash-password` prints it; never a clear-text password. */
  passwordHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, "a hash from `vanthu hash-password`"),
});
export type ReviewerAccount = z.infer<typeof ReviewerAccountSchema>;

const Party = z.string().trim().min(1).max(500);

/**
 * A task as the reviewer edits it. `key` identifies the task inside the
 * editor across saves (so a change is recorded against the right task even
 * after a reorder); `id` is the approved task's id once it has one, so a
 * re-approval updates it rather than cancelling and re-creating it; `source`
 * is the index of the extracted task it came from, for its span and confidence.
 */
export const ReviewTaskSchema = z.object({
  key: z.string().min(1).max(64),
  id: z.string().max(100).optional(),
  source: z.number().int().min(0).optional(),
  ref: z.string().max(100),
  text: z.string().trim().min(1).max(20_000),
  assignees: z.array(Party).max(50),
  collaborators: z.array(Party).max(50),
  deadline: IsoDateSchema.nullable(),
});
export type ReviewTask = z.infer<typeof ReviewTaskSchema>;

export const ReviewReferenceSchema = z.object({
  key: z.string().min(1).max(64),
  source: z.number().int().min(0).optional(),
  kind: DocumentTypeSchema,
  number: z.string().trim().min(1).max(200),
  date: IsoDateSchema.nullable(),
  issuer: z.string().max(500).nullable(),
});
export type ReviewReference = z.infer<typeof ReviewReferenceSchema>;

/** The reviewer's version of the letter, based on one extraction. */
export const ReviewedDocumentSchema = z.object({
  extractionId: z.string().min(1),
  document: DocumentFieldsSchema,
  references: z.array(ReviewReferenceSchema).max(500),
  tasks: z.array(ReviewTaskSchema).max(500),
});
export type ReviewedDocument = z.infer<typeof ReviewedDocumentSchema>;

/** What the editor posts: the whole corrected document and the state the reviewer saw. */
export const ReviewSubmissionSchema = ReviewedDocumentSchema.extend({
  action: z.enum(["save", "approve"]),
  from: DocumentStateSchema,
  /** When the version the reviewer started from was saved (null: none was): a later save by someone else is a conflict. */
  basedOn: z.string().max(40).nullable(),
});
export type ReviewSubmission = z.infer<typeof ReviewSubmissionSchema>;

/** One recorded change: who changed which field from what to what. */
export const CorrectionSchema = z.object({
  id: z.number().int(),
  documentId: z.string(),
  extractionId: z.string(),
  at: z.string(),
  by: z.string(),
  /** `document.signer.name`, `references[2].number`, `tasks[3].assignees`, `tasks` (added/removed/reordered). */
  path: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type Correction = z.infer<typeof CorrectionSchema>;

/** The shared gold files' shape: exactly the contract's fields. */
export const GoldDocumentSchema = z.object({
  document: DocumentFieldsSchema,
  references: z.array(z.object({ kind: DocumentTypeSchema, number: z.string(), date: IsoDateSchema.nullable(), issuer: z.string().nullable() })),
  tasks: z.array(
    z.object({ ref: z.string(), text: z.string(), assignees: z.array(z.string()), collaborators: z.array(z.string()), deadline: IsoDateSchema.nullable() }),
  ),
});
export type GoldDocument = z.infer<typeof GoldDocumentSchema>;
