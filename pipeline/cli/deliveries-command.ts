import { ConfigError, loadConfig } from "../config.ts";
import { createRuntime } from "../runtime.ts";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CommandIO } from "./io.ts";

/**
 * `vanthu deliveries list [--status S]` and `vanthu deliveries replay <id|--failed-since T>`:
 * operators see failed deliveries and send them again (a new attempt with a
 * fresh timestamp and signature, the same webhook-id).
 */
export async function runDeliveries(
  action: "list" | "replay",
  options: { id?: string; failedSince?: string; status?: string; json?: boolean },
  io: CommandIO,
): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env, { "watcher.enabled": false });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`vanthu: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (action === "replay" && !options.id && !options.failedSince) {
    io.stderr("vanthu: deliveries replay needs a delivery id or --failed-since <ISO time>\n");
    return EXIT_USAGE;
  }
  if (options.failedSince && Number.isNaN(Date.parse(options.failedSince))) {
    io.stderr(`vanthu: --failed-since ${options.failedSince} is not a date (use ISO 8601, e.g. 2026-11-20T08:00:00+07:00)\n`);
    return EXIT_USAGE;
  }
  const runtime = await createRuntime(config);
  try {
    const outbox = runtime.store.outbox;
    if (action === "list") {
      const status = options.status as "pending" | "delivered" | "failed" | "cancelled" | undefined;
      const items = await outbox.listDeliveries({ ...(status ? { status } : {}), limit: 500 });
      if (options.json) io.stdout(JSON.stringify(items.map(({ payload: _payload, ...rest }) => rest), null, 2) + "\n");
      else for (const d of items) io.stdout(`${d.id}  ${d.status.padEnd(9)} ${d.endpointId.padEnd(12)} ${d.eventType.padEnd(17)} attempts ${d.attempts}  ${d.lastError ?? ""}\n`);
      return EXIT_OK;
    }
    const targets = options.id
      ? [options.id]
      : (await outbox.listDeliveries({ status: "failed", updatedSince: new Date(options.failedSince!).toISOString(), limit: 10_000 })).map((d) => d.id);
    let replayed = 0;
    for (const id of targets) {
      if (await runtime.services.replayDelivery(id)) replayed++;
      else io.stderr(`vanthu: delivery ${id} was not replayed (unknown, or still pending)\n`);
    }
    // Without Redis the replay runs in this process: wait for the attempts to finish before exiting.
    if (runtime.queues.kind === "in-process" && replayed) {
      await runtime.startWorkers();
      await new Promise((r) => setTimeout(r, 200));
      await runtime.queues.idle();
    }
    io.stdout(`${replayed} replayed\n`);
    return options.id && !replayed ? EXIT_FAILED : EXIT_OK;
  } finally {
    await runtime.stop();
  }
}
