import type { StoredExtraction } from "../../schemas/document.ts";
import type { DocumentFields, Task } from "../../schemas/extraction.ts";
import type { GoldDocument, ReviewedDocument, ReviewReference, ReviewTask } from "../../schemas/review.ts";
import type { TaskEdit } from "../approval.ts";
import type { StoredTask } from "../store/outbox-types.ts";
import type { ReviewRecord } from "../store/review-types.ts";
import type { CorrectionInput } from "../store/review-types.ts";

/**
 * The reviewer's version of a letter and what follows from it: where the
 * editor starts, the corrections between two versions, the tasks handed to
 * approval, and the gold file. Pure functions; the extraction is only read.
 */

/** The version the editor opens with, before any reviewer saved one for this extraction. */
export function initialReview(latest: StoredExtraction, approvedTasks: StoredTask[]): ReviewedDocument {
  const { extraction } = latest;
  const active = approvedTasks.filter((t) => t.status === "active").sort((a, b) => a.position - b.position);
  // Approved before (by the API or auto-approval): start from what the tracker has, keeping task ids.
  const tasks: ReviewTask[] = active.length
    ? active.map((t) => ({ key: `a-${t.id}`, id: t.id, ...sourceOf(t, extraction.tasks), ...taskFields(t) }))
    : extraction.tasks.map((t, i) => ({ key: `t${i}`, source: i, ...taskFields(t) }));
  return {
    extractionId: latest.id,
    document: structuredClone(extraction.document),
    references: extraction.references.map((r, i) => ({ key: `r${i}`, source: i, kind: r.kind, number: r.number, date: r.date, issuer: r.issuer })),
    tasks,
  };
}

/** The stored version when it was made against the latest extraction; after a re-run, the new extraction's. */
export function currentReview(stored: ReviewRecord | null, latest: StoredExtraction, approvedTasks: StoredTask[]): ReviewedDocument {
  return stored && stored.data.extractionId === latest.id ? stored.data : initialReview(latest, approvedTasks);
}

function sourceOf(task: Pick<Task, "ref" | "text">, extracted: Task[]): { source?: number } {
  const exact = extracted.findIndex((e) => e.ref === task.ref && e.text === task.text);
  const byRef = exact >= 0 ? exact : extracted.findIndex((e) => e.ref !== "" && e.ref === task.ref);
  return byRef >= 0 ? { source: byRef } : {};
}

function taskFields(t: Pick<Task, "ref" | "text" | "assignees" | "collaborators" | "deadline">) {
  return { ref: t.ref, text: t.text, assignees: [...t.assignees], collaborators: [...t.collaborators], deadline: t.deadline };
}

/** The tasks as approval takes them: approved ids kept so a re-approval updates rather than re-creates. */
export function toTaskEdits(review: ReviewedDocument): TaskEdit[] {
  return review.tasks.map((t) => ({ ...(t.id ? { id: t.id } : {}), ...taskFields(t) }));
}

/** The contract's shape, field order as in the shared gold files. */
export function toGold(review: ReviewedDocument): GoldDocument {
  const d = review.document;
  return {
    document: {
      type: d.type,
      number: d.number,
      symbol: d.symbol,
      issuer: d.issuer,
      issuerParent: d.issuerParent,
      place: d.place,
      date: d.date,
      subject: d.subject,
      recipients: [...d.recipients],
      signer: { name: d.signer.name, title: d.signer.title, authority: d.signer.authority },
      distribution: [...d.distribution],
    },
    references: review.references.map((r) => ({ kind: r.kind, number: r.number, date: r.date, issuer: r.issuer })),
    tasks: review.tasks.map(taskFields),
  };
}

// ---------------------------------------------------------------------------
// Corrections: one entry per changed field, paths a person can read.

const HEADER_FIELDS = ["type", "number", "symbol", "issuer", "issuerParent", "place", "date", "subject", "recipients", "distribution"] as const satisfies readonly (keyof DocumentFields)[];
const SIGNER_FIELDS = ["name", "title", "authority"] as const;
const REFERENCE_FIELDS = ["kind", "number", "date", "issuer"] as const satisfies readonly (keyof ReviewReference)[];
const TASK_FIELDS = ["ref", "text", "assignees", "collaborators", "deadline"] as const satisfies readonly (keyof ReviewTask)[];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function diffReview(before: ReviewedDocument, after: ReviewedDocument): CorrectionInput[] {
  const changes: CorrectionInput[] = [];
  for (const field of HEADER_FIELDS) {
    if (!same(before.document[field], after.document[field])) changes.push({ path: `document.${field}`, before: before.document[field], after: after.document[field] });
  }
  for (const field of SIGNER_FIELDS) {
    if (!same(before.document.signer[field], after.document.signer[field])) changes.push({ path: `document.signer.${field}`, before: before.document.signer[field], after: after.document.signer[field] });
  }
  changes.push(...diffList("references", before.references, after.references, REFERENCE_FIELDS, (r) => r.number));
  changes.push(...diffList("tasks", before.tasks, after.tasks, TASK_FIELDS, (t) => `${t.ref ? `${t.ref} ` : ""}${t.text.slice(0, 60)}`));
  return changes;
}

/**
 * Items matched by their editor key. Paths number items from 1 as the
 * reviewer sees them: an edited or added item by its place after the save,
 * a removed one by its place before it.
 */
function diffList<T extends { key: string }>(name: string, before: T[], after: T[], fields: readonly (keyof T & string)[], label: (item: T) => string): CorrectionInput[] {
  const changes: CorrectionInput[] = [];
  const beforeByKey = new Map(before.map((item, i) => [item.key, { item, i }]));
  const afterKeys = new Set(after.map((item) => item.key));
  const pick = (item: T) => Object.fromEntries(fields.map((f) => [f, item[f]]));
  before.forEach((item, i) => {
    if (!afterKeys.has(item.key)) changes.push({ path: `${name}[${i + 1}]`, before: pick(item), after: null });
  });
  after.forEach((item, i) => {
    const previous = beforeByKey.get(item.key);
    if (!previous) {
      changes.push({ path: `${name}[${i + 1}]`, before: null, after: pick(item) });
      return;
    }
    for (const field of fields) {
      if (!same(previous.item[field], item[field])) changes.push({ path: `${name}[${i + 1}].${field}`, before: previous.item[field], after: item[field] });
    }
  });
  const keptBefore = before.filter((item) => afterKeys.has(item.key)).map((item) => item.key);
  const keptAfter = after.filter((item) => beforeByKey.has(item.key)).map((item) => item.key);
  if (!same(keptBefore, keptAfter)) {
    const labels = (keys: string[], from: T[]) => keys.map((k) => label(from.find((item) => item.key === k)!));
    changes.push({ path: `${name}.order`, before: labels(keptBefore, before), after: labels(keptAfter, after) });
  }
  return changes;
}
