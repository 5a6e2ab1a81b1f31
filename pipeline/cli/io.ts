/** Writes text exactly as given (callers add the newlines). */
export type Write = (text: string) => void;

/** Where a command writes: injectable so commands run in tests without a child process. */
export interface CommandIO {
  stdout: Write;
  stderr: Write;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** Some input could not be processed (the others were). */
export const EXIT_FAILED = 1;
/** The command line itself was wrong: unknown option value, schema name, ... */
export const EXIT_USAGE = 2;
