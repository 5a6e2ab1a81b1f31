import type { ScenarioSpec } from "../harness.ts";
import { sleep, until } from "../time.ts";

/**
 * kill -9 of the (private, non-persistent) Redis in the middle of the batch,
 * and a restart a few seconds later: every queued and delayed job is gone.
 * The store is the record of unfinished work; the workers' reconciler must
 * re-enqueue it. Extraction is slowed (VANTHU_FAULT_EXTRACT_DELAY_MS) to a
 * little under the drop rate, so a backlog of queued jobs is what Redis
 * loses. Recovery: from Redis answering again to the first new extraction or
 * delivery.
 */
export function redisRestart(size: { letters: number; dropSpanMs: number; downMs: number }): ScenarioSpec {
  return {
    name: "redis-restart",
    description: `Redis killed (-9, no persistence) mid-batch and restarted after ${size.downMs / 1000} s; ${size.letters} letters`,
    letters: size.letters,
    dropSpanMs: size.dropSpanMs,
    deadlineMs: size.dropSpanMs + 120_000,
    workers: 2,
    workerEnv: { VANTHU_FAULT_EXTRACT_DELAY_MS: "1500" },
    async inject(env) {
      // Mid-batch: half the letters dropped, some delivered, and a backlog waiting in Redis.
      const unfinished = () => (env.monitor.latest ? env.monitor.latest.accepted - env.monitor.latest.delivered - env.monitor.latest.failed : 0);
      await until(
        "half the batch dropped, some delivered, a backlog queued",
        async () => env.dropper.dropped.length >= env.dropper.total / 2 && (env.monitor.latest?.delivered ?? 0) > 0 && unfinished() >= 8,
        size.dropSpanMs + 60_000,
      );
      const before = env.monitor.latest!;
      const startedAt = Date.now();
      await env.redis.kill();
      env.monitor.status = () => "redis DOWN";
      env.log(`redis-server killed (-9) with ${before.accepted - before.delivered - before.failed} letters unfinished`);
      await sleep(size.downMs);
      await env.redis.restart();
      const endedAt = Date.now();
      env.monitor.status = () => "redis back (empty)";
      env.log("redis-server restarted, empty");
      return {
        fault: `Redis kill -9, down ${size.downMs / 1000} s, restarted empty`,
        startedAt,
        endedAt,
        details: { unfinishedAtKill: before.accepted - before.delivered - before.failed, droppedAtKill: before.dropped },
        problems: [],
      };
    },
  };
}
