import type { ScenarioSpec } from "../harness.ts";
import { archiveReadOnly } from "./archive-readonly.ts";
import { diskFull } from "./disk-full.ts";
import { receiverOutage } from "./receiver-outage.ts";
import { redisRestart } from "./redis-restart.ts";
import { workerKills } from "./kills.ts";

/**
 * The drills and their sizes. Full: the 300 letters and 100 kills,
 * the other faults on batches sized so the whole run stays under 10 minutes
 * on two cores. Quick (--quick): a smoke run of the same drills.
 */
export function scenarios(quick: boolean): ScenarioSpec[] {
  if (quick) {
    return [
      workerKills({ letters: 60, kills: 20, slotMs: 2200 }),
      redisRestart({ letters: 40, dropSpanMs: 12_000, downMs: 3000 }),
      receiverOutage({ letters: 40, dropSpanMs: 12_000, downMs: 10_000 }),
      archiveReadOnly({ letters: 40, dropSpanMs: 12_000, faultMs: 5000 }),
      diskFull({ letters: 40, dropSpanMs: 12_000, faultMs: 5000, volumeMb: 32 }),
    ];
  }
  return [
    workerKills({ letters: 300, kills: 100, slotMs: 2200 }),
    redisRestart({ letters: 120, dropSpanMs: 40_000, downMs: 5000 }),
    receiverOutage({ letters: 120, dropSpanMs: 40_000, downMs: 20_000 }),
    archiveReadOnly({ letters: 120, dropSpanMs: 40_000, faultMs: 15_000 }),
    diskFull({ letters: 120, dropSpanMs: 40_000, faultMs: 15_000, volumeMb: 64 }),
  ];
}
