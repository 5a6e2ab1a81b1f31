import { isReadError } from "../../extractors/errors.ts";

/**
 * Why one file of a batch failed, as a stable code (the extractor's ReadError
 * codes, plus the file-system and CLI codes below) and a reason for people.
 */
export interface FileFailure {
  /** Whether reading/extracting the input failed, or writing its output. */
  stage: "read" | "write";
  code: string;
  reason: string;
  /** Only for internal_error: the stack, printed when VANTHU_DEBUG is set. */
  stack?: string;
}

/** Codes the CLI itself adds to the extractor's READ_ERROR_CODES. */
export const CLI_FAILURE_CODES = [
  "not_found",
  "is_a_directory",
  "permission_denied",
  "io_error",
  "duplicate_output",
  "write_failed",
  "internal_error",
] as const;

const FS_CODES: Record<string, { code: string; reason: string }> = {
  ENOENT: { code: "not_found", reason: "no such file" },
  ENOTDIR: { code: "not_found", reason: "a directory in the path is a file" },
  EISDIR: { code: "is_a_directory", reason: "it is a directory, not a file" },
  EACCES: { code: "permission_denied", reason: "permission denied" },
  EPERM: { code: "permission_denied", reason: "operation not permitted" },
};

function errnoCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === "string" ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A failure to read the input file from disk. */
export function describeReadFailure(error: unknown): FileFailure {
  const errno = errnoCode(error);
  const known = errno ? FS_CODES[errno] : undefined;
  if (known) return { stage: "read", ...known };
  if (errno) return { stage: "read", code: "io_error", reason: `${errno}: ${messageOf(error)}` };
  return describeUnexpected(error);
}

/** A failure inside the extractor: a ReadError keeps its code; anything else is an internal error. */
export function describeExtractFailure(error: unknown): FileFailure {
  if (isReadError(error)) {
    // ReadError prefixes its message with the file name when it knows it; the CLI names the file itself.
    const prefix = error.fileName ? `${error.fileName}: ` : "";
    const reason = prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    return { stage: "read", code: error.code, reason };
  }
  return describeUnexpected(error);
}

/** A failure writing the output file. */
export function describeWriteFailure(target: string, error: unknown): FileFailure {
  const errno = errnoCode(error);
  const known = errno ? FS_CODES[errno] : undefined;
  const why = known ? known.reason : errno ? `${errno}: ${messageOf(error)}` : messageOf(error);
  return { stage: "write", code: "write_failed", reason: `${target}: ${why}` };
}

export function describeUnexpected(error: unknown): FileFailure {
  const stack = error instanceof Error ? error.stack : undefined;
  return { stage: "read", code: "internal_error", reason: messageOf(error) || "unknown error", ...(stack ? { stack } : {}) };
}

/** One line (newlines in the reason folded) so each failure is one greppable line on stderr. */
export function failureLine(file: string, failure: FileFailure): string {
  const reason = failure.reason.replace(/\s*[\r\n]+\s*/g, " ").trim();
  const what = failure.stage === "read" ? `cannot read ${file}` : `cannot write the output for ${file}`;
  return `vanthu: ${what}: ${failure.code}: ${reason}\n`;
}
