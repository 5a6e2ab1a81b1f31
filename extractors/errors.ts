/**
 * Named reading errors. Every failure a person can cause by handing vanthu a
 * bad file has a stable code (shown in logs, `failed/NAME.error.json` and the
 * review page) and a message that names the file and the reason.
 */
export const READ_ERROR_CODES = [
  "unsupported_format",
  "unsupported_encoding",
  "empty_file",
  "no_text",
  "corrupt_file",
  "encrypted_pdf",
  "too_large",
  "too_many_pages",
  "timeout",
  "ocr_failed",
] as const;

export type ReadErrorCode = (typeof READ_ERROR_CODES)[number];

export class ReadError extends Error {
  readonly code: ReadErrorCode;
  readonly fileName: string | undefined;

  constructor(code: ReadErrorCode, reason: string, fileName?: string) {
    super(fileName ? `${fileName}: ${reason}` : reason);
    this.name = "ReadError";
    this.code = code;
    this.fileName = fileName;
  }

  /** The same error attributed to a file, for callers that learn the name late. */
  withFileName(fileName: string): ReadError {
    if (this.fileName) return this;
    const reason = this.message;
    return new ReadError(this.code, reason, fileName);
  }
}

export function isReadError(error: unknown): error is ReadError {
  return error instanceof ReadError;
}
