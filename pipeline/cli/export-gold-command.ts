import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GoldDocumentSchema, type GoldDocument } from "../../schemas/review.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { initialReview, toGold } from "../review/draft.ts";
import { createStore } from "../store/kysely-store.ts";
import type { Store } from "../store/types.ts";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CommandIO } from "./io.ts";

/**
 * `vanthu export-gold <id | --since T> [--out DIR]`: what a reviewer
 * approved, in the shape of the shared gold files (extraction-contract.md:
 * `{ document, references, tasks }` with the contract's field names), so a
 * corrected letter becomes a regression test. The extraction plus the
 * corrections as approved; a document approved without the review page
 * (API, auto-approval) gives its extraction with the approved tasks.
 *
 * With --out: one `<DIR>/<document id>.json` per document (the id, never the
 * uploaded file name, makes the path). Without: pretty JSON on stdout for one
 * document, JSON Lines `{"id": ..., "gold": ...}` for several.
 */
export interface ExportGoldOptions {
  id?: string;
  since?: string;
  out?: string;
}

export async function runExportGold(options: ExportGoldOptions, io: CommandIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!options.id === !options.since) {
    io.stderr("vanthu: export-gold needs a document id or --since <time>, not both\n");
    return EXIT_USAGE;
  }
  if (options.since !== undefined && Number.isNaN(new Date(options.since).getTime())) {
    io.stderr(`vanthu: --since: not a date: ${options.since}\n`);
    return EXIT_USAGE;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`vanthu: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const store = await createStore({ dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}) });
  try {
    await store.migrate();
    let exports: { id: string; gold: GoldDocument }[];
    if (options.id) {
      const gold = await approvedGold(store, options.id);
      if (typeof gold === "string") {
        io.stderr(`vanthu: ${gold}\n`);
        return EXIT_FAILED;
      }
      exports = [{ id: options.id, gold }];
    } else {
      const records = await store.review.approvedSince(new Date(options.since!).toISOString());
      exports = records.map((r) => ({ id: r.documentId, gold: GoldDocumentSchema.parse(toGold(r.approved!.data)) }));
    }
    if (options.out) {
      await mkdir(options.out, { recursive: true });
      for (const e of exports) await writeFile(join(options.out, `${e.id}.json`), `${JSON.stringify(e.gold, null, 2)}\n`);
      io.stderr(`${exports.length} written to ${options.out}\n`);
    } else if (options.id) {
      io.stdout(`${JSON.stringify(exports[0]!.gold, null, 2)}\n`);
    } else {
      for (const e of exports) io.stdout(`${JSON.stringify(e)}\n`);
      io.stderr(`${exports.length} exported\n`);
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

/** The gold of one approved document, or why there is none. */
export async function approvedGold(store: Store, id: string): Promise<GoldDocument | string> {
  const document = await store.getDocument(id);
  if (!document) return `no document ${id}`;
  const record = await store.review.get(id);
  if (record?.approved) return GoldDocumentSchema.parse(toGold(record.approved.data));
  const [latest, tasks] = await Promise.all([store.latestExtraction(id), store.outbox.tasks(id)]);
  if (!latest || !tasks.some((t) => t.status === "active")) return `document ${id} has not been approved (it is ${document.state})`;
  return GoldDocumentSchema.parse(toGold(initialReview(latest, tasks)));
}
