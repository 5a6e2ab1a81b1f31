import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { extractFromText } from "../../extractors/index.ts";
import { FileArea } from "../../pipeline/files.ts";
import { root } from "./processes.ts";
import { sleep } from "./time.ts";

/**
 * The drill's batch: distinct letters made from the shared sample letters
 * (each copy gets a line of its own, so its content hash differs), and a
 * clerk dropping them into the watched folder at a steady pace.
 */
export interface DrillLetter {
  name: string;
  bytes: Buffer;
  contentHash: string;
  /** Tasks the extractor finds in the sample it was made from. */
  tasks: number;
}

const SHARED_LETTERS = join(root, "../shared/fixtures/letters");

export async function drillLetters(count: number, salt: string): Promise<DrillLetter[]> {
  const names = (await readdir(SHARED_LETTERS)).filter((f) => f.endsWith(".txt")).sort();
  const samples: { text: string; tasks: number }[] = [];
  for (const name of names) {
    const text = await readFile(join(SHARED_LETTERS, name), "utf8");
    // A letter without tasks never reaches the tracker, so it could not show a delivery lost.
    const tasks = extractFromText(text).tasks.length;
    if (tasks > 0) samples.push({ text, tasks });
  }
  if (!samples.length) throw new Error(`no letter with tasks in ${SHARED_LETTERS}`);
  return Array.from({ length: count }, (_, i) => {
    const sample = samples[i % samples.length]!;
    const bytes = Buffer.from(`${sample.text}\n\n(bản sao số ${i} ${salt})\n`);
    return { name: `drill-${String(i).padStart(4, "0")}.txt`, bytes, contentHash: FileArea.sha256(bytes), tasks: sample.tasks };
  });
}

/** Drops letters into the inbox: written under a hidden temporary name, then renamed, as a scanner does. */
export class Dropper {
  readonly dropped: DrillLetter[] = [];
  droppedAllAt = 0;

  constructor(
    private readonly inbox: string,
    private readonly letters: DrillLetter[],
  ) {}

  get total(): number {
    return this.letters.length;
  }

  get done(): boolean {
    return this.dropped.length === this.letters.length;
  }

  /** Drops the whole batch evenly over `spanMs`. */
  async dropOver(spanMs: number): Promise<void> {
    const start = Date.now();
    const every = spanMs / this.letters.length;
    for (let i = this.dropped.length; i < this.letters.length; i++) {
      const due = start + i * every - Date.now();
      if (due > 0) await sleep(due);
      await this.drop(this.letters[i]!);
    }
    this.droppedAllAt = Date.now();
  }

  private async drop(letter: DrillLetter): Promise<void> {
    const temp = join(this.inbox, `.${letter.name}.part`);
    await writeFile(temp, letter.bytes);
    await rename(temp, join(this.inbox, letter.name));
    this.dropped.push(letter);
  }
}
