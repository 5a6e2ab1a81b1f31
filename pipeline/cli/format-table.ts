import type { Extraction } from "../../schemas/extraction.ts";

/** Longest task text shown in the table, in characters. */
export const TASK_TEXT_WIDTH = 60;
/** Longest assignee list shown in the table, in characters. */
export const ASSIGNEES_WIDTH = 40;

const NONE = "-";

/**
 * Terminal-safe single-line cell: control characters (which a hostile file
 * could use to drive the terminal) and line breaks become spaces.
 */
export function cell(value: string | null | undefined): string {
  if (value === null || value === undefined) return NONE;
  const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  return flat === "" ? NONE : flat;
}

const isMark = (ch: string): boolean => /\p{M}/u.test(ch);

/** Columns a string takes: combining marks (decomposed Vietnamese tone marks) take none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) if (!isMark(ch)) width++;
  return width;
}

/** At most `max` columns, ending with "…" when cut; never splits a letter from its marks. */
export function truncate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = "";
  let width = 0;
  for (const ch of text) {
    if (!isMark(ch)) {
      if (width === max - 1) break;
      width++;
    }
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Rows of cells as aligned plain text; the last column is not padded. */
export function alignRows(rows: string[][], indent = ""): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))));
  return rows.map(
    (row) => indent + row.map((c, i) => (i === row.length - 1 ? c : padEnd(c, widths[i] ?? 0))).join("  ").trimEnd(),
  );
}

function numberAndSymbol(number: string | null, symbol: string | null): string {
  if (symbol === null) return cell(number);
  return `${number === null ? "" : cell(number)}/${cell(symbol)}`;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The human summary of one extraction for `--format table`. */
export function formatTable(file: string, extraction: Extraction): string {
  const { document, references, tasks } = extraction;
  const lines = [cell(file)];
  lines.push(
    ...alignRows(
      [
        ["type", document.type],
        ["number", numberAndSymbol(document.number, document.symbol)],
        ["issuer", cell(document.issuer)],
        ["date", cell(document.date)],
        ["subject", cell(document.subject)],
        ["counts", `${plural(references.length, "reference", "references")}, ${plural(tasks.length, "task", "tasks")}`],
      ],
      "  ",
    ),
  );
  if (tasks.length > 0) {
    const header = ["ref", "task", "assignees", "deadline"];
    const rows = tasks.map((task) => [
      task.ref === "" ? NONE : cell(task.ref),
      truncate(cell(task.text), TASK_TEXT_WIDTH),
      task.assignees.length === 0 ? NONE : truncate(cell(task.assignees.join("; ")), ASSIGNEES_WIDTH),
      cell(task.deadline),
    ]);
    lines.push("", ...alignRows([header, ...rows], "  "));
  }
  return `${lines.join("\n")}\n`;
}
