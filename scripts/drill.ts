/**
 * `npm run drill`: crash and outage drills of the distributed pipeline, on
 * loopback only, each bounded by a deadline. Every drill runs in an
 * environment of its own (private redis-server, fresh PostgreSQL database,
 * `vanthu worker` processes, a signature-checking tracker) and reports
 * letters accepted, extracted, delivered, lost (must be 0), duplicate tasks
 * after dedupe by webhook-id (must be 0), redeliveries and recovery times.
 * Prints a table, writes bench-results/drill.json, exits 1 if any drill failed.
 *
 *   npm run drill                          all drills (under 10 minutes)
 *   npm run drill -- --quick               small batches, a smoke run
 *   npm run drill -- --only worker-kills   one drill (repeatable, or comma-separated)
 *   npm run drill -- --seed 42             replay the same kill moments
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cleanupOnExit } from "./drill/cleanup.ts";
import { DEFAULT_LOG_DIR, runScenario, type DrillResult } from "./drill/harness.ts";
import { root } from "./drill/processes.ts";
import { formatTable, writeReport } from "./drill/report.ts";
import { scenarios } from "./drill/scenarios/index.ts";

const USAGE = "usage: npm run drill -- [--quick] [--only <drill>[,<drill>]] [--seed <n>] [--out <file.json>]";

function options() {
  try {
    const { values } = parseArgs({
      options: {
        quick: { type: "boolean", default: false },
        only: { type: "string", multiple: true, default: [] },
        seed: { type: "string" },
        out: { type: "string", default: join(root, "bench-results", "drill.json") },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    return values;
  } catch (error) {
    console.error(`drill: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const args = options();
const all = scenarios(args.quick);
if (args.help) {
  console.log(`${USAGE}\ndrills: ${all.map((s) => s.name).join(", ")}`);
  process.exit(0);
}
const only = args.only.flatMap((o) => o.split(",")).map((o) => o.trim()).filter(Boolean);
const unknown = only.filter((name) => !all.some((s) => s.name === name));
if (unknown.length) {
  console.error(`drill: no drill named ${unknown.join(", ")}; the drills are ${all.map((s) => s.name).join(", ")}`);
  process.exit(2);
}
const seed = args.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(args.seed);
if (!Number.isInteger(seed)) {
  console.error(`drill: --seed must be a whole number, got ${args.seed}\n${USAGE}`);
  process.exit(2);
}

cleanupOnExit();
const selected = only.length ? all.filter((s) => only.includes(s.name)) : all;
const startedAt = new Date();
console.error(`drill: ${selected.map((s) => s.name).join(", ")}${args.quick ? " (quick)" : ""}, seed ${seed}`);
const results: DrillResult[] = [];
for (const spec of selected) {
  const result = await runScenario(spec, { seed, logDir: DEFAULT_LOG_DIR });
  console.error(`[${spec.name}] ${result.status.toUpperCase()} in ${(result.durationMs / 1000).toFixed(0)} s`);
  results.push(result);
}
const totalMs = Date.now() - startedAt.getTime();
process.stdout.write(`\n${formatTable(results)}\ntotal ${(totalMs / 1000).toFixed(0)} s\n`);
await writeReport(args.out, { startedAt: startedAt.toISOString(), options: { quick: args.quick, only, seed, totalMs, node: process.version }, results });
console.error(`drill: report written to ${args.out}`);
process.exit(results.every((r) => r.status !== "failed") ? 0 : 1);
