/**
 * OCR slots shared by the extraction pool's threads (pipeline/isolation/
 * ocr-slots.ts): the broker's bookkeeping, and through a real pool, that
 * the threads together never run more OCR processes than the pool allows
 * and that a worker ended while holding a slot gives it back.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createExtractionPool } from "../pipeline/isolation/index.ts";
import { OcrSlotBroker } from "../pipeline/isolation/ocr-slots.ts";

const FAULT_WORKER = new URL("../pipeline/isolation/fault-worker.ts", import.meta.url);
const LETTER = new Uint8Array(readFileSync(join(import.meta.dirname, "../../shared/fixtures/letters/cv-454-ubnd-haugiang-2011.txt")));

/** The broker with owners named by strings, and the grants it made, in order. */
function broker(max: number) {
  const owners = new Map<string, { name: string }>();
  const owner = (name: string) => owners.get(name) ?? owners.set(name, { name }).get(name)!;
  const grants: string[] = [];
  const b = new OcrSlotBroker<{ name: string }>(max, (o, ticket) => grants.push(`${o.name}${ticket}`));
  // Grants follow a release through the limiter's promises: let them settle.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { b, owner, grants, settle };
}

describe("OcrSlotBroker", () => {
  it("grants at most `max` slots; a release hands the slot to the next request in order", async () => {
    const { b, owner, grants, settle } = broker(2);
    b.request(owner("a"), 1);
    b.request(owner("a"), 2);
    b.request(owner("b"), 1);
    await settle();
    expect(grants).toEqual(["a1", "a2"]);
    expect(b.inUse).toBe(2);
    b.release(owner("a"), 1);
    await settle();
    expect(grants).toEqual(["a1", "a2", "b1"]);
    // A second release of the same ticket frees nothing more.
    b.release(owner("a"), 1);
    await settle();
    expect(b.inUse).toBe(2);
  });

  it("a dropped owner's slots are freed and its waiting requests skipped", async () => {
    const { b, owner, grants, settle } = broker(2);
    b.request(owner("a"), 1);
    b.request(owner("b"), 1);
    b.request(owner("a"), 2); // waits
    b.request(owner("c"), 1); // waits behind a2
    await settle();
    b.dropOwner(owner("a"));
    await settle();
    // a1 freed its slot; a2, next in line, is skipped and c1 gets it.
    expect(grants).toEqual(["a1", "b1", "c1"]);
    expect(b.inUse).toBe(2);
    b.release(owner("b"), 1);
    b.release(owner("c"), 1);
    await settle();
    expect(b.inUse).toBe(0);
  });
});

/** The most holds that overlap in time (a hold that starts when another ends does not overlap it). */
function maxOverlap(holds: (readonly [number, number])[]): number {
  const events = holds.flatMap(([start, end]) => [[start, 1] as const, [end, -1] as const]);
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let most = 0;
  for (const [, step] of events) most = Math.max(most, (now += step));
  return most;
}

describe("a pool's workers share its OCR slots", () => {
  it("three workers, each wanting two slots at once, never hold more than the pool's two together", async () => {
    const pool = createExtractionPool({ workerEntry: FAULT_WORKER, size: 3, ocrSlots: 2, timeoutMs: 30_000 });
    try {
      const results = await Promise.all([1, 2, 3].map(() => pool.extract(LETTER, { fileName: "fault:slots:2:150" })));
      const holds = results.flatMap((r) => (r as unknown as { slotHolds: [number, number][] }).slotHolds);
      expect(holds).toHaveLength(6);
      // Each thread alone would allow one per core; the pool allows two across all three.
      expect(maxOverlap(holds)).toBe(2);
      expect(results.map((r) => r.document.number)).toEqual(["454", "454", "454"]);
    } finally {
      await pool.close();
    }
  });

  it("a worker stopped at its deadline while holding the only slot gives it back", async () => {
    const pool = createExtractionPool({ workerEntry: FAULT_WORKER, size: 2, ocrSlots: 1, timeoutMs: 1000 });
    try {
      await expect(pool.extract(LETTER, { fileName: "fault:slot-hang" })).rejects.toMatchObject({ code: "timeout" });
      // Had the slot stayed with the terminated worker, this would wait for it past its own deadline.
      const result = (await pool.extract(LETTER, { fileName: "fault:slots:1:10" })) as unknown as { slotHolds: [number, number][] };
      expect(result.slotHolds).toHaveLength(1);
    } finally {
      await pool.close();
    }
  });
});
