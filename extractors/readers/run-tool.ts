/**
 * Runs an installed command-line reader (pdftotext, pdfinfo, tesseract) on
 * bytes fed through stdin, never a path: a wall-clock limit (the child is
 * killed with SIGKILL), a cap on what it may write, and the exit as it
 * happened. Callers turn the outcome into their own named errors.
 */
import { spawn } from "node:child_process";

export interface ToolLimits {
  timeoutMs: number;
  /** Stdout beyond this many bytes kills the child. Default: no cap. */
  maxOutputBytes?: number;
  /**
   * Stderr that already decides the outcome: the child is killed as soon as its
   * stderr matches, and the outcome is its exit (SIGKILL) with that stderr.
   */
  stopOnStderr?: RegExp;
  env?: NodeJS.ProcessEnv;
}

export type ToolOutcome =
  | { kind: "exited"; code: number | null; signal: NodeJS.Signals | null; stdout: Buffer; stderr: string }
  | { kind: "timeout" }
  | { kind: "output_too_large" }
  | { kind: "spawn_failed"; message: string };

/** How much of stderr is kept: enough for the last messages, bounded whatever the tool prints. */
const STDERR_KEPT = 8000;

export function runTool(command: string, args: string[], input: Uint8Array, limits: ToolLimits): Promise<ToolOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], ...(limits.env ? { env: limits.env } : {}) });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = "";
    let settled = false;
    const finish = (outcome: ToolOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const stop = (outcome: ToolOutcome) => {
      child.kill("SIGKILL");
      finish(outcome);
    };
    const timer = setTimeout(() => stop({ kind: "timeout" }), limits.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (limits.maxOutputBytes !== undefined && outBytes > limits.maxOutputBytes) return stop({ kind: "output_too_large" });
      out.push(chunk);
    });
    let stopping = false;
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < STDERR_KEPT) stderr += chunk.toString("utf8");
      if (!stopping && limits.stopOnStderr?.test(stderr)) {
        stopping = true;
        child.kill("SIGKILL");
      }
    });
    child.on("error", (error) => finish({ kind: "spawn_failed", message: error.message }));
    child.on("close", (code, signal) => finish({ kind: "exited", code, signal, stdout: Buffer.concat(out), stderr }));
    // The process may exit before it has read all of its input; the exit status tells why.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}
