import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { DOCUMENT_STATES } from "../../schemas/document.ts";
import type { Services } from "../services.ts";
import { sendProblem } from "./errors.ts";

/**
 * Operations endpoints: /healthz (the process answers), /readyz (its store
 * and queue backend answer), /metrics (Prometheus).
 *
 * /metrics is open, like /healthz: it carries counts, no document content,
 * and the server listens on 127.0.0.1 unless an operator chose otherwise, so
 * the scraper is inside the network boundary the operator drew. Each server
 * has its own registry for its own metrics (tests build several servers in
 * one process), merged with the process metrics.
 */

const CHECK_TIMEOUT_MS = 2000;

export interface HttpMetrics {
  registry: Registry;
  /** onResponse hook: counts the request and observes its duration by route template, method and status. */
  observe(request: FastifyRequest, reply: FastifyReply): void;
}

// Process metrics (CPU, memory, event loop lag, GC) are per process: collected once, shared by every server.
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: "vanthu_" });
  }
  return processRegistry;
}

export function createMetrics(services: Services): HttpMetrics {
  const own = new Registry();

  new Gauge({
    name: "vanthu_documents",
    help: "Documents by lifecycle state (read from the store at each scrape)",
    labelNames: ["state"],
    registers: [own],
    async collect() {
      try {
        const counts = await services.store.countByState();
        for (const state of DOCUMENT_STATES) this.set({ state }, counts[state] ?? 0);
      } catch (error) {
        // A scrape must not fail because the store is down: /readyz says that; the gauge keeps its last values.
        services.logger.warn({ err: error }, "metrics: could not count documents");
      }
    },
  });

  new Gauge({
    name: "vanthu_queue_jobs",
    help: "Jobs per queue and status (waiting, active, failed, ...)",
    labelNames: ["queue", "status"],
    registers: [own],
    async collect() {
      try {
        const counts = await services.queues.counts();
        this.reset();
        for (const [queue, byStatus] of Object.entries(counts)) {
          for (const [status, n] of Object.entries(byStatus)) this.set({ queue, status }, n);
        }
      } catch (error) {
        services.logger.warn({ err: error }, "metrics: could not count queue jobs");
      }
    },
  });

  const requests = new Counter({
    name: "vanthu_http_requests_total",
    help: "HTTP requests by method, route template and status",
    labelNames: ["method", "route", "status"],
    registers: [own],
  });
  const duration = new Histogram({
    name: "vanthu_http_request_duration_seconds",
    help: "HTTP request duration by method, route template and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [own],
  });

  // merge() copies the metrics registered so far: it comes after ours are created.
  const registry = Registry.merge([processMetrics(), own]);
  return {
    registry,
    observe(request, reply) {
      // The route template, never the raw URL: ids and query strings would make every request a new series.
      const labels = { method: request.method, route: request.routeOptions.url ?? "unmatched", status: String(reply.statusCode) };
      requests.inc(labels);
      duration.observe(labels, reply.elapsedTime / 1000);
    },
  };
}

export async function opsRoutes(app: FastifyInstance, opts: { services: Services; metrics: HttpMetrics }): Promise<void> {
  const { services, metrics } = opts;

  app.get("/healthz", async () => ({ status: "ok" as const }));

  app.get("/readyz", async (_request, reply) => {
    const [store, queues] = await Promise.all([check(() => services.store.ping()), check(() => services.queues.ready())]);
    const checks = { store, queues };
    if (store && queues) return { status: "ready" as const, checks };
    const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([name]) => name);
    return sendProblem(reply, 503, "not_ready", `not ready: ${failed.join(", ")} did not answer`, { checks });
  });

  app.get("/metrics", async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}

/** A dependency check that answers false on an error or after CHECK_TIMEOUT_MS, never hangs the probe. */
async function check(probe: () => Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe().then((ok) => ok === true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
