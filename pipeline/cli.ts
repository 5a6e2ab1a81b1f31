/**
 * The `vanthu` command line: commander wiring only. Each command lives in
 * ./cli/ as a function taking options and writers and returning an exit code.
 */
import { Command, CommanderError, Option } from "commander";
import { runExtract, OUTPUT_FORMATS } from "./cli/extract-command.ts";
import { EXIT_USAGE, type CommandIO } from "./cli/io.ts";
import { terminalProgress } from "./cli/progress.ts";
import { DEFAULT_SCHEMA_NAME, runSchema } from "./cli/schema-command.ts";
import { packageVersion } from "./cli/version.ts";
import { PUBLISHED_SCHEMA_NAMES } from "../schemas/json-schema.ts";

const io: CommandIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

// `vanthu extract ... | head`: stop quietly when the reader goes away.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const program = new Command()
  .name("vanthu")
  .description("Reads Vietnamese official letters (công văn) and extracts their fields and tasks.")
  .version(packageVersion(), "-V, --version", "print the version")
  .helpOption("-h, --help", "show help")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

program
  .command("extract")
  .description("extract the fields and tasks of each letter")
  .argument("<files...>", "letters to read (format detected from content, not the extension)")
  .option("-o, --out <dir>", "write <dir>/<name>.json per file (name: base name without its extension)")
  .addOption(new Option("-f, --format <format>", "stdout format").choices(OUTPUT_FORMATS).default("json"))
  .addHelpText(
    "after",
    `
Output:
  --out DIR          one pretty JSON file per letter in DIR; nothing on stdout (json format).
                     Two inputs with the same output name in one run: the second is an error.
  no --out, 1 file   the extraction as pretty JSON on stdout.
  no --out, N files  JSON Lines on stdout, one object per line per extracted file:
                     {"file": "<path as given>", "extraction": {...}}
  --format table     a short summary per file on stdout instead of JSON
                     (with --out the JSON files are still written).

Errors:
  A file that cannot be read or extracted is reported as one line on stderr and the others go on:
    vanthu: cannot read <file>: <code>: <reason>
  codes: the extractor's (unsupported_format, empty_file, unsupported_encoding, ...), not_found,
  is_a_directory, permission_denied, io_error, duplicate_output, write_failed, internal_error.
  With several files a final "N extracted, M failed" line goes to stderr; a progress bar is shown
  on stderr only when it is a terminal. Set VANTHU_DEBUG=1 to print stacks of internal errors.

Exit status: 0 all files extracted, 1 some file failed, 2 bad command line.`,
  )
  .action(async (files: string[], options: { out?: string; format?: string }) => {
    process.exitCode = await runExtract(files, options, {
      ...io,
      ...(process.stderr.isTTY ? { progress: terminalProgress(process.stderr) } : {}),
      debug: Boolean(process.env.VANTHU_DEBUG),
    });
  });

program
  .command("schema")
  .description("print the JSON Schema of vanthu's output")
  .argument("[name]", `schema name: ${PUBLISHED_SCHEMA_NAMES.join(", ")}`, DEFAULT_SCHEMA_NAME)
  .action((name: string) => {
    process.exitCode = runSchema(name, io);
  });

program
  .command("run")
  .description("run the pipeline: watched folder, HTTP API and extraction workers in one process")
  .option("--until-idle", "stop once the inbox is empty and every letter is extracted (batch runs)")
  .option("--no-http", "do not start the HTTP server")
  .option("--no-watch", "do not watch the inbox folder")
  .addHelpText(
    "after",
    `
Without REDIS_URL jobs run in this process; without DATABASE_URL the store is an SQLite file
in VANTHU_DATA_DIR (default ./.vanthu). Drop letters into VANTHU_INBOX (default <data dir>/inbox).`,
  )
  .action(async (options: { untilIdle?: boolean; http?: boolean; watch?: boolean }) => {
    const { runPipeline } = await import("./cli/pipeline-commands.ts");
    process.exitCode = await runPipeline(options, io);
  });

program
  .command("worker")
  .description("run extraction workers only, sharing the work of `vanthu run` through REDIS_URL and DATABASE_URL")
  .action(async () => {
    const { runWorker } = await import("./cli/pipeline-commands.ts");
    process.exitCode = await runWorker(io);
  });

program
  .command("status")
  .description("documents by state and queue counts")
  .option("--json", "print JSON")
  .action(async (options: { json?: boolean }) => {
    const { runStatus } = await import("./cli/pipeline-commands.ts");
    process.exitCode = await runStatus(options, io);
  });

program
  .command("requeue")
  .description("send failed documents back to extraction")
  .argument("[id]", "a document id")
  .option("--failed", "every failed document")
  .action(async (id: string | undefined, options: { failed?: boolean }) => {
    const { runRequeue } = await import("./cli/pipeline-commands.ts");
    process.exitCode = await runRequeue({ ...(id ? { id } : {}), ...(options.failed ? { failed: true } : {}) }, io);
  });

const deliveries = program.command("deliveries").description("webhook deliveries to the task tracker");
deliveries
  .command("list")
  .description("list deliveries")
  .option("--status <status>", "pending, delivered, failed or cancelled")
  .option("--json", "print JSON")
  .action(async (options: { status?: string; json?: boolean }) => {
    const { runDeliveries } = await import("./cli/deliveries-command.ts");
    process.exitCode = await runDeliveries("list", options, io);
  });
deliveries
  .command("replay")
  .description("send deliveries again: a new attempt with a fresh timestamp and signature, the same webhook-id")
  .argument("[id]", "a delivery id")
  .option("--failed-since <time>", "every delivery that failed since this ISO 8601 time")
  .action(async (id: string | undefined, options: { failedSince?: string }) => {
    const { runDeliveries } = await import("./cli/deliveries-command.ts");
    process.exitCode = await runDeliveries("replay", { ...(id ? { id } : {}), ...options }, io);
  });

program
  .command("export-gold")
  .description("write reviewed (approved) documents in the shape of the shared gold files")
  .argument("[id]", "a document id")
  .option("--since <time>", "every document approved on the review page at or after this time (ISO 8601)")
  .option("-o, --out <dir>", "write <dir>/<document id>.json per document (default: JSON on stdout)")
  .action(async (id: string | undefined, options: { since?: string; out?: string }) => {
    const { runExportGold } = await import("./cli/export-gold-command.ts");
    process.exitCode = await runExportGold({ ...(id ? { id } : {}), ...options }, io);
  });

program
  .command("hash-password")
  .description("print the scrypt hash of a reviewer's password (read from standard input) for VANTHU_REVIEWERS")
  .option("--user <name>", "print a whole account entry for this user")
  .option("--role <role>", "reviewer or admin (with --user)", "reviewer")
  .action(async (options: { user?: string; role?: string }) => {
    const { runHashPassword } = await import("./review/hash-password-command.ts");
    process.exitCode = await runHashPassword(options, io);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // commander has printed the message; help and --version exit 0, usage errors 2.
  process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
}
