/**
 * OCR slots shared by all of a pool's worker threads. Each thread's OCR
 * reader allows one tesseract process per core (extractors/readers/ocr/
 * limit.ts), but that limit lives in the thread's own copy of the module: a
 * pool of N threads on N cores could run N × N tesseract processes at once,
 * each 75–125 MB resident, where N make every core busy. The threads
 * therefore ask the pool's thread for each slot, which hands out `max` at a
 * time (a message each way per page, against seconds of OCR).
 *
 * A slot belongs to the worker that holds it: when the pool terminates or
 * loses a worker (a deadline, a crash), its slots are freed and its waiting
 * requests dropped, so a dead worker never keeps the others from OCR.
 */
import { Limiter, type SlotLimiter } from "../../extractors/readers/ocr/limit.ts";
import type { WorkerMessage } from "./protocol.ts";

export class OcrSlotBroker<Owner extends object> {
  readonly #limiter: Limiter;
  readonly #held = new Map<Owner, Map<number, () => void>>();
  readonly #dropped = new WeakSet<Owner>();

  /** `grant` tells the owner its request `ticket` may start now. */
  constructor(
    max: number,
    private readonly grant: (owner: Owner, ticket: number) => void,
  ) {
    this.#limiter = new Limiter(max);
  }

  /** Queues the owner's request; `grant` is called when a slot is its. */
  request(owner: Owner, ticket: number): void {
    void this.#limiter.run(
      () =>
        new Promise<void>((free) => {
          // Granted after its owner was dropped: the slot goes straight to the next request.
          if (this.#dropped.has(owner)) return free();
          let holds = this.#held.get(owner);
          if (!holds) this.#held.set(owner, (holds = new Map()));
          holds.set(ticket, free);
          this.grant(owner, ticket);
        }),
    );
  }

  /** The owner is done with the slot `ticket` was granted. */
  release(owner: Owner, ticket: number): void {
    const holds = this.#held.get(owner);
    const free = holds?.get(ticket);
    if (!free) return;
    holds!.delete(ticket);
    free();
  }

  /** The owner is gone: its slots are freed, and requests it still has waiting will be skipped. */
  dropOwner(owner: Owner): void {
    this.#dropped.add(owner);
    const holds = this.#held.get(owner);
    this.#held.delete(owner);
    for (const free of holds?.values() ?? []) free();
  }

  /** Slots held now (for tests and stats). */
  get inUse(): number {
    let n = 0;
    for (const holds of this.#held.values()) n += holds.size;
    return n;
  }
}

/**
 * The worker thread's side: a SlotLimiter whose slots come from the pool's
 * broker. `post` sends a worker message to the pool; the pool's
 * ocr-slot-granted answers go to `granted`.
 */
export class RemoteOcrSlots implements SlotLimiter {
  #nextTicket = 1;
  readonly #waiting = new Map<number, () => void>();

  constructor(private readonly post: (message: WorkerMessage) => void) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    const ticket = this.#nextTicket++;
    await new Promise<void>((start) => {
      this.#waiting.set(ticket, start);
      this.post({ type: "ocr-slot-wait", ticket });
    });
    try {
      return await task();
    } finally {
      this.post({ type: "ocr-slot-free", ticket });
    }
  }

  granted(ticket: number): void {
    const start = this.#waiting.get(ticket);
    this.#waiting.delete(ticket);
    start?.();
  }
}
