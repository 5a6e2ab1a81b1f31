import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { alignRows } from "../../pipeline/cli/format-table.ts";
import type { DrillResult } from "./harness.ts";

/** The drill's table on stdout and its JSON in bench-results/drill.json. */
const seconds = (ms: number | null) => (ms === null ? "-" : `${(ms / 1000).toFixed(1)} s`);

export function formatTable(results: DrillResult[]): string {
  const header = ["drill", "letters", "accepted", "extracted", "delivered", "failed", "lost", "dup", "redeliv", "webhooks", "resume", "all done", "stall", "result"];
  const rows = results.map((r) => {
    const f = r.figures;
    const n = (v: number | undefined) => (v === undefined ? "-" : String(v));
    return [
      r.name,
      n(f?.letters),
      n(f?.accepted),
      n(f?.extracted),
      n(f?.delivered),
      n(f?.failed),
      n(f?.lost),
      n(f?.duplicates),
      n(f?.redeliveries),
      n(f?.webhooks),
      seconds(r.recovery.resumeMs),
      seconds(r.recovery.allDoneMs),
      seconds(r.recovery.longestStallMs),
      r.status.toUpperCase(),
    ];
  });
  const lines = alignRows([header, ...rows]);
  lines.push(
    "",
    "resume: from the fault's end to the first progress of the kind it stopped (work: extraction or delivery; deliveries; intake: letters leaving the folder)",
    "all done: from the fault's end to every letter taken, recorded and settled; stall: longest time without that progress from the fault's start",
  );
  for (const r of results) {
    lines.push("", `${r.name}: ${r.description} (${seconds(r.durationMs)}; progress measured: ${r.recovery.measure})`);
    if (r.fault) lines.push(`  fault: ${r.fault.fault}; ${Object.entries(r.fault.details).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join("/") || "none" : v}`).join(", ")}`);
    if (r.figures) {
      const f = r.figures;
      lines.push(`  extractions resumed after a crash ${f.extractionsResumed}, extracted twice ${f.extractedTwice}, archived ${f.archived}, left in inbox ${f.leftInInbox}, stray temp files ${f.strayTempFiles}, invalid signatures ${f.invalidSignatures}, unknown webhook-ids ${f.unknownWebhooks}`);
    }
    for (const p of r.problems) lines.push(`  PROBLEM: ${p}`);
  }
  return `${lines.join("\n")}\n`;
}

export async function writeReport(path: string, report: { startedAt: string; options: Record<string, unknown>; results: DrillResult[] }): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(report, null, 2) + "\n");
}
