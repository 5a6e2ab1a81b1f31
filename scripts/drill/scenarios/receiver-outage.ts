import type { ScenarioSpec } from "../harness.ts";
import { sleep, until } from "../time.ts";

/**
 * The tracker goes away mid-batch: first it answers 503 (overloaded), then its
 * port closes (down), then it comes back. Deliveries retry on the endpoint's
 * short schedule and must all arrive once it is back. Recovery: from the
 * tracker being back to the first new delivery, and to the last.
 */
export function receiverOutage(size: { letters: number; dropSpanMs: number; downMs: number }): ScenarioSpec {
  return {
    name: "receiver-outage",
    description: `tracker answers 503 for ${size.downMs / 2000} s, then its port is closed for ${size.downMs / 2000} s; ${size.letters} letters`,
    letters: size.letters,
    dropSpanMs: size.dropSpanMs,
    deadlineMs: size.dropSpanMs + 120_000,
    workers: 2,
    progress: "deliveries",
    async inject(env) {
      await until("deliveries flowing", async () => env.dropper.dropped.length >= env.dropper.total / 3 && env.receiver.uniqueDeliveries > 0, size.dropSpanMs + 60_000);
      const startedAt = Date.now();
      const before = env.receiver.uniqueDeliveries;
      env.receiver.refuse();
      env.monitor.status = () => "tracker answering 503";
      env.log("tracker answering 503");
      await sleep(size.downMs / 2);
      await env.receiver.down();
      env.monitor.status = () => "tracker DOWN (port closed)";
      env.log("tracker port closed");
      await sleep(size.downMs / 2);
      await env.receiver.up();
      const endedAt = Date.now();
      env.monitor.status = () => "tracker back";
      env.log(`tracker back; ${env.receiver.refused} requests were answered 503`);
      return {
        fault: `tracker 503 then down, ${size.downMs / 1000} s`,
        startedAt,
        endedAt,
        details: { deliveredBefore: before, answered503: env.receiver.refused },
        problems: env.receiver.refused === 0 ? ["drill design: no delivery was attempted while the tracker refused"] : [],
      };
    },
  };
}
