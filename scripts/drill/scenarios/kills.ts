import type { ScenarioSpec } from "../harness.ts";
import { sleep } from "../time.ts";

/**
 * SIGKILL of a random worker at random moments while the batch is in
 * flight, each killed worker replaced at once. The kills are spread over the
 * drop: one at a random moment within each of `kills` equal slots, so the
 * batch is still arriving at the last one. The victim is either worker, at
 * whatever it is doing: starting (migrating, reconciling), extracting (slowed a
 * little by VANTHU_FAULT_EXTRACT_DELAY_MS so a kill often lands on a held
 * job), approving, or sending webhooks. A worker spared by a kill lives on, so
 * lifetimes vary from a moment to many slots.
 */
export function workerKills(size: { letters: number; kills: number; slotMs: number }): ScenarioSpec {
  const dropSpanMs = size.kills * size.slotMs;
  return {
    name: "worker-kills",
    description: `${size.kills} × kill -9 of a random worker during a ${size.letters}-letter batch`,
    letters: size.letters,
    dropSpanMs,
    deadlineMs: dropSpanMs + 150_000,
    workers: 2,
    workerEnv: { VANTHU_FAULT_EXTRACT_DELAY_MS: "200" },
    async inject(env) {
      const startedAt = Date.now();
      // "Starting": the worker had not yet logged "worker started" (loading, migrating, its first reconcile pass).
      const working: number[] = [];
      let starting = 0;
      let inFlight = 0;
      for (let i = 0; i < size.kills; i++) {
        const due = startedAt + (i + env.random()) * size.slotMs - Date.now();
        if (due > 0) await sleep(due);
        // In flight: letters still arriving, or recorded ones not yet settled.
        if (!env.dropper.done || !env.monitor.allSettled) inFlight++;
        const victim = env.workers.killAndRespawn(Math.floor(env.random() * env.workers.size));
        if (victim.workingMs) working.push(victim.workingMs);
        else starting++;
        env.monitor.status = () => `kills ${i + 1}/${size.kills}`;
      }
      const endedAt = Date.now();
      return {
        fault: `${size.kills} × SIGKILL of a worker`,
        startedAt,
        endedAt,
        details: {
          kills: size.kills,
          killsWhileInFlight: inFlight,
          killedWhileStarting: starting,
          killedWhileRunning: working.length,
          medianRunningMsBeforeKill: median(working),
          longestRunningMsBeforeKill: Math.max(0, ...working),
          medianWorkerStartMs: median(env.workers.startTimesMs),
        },
        problems: inFlight < size.kills ? [`drill design: only ${inFlight} of ${size.kills} kills came while the batch was in flight`] : [],
      };
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
