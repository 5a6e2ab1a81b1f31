import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Services } from "../services.ts";
import { packageVersion } from "../cli/version.ts";
import { DASHBOARD_CSP, DASHBOARD_PREFIX, dashboardRoutes } from "./dashboard.ts";
import { documentRoutes } from "./documents.ts";
import { deliveryRoutes } from "./delivery-routes.ts";
import { installErrorHandlers } from "./errors.ts";
import { openApiDocument } from "./openapi.ts";
import { createMetrics, opsRoutes } from "./ops.ts";
import { API_PREFIX } from "./schemas.ts";
import { uploadRoutes } from "./upload.ts";
import { reviewRoutes } from "../review/index.ts";

/**
 * The HTTP server: the ingest and document API under /api/v1 (API key), its
 * OpenAPI document, health, readiness and metrics, and the queue dashboard.
 * Built, not started: the caller listens (see listen.ts), tests inject.
 *
 * Logging goes through the services' pino logger with fastify's request
 * serializer (method, URL, remote address: no headers, no bodies), so API
 * keys and letters never reach the log.
 */
export async function buildServer(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    // Typed as fastify's base logger so the instance is a plain FastifyInstance for plugins and callers.
    loggerInstance: services.logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    // The default 1 MiB JSON limit stays for everything but uploads, which set their own.
    bodyLimit: 1024 * 1024,
    // Not behind a proxy by default: X-Forwarded-For is not believed.
    trustProxy: false,
    return503OnClosing: true,
  });

  installErrorHandlers(app);
  const metrics = createMetrics(services);

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onSend", async (request, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    reply.header("referrer-policy", "no-referrer");
    reply.header("cross-origin-resource-policy", "same-origin");
    const dashboard = request.url === DASHBOARD_PREFIX || request.url.startsWith(`${DASHBOARD_PREFIX}/`) || request.url.startsWith(`${DASHBOARD_PREFIX}?`);
    // The API answers JSON and files: nothing of it should ever run as a page. The dashboard needs its own scripts.
    reply.header("content-security-policy", dashboard ? DASHBOARD_CSP : "default-src 'none'; frame-ancestors 'none'; sandbox");
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observe(request, reply);
  });

  const document = openApiDocument(packageVersion());
  // Serialised once: the document is static, and fastify would otherwise stringify it on every request.
  const documentJson = JSON.stringify(document);
  app.get(`${API_PREFIX}/openapi.json`, async (_request, reply) => reply.type("application/json; charset=utf-8").send(documentJson));

  await app.register(opsRoutes, { services, metrics });
  await app.register(uploadRoutes, { services });
  await app.register(documentRoutes, { services });
  await app.register(deliveryRoutes, { services });
  await app.register(dashboardRoutes, { services });
  await app.register(reviewRoutes, { services });

  await app.ready();
  return app;
}
