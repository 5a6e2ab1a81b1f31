import type { Correction, ReviewedDocument, ReviewerRole } from "../../schemas/review.ts";

/** The reviewer's version of a document as stored, with the copy frozen at its last approval. */
export interface ReviewRecord {
  documentId: string;
  data: ReviewedDocument;
  savedAt: string;
  savedBy: string;
  approved: { data: ReviewedDocument; at: string; by: string } | null;
}

/** One changed field, before it gets its id and time. */
export interface CorrectionInput {
  path: string;
  before: unknown;
  after: unknown;
}

export interface ReviewSave {
  documentId: string;
  by: string;
  data: ReviewedDocument;
  /**
   * The `savedAt` of the version the reviewer started from (null: none was
   * saved yet). A different current version means someone else saved in
   * between: nothing is written and save() answers null.
   */
  basedOn: string | null;
  /** The changes from the stored version (null: nothing stored yet) to `data`; run inside the transaction. */
  diff: (previous: ReviewedDocument | null) => CorrectionInput[];
}

export interface ReviewSession {
  user: string;
  role: ReviewerRole;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface ReviewStore {
  get(documentId: string): Promise<ReviewRecord | null>;
  /** Stores the reviewer's version and appends its corrections, in one transaction. */
  save(input: ReviewSave): Promise<{ record: ReviewRecord; corrections: Correction[] } | null>;
  /**
   * Freezes `data` as the approved version (after services.approve succeeded):
   * the stored version too becomes `data`, which differs from the saved one
   * only by the approved tasks' ids. No correction is recorded.
   */
  markApproved(documentId: string, by: string, data: ReviewedDocument): Promise<void>;
  /** Every correction of a document, oldest first. */
  corrections(documentId: string): Promise<Correction[]>;
  /** Documents whose reviewed version was approved at or after `since` (ISO), oldest approval first. */
  approvedSince(since: string): Promise<ReviewRecord[]>;

  /** Sessions are keyed by a hash of their id: the id itself lives only in the cookie. */
  createSession(idHash: string, session: ReviewSession): Promise<void>;
  /** The session, or null when unknown or expired at `now`. */
  getSession(idHash: string, now: string): Promise<ReviewSession | null>;
  deleteSession(idHash: string): Promise<void>;
  deleteExpiredSessions(now: string): Promise<number>;
}
