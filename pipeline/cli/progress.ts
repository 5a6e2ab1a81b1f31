import path from "node:path";
import { clearLine, cursorTo } from "node:readline";
import { MultiBar, type SingleBar } from "cli-progress";
import { cell, truncate } from "./format-table.ts";

/** Progress of a batch; everything else written while it is shown must go through it. */
export interface Progress {
  /** `file` is now being worked on. */
  working(file: string): void;
  /** One more file is finished (extracted or failed). */
  finished(): void;
  /** Writes a line to stderr above the bar. */
  log(line: string): void;
  /** Clears the bar so other output to the same terminal (stdout) starts on a clean line; it is redrawn after. */
  clear(): void;
  /** Removes the bar. */
  stop(): void;
}

export type ProgressFactory = (total: number) => Progress;

/** Room left for the file name on the bar line. */
const FILE_WIDTH = 40;

/** A cli-progress bar on `stream` (a TTY): files done / total and the current file. */
export function terminalProgress(stream: NodeJS.WriteStream): ProgressFactory {
  return (total) => {
    const multi = new MultiBar({
      stream,
      format: "{bar} {value}/{total} files | {file}",
      barsize: 30,
      clearOnComplete: true,
      // Cut the line to the terminal width rather than switching terminal wrapping off,
      // which would also truncate stdout written to the same terminal.
      linewrap: true,
      forceRedraw: true,
      fps: 10,
    });
    const bar: SingleBar = multi.create(total, 0, { file: "" });
    return {
      working(file) {
        bar.update({ file: truncate(cell(path.basename(file)), FILE_WIDTH) });
        multi.update();
      },
      finished() {
        bar.increment();
        multi.update();
      },
      log(line) {
        multi.log(line.endsWith("\n") ? line : `${line}\n`);
        multi.update();
      },
      clear() {
        cursorTo(stream, 0);
        clearLine(stream, 0);
      },
      stop() {
        multi.update();
        multi.stop();
      },
    };
  };
}
