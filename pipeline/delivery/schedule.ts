import { STANDARD_RETRY_SCHEDULE } from "../../schemas/webhook.ts";

/**
 * When to try a delivery again. The schedule lists, in seconds, how long to wait
 * after the previous attempt; entry 0 belongs to the first attempt, which is
 * always immediate (delivery starts as soon as the event exists), so entry 0 is
 * never read here. With the standard schedule that is 10 attempts over ~3 days.
 */

// ±10% spreads the retries of many deliveries that failed together (a tracker
// outage) so they don't all arrive in the same second when it comes back.
const JITTER = 0.1;

/**
 * The delay before attempt `attemptNumber + 1`, after attempt `attemptNumber`
 * (1-based) failed with a retryable outcome: `schedule[attemptNumber]` seconds
 * ±10%, and never less than the tracker's Retry-After. Null when the schedule
 * is exhausted: the delivery has failed for good.
 */
export function nextAttemptDelayMs(
  attemptNumber: number,
  schedule: readonly number[] = STANDARD_RETRY_SCHEDULE,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | null {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) throw new RangeError(`attempt number must be a whole number from 1, got ${attemptNumber}`);
  const seconds = schedule[attemptNumber];
  if (seconds === undefined) return null;
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`retry schedule entry ${attemptNumber} is not a non-negative number of seconds`);
  const jittered = Math.round(seconds * 1000 * (1 + JITTER * (2 * random() - 1)));
  // Retry-After is the tracker telling us when it can take the request; coming
  // back earlier only earns another 429/503.
  return retryAfterMs !== undefined && retryAfterMs > jittered ? Math.ceil(retryAfterMs) : jittered;
}
