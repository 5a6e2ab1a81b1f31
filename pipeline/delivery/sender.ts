import { packageVersion } from "../cli/version.ts";
import { signatureHeader } from "./signing.ts";

/**
 * One delivery attempt to a tracker: sign, POST, classify the answer. The
 * retry loop lives elsewhere; it calls this once per attempt with the same
 * webhookId (receivers dedupe on it) and gets a fresh timestamp and signature
 * each time (receivers reject timestamps older than ~5 minutes as replays).
 * Never throws: every problem, ours or the tracker's, becomes an outcome.
 */

export type SendResult = "delivered" | "retry" | "failed" | "disable";

export interface SendOutcome {
  result: SendResult;
  /** The HTTP status; null when no response arrived (timeout, connection error). */
  status: number | null;
  latencyMs: number;
  /** The start of the response body, for the delivery log: ≤500 characters, no control characters. */
  responseExcerpt: string;
  /** From Retry-After, capped at 24 h; only on "retry". */
  retryAfterMs?: number;
  error?: string;
}

export interface SendRequest {
  url: string;
  /** Covers connecting, the response headers and reading the body. Default 15 s. */
  timeoutMs?: number;
  secrets: readonly Uint8Array[];
  webhookId: string;
  /** The exact bytes to send and sign (serialized JSON). */
  body: string | Uint8Array;
  /** Wall clock in ms, for webhook-timestamp and HTTP-date Retry-After. Latency uses a monotonic clock. */
  now?: () => number;
  fetch?: typeof globalThis.fetch;
}

const DEFAULT_TIMEOUT_MS = 15_000;
// Enough for any real error page; a tracker streaming megabytes must not tie up a worker.
const MAX_BODY_BYTES = 64 * 1024;
const EXCERPT_CHARS = 500;
// A tracker asking for a week-long pause must not park a delivery beyond the schedule's own scale.
const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

let userAgent: string | undefined;

export async function sendWebhook(request: SendRequest): Promise<SendOutcome> {
  const now = request.now ?? Date.now;
  const doFetch = request.fetch ?? globalThis.fetch;
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = performance.now();
  const outcome = (result: SendResult, status: number | null, extra: Partial<SendOutcome> = {}): SendOutcome => ({
    result,
    status,
    latencyMs: Math.round(performance.now() - started),
    responseExcerpt: "",
    ...extra,
  });

  // Configuration problems will not fix themselves on retry.
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return outcome("failed", null, { error: "endpoint URL is not a valid URL" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return outcome("failed", null, { error: `endpoint URL scheme ${url.protocol} is not http(s)` });
  if (request.secrets.length === 0) return outcome("failed", null, { error: "no signing secrets: refusing to send unsigned" });

  const timestamp = Math.floor(now() / 1000);
  const headers = {
    "content-type": "application/json",
    "user-agent": (userAgent ??= `vanthu/${packageVersion()}`),
    "webhook-id": request.webhookId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatureHeader(request.secrets, request.webhookId, timestamp, request.body),
  };

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    let response: Response;
    try {
      // A redirect is a failure: following it would send a signed payload somewhere nobody configured.
      response = await doFetch(url, { method: "POST", headers, body: request.body, redirect: "manual", signal: controller.signal });
    } catch (error) {
      return outcome("retry", null, { error: timedOut ? `timed out after ${timeoutMs} ms` : describeError(error) });
    }
    // Some fetch implementations hide manual redirects behind an opaque status 0.
    if (response.type === "opaqueredirect") return outcome("failed", null, { error: "redirected (redirects are not followed)" });

    const read = await readLimited(response, MAX_BODY_BYTES);
    const result = classifyStatus(response.status);
    const extra: Partial<SendOutcome> = { responseExcerpt: excerpt(read.text) };
    if (result === "retry") {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
      if (retryAfterMs !== undefined) extra.retryAfterMs = retryAfterMs;
    }
    if (result === "failed" && response.status >= 300 && response.status < 400) extra.error = "redirected (redirects are not followed)";
    // The status stands even if the body broke off: the tracker has already decided.
    if (read.error) extra.error = `reading response: ${timedOut ? `timed out after ${timeoutMs} ms` : read.error}`;
    return outcome(result, response.status, extra);
  } finally {
    clearTimeout(timer);
  }
}

/** Standard Webhooks' reading of a status: 410 means "stop sending to this endpoint". */
export function classifyStatus(status: number): SendResult {
  if (status >= 200 && status < 300) return "delivered";
  if (status === 410) return "disable";
  if (status === 408 || status === 429 || (status >= 500 && status < 600)) return "retry";
  return "failed";
}

/** Retry-After as delay-seconds or an HTTP-date, clamped to [0, 24 h]; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else {
    // Every HTTP-date form starts with a day name; the check keeps Date.parse's leniency ("1.5") out.
    if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return undefined;
    ms = date - nowMs;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** The response text for logs: line breaks become spaces; control and bidi-override characters go (log/UI injection). */
export function excerpt(text: string): string {
  const cleaned = text
    .replace(/[\t\n\r\u2028\u2029]+/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "")
    .trim();
  return Array.from(cleaned).slice(0, EXCERPT_CHARS).join("");
}

async function readLimited(response: Response, limit: number): Promise<{ text: string; error?: string }> {
  if (!response.body) return { text: "" };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let error: string | undefined;
  try {
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = value.subarray(0, limit - total);
      chunks.push(take);
      total += take.length;
    }
  } catch (caught) {
    error = describeError(caught);
  } finally {
    // Drop whatever is left rather than download it; not awaited, a stuck peer must not stall us.
    reader.cancel().catch(() => {});
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  return error === undefined ? { text } : { text, error };
}

/** fetch's own message is "fetch failed"; the cause (ECONNREFUSED, ENOTFOUND, …) is what an operator needs. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (!(cause instanceof Error)) return error.message;
  const code = (cause as NodeJS.ErrnoException).code;
  const detail = code && !cause.message.includes(code) ? `${code} ${cause.message}`.trim() : cause.message || code || "";
  return detail ? `${error.message}: ${detail}` : error.message;
}
