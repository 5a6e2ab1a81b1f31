import { readdir } from "node:fs/promises";
import type { Store } from "../../pipeline/store/types.ts";
import { isTemporaryName } from "../../pipeline/watcher.ts";
import type { AccountingReceiver } from "./receiver.ts";
import type { Dropper } from "./letters.ts";

/**
 * Samples the pipeline while a drill runs: documents per state (one GROUP BY
 * on the store) and what the receiver has, every few hundred ms. The samples
 * give the progress lines and the recovery times (when progress resumed after
 * a fault, when everything was done).
 */
export interface Sample {
  t: number;
  dropped: number;
  /** Dropped and no longer in the watched folder (recorded and archived). */
  taken: number;
  accepted: number;
  extracted: number;
  /** Documents in "delivered". */
  delivered: number;
  /** Documents in "failed" or "delivery_failed": a named end, not a loss. */
  failed: number;
  /** Distinct webhook-ids at the receiver. */
  webhooks: number;
}

/**
 * What counts as progress when measuring recovery: the work a fault stops.
 * "work": extractions and deliveries; "deliveries": webhooks arriving;
 * "intake": letters leaving the watched folder.
 */
export type ProgressMeasure = "work" | "deliveries" | "intake";

const MEASURES: Record<ProgressMeasure, (s: Sample) => number> = {
  work: (s) => s.extracted + s.webhooks,
  deliveries: (s) => s.webhooks,
  intake: (s) => s.taken,
};

const SAMPLE_MS = 250;
const PRINT_MS = 5000;

export class Monitor {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastPrint = 0;
  private sampling: Promise<void> = Promise.resolve();
  /** A line of scenario-specific figures appended to each progress line (kills so far, fault state). */
  status: () => string = () => "";

  constructor(
    private readonly name: string,
    private readonly store: Store,
    private readonly receiver: AccountingReceiver,
    private readonly dropper: Dropper,
    private readonly inbox: string,
    private readonly startedAt: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample()).catch((error) => console.error(`[${this.name}] monitor: ${(error as Error).message}`));
    }, SAMPLE_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sampling;
  }

  get latest(): Sample | undefined {
    return this.samples.at(-1);
  }

  /** Every letter of the batch dropped, taken from the folder, recorded and settled (delivered or a named failure). */
  get allSettled(): boolean {
    const s = this.latest;
    const total = this.dropper.total;
    return !!s && this.dropper.done && s.taken === total && s.accepted === total && s.delivered + s.failed === total;
  }

  /** The first moment after `t` at which `measure` had moved on from its value at `t`. */
  progressAfter(t: number, measure: ProgressMeasure): number | null {
    const of = MEASURES[measure];
    const base = [...this.samples].reverse().find((s) => s.t <= t) ?? this.samples[0];
    if (!base) return null;
    return this.samples.find((s) => s.t > t && of(s) > of(base))?.t ?? null;
  }

  /** The longest stretch between `from` and `to` in which `measure` did not move while letters were unsettled. */
  longestStall(from: number, to: number, measure: ProgressMeasure): number {
    const of = MEASURES[measure];
    let longest = 0;
    let since = from;
    let previous: Sample | undefined;
    for (const s of this.samples) {
      if (s.t < from || s.t > to) continue;
      if (previous && of(s) > of(previous)) since = s.t;
      else if (previous && s.delivered + s.failed < s.dropped) longest = Math.max(longest, s.t - since);
      previous = s;
    }
    return longest;
  }

  private async sample(): Promise<void> {
    const dropped = this.dropper.dropped.length;
    const counts = await this.store.countByState();
    const waiting = (await readdir(this.inbox)).filter((name) => !isTemporaryName(name)).length;
    const accepted = Object.values(counts).reduce((a, b) => a + b, 0);
    const sample: Sample = {
      t: Date.now(),
      dropped,
      taken: Math.max(0, dropped - waiting),
      accepted,
      extracted: accepted - counts.received - counts.extracting - counts.failed,
      delivered: counts.delivered,
      failed: counts.failed + counts.delivery_failed,
      webhooks: this.receiver.uniqueDeliveries,
    };
    this.samples.push(sample);
    if (sample.t - this.lastPrint >= PRINT_MS) {
      this.lastPrint = sample.t;
      this.print(sample);
    }
  }

  print(s: Sample | undefined = this.latest): void {
    if (!s) return;
    const elapsed = ((s.t - this.startedAt) / 1000).toFixed(0).padStart(4);
    const redeliveries = this.receiver.accepted - this.receiver.uniqueDeliveries;
    const extra = this.status();
    console.error(
      `[${this.name}] ${elapsed}s dropped ${s.dropped}/${this.dropper.total} taken ${s.taken} accepted ${s.accepted} extracted ${s.extracted} delivered ${s.delivered} failed ${s.failed} webhooks ${s.webhooks} (+${redeliveries} again)${extra ? ` | ${extra}` : ""}`,
    );
  }
}
