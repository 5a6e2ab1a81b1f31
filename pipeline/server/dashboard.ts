import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Queue } from "bullmq";
import type { Services } from "../services.ts";
import { requireDashboardAuth } from "./auth.ts";
import { sendProblem } from "./errors.ts";

/**
 * The BullMQ dashboard (bull-board) at /admin/queues, behind HTTP Basic
 * (user "admin", an API key as the password: a browser can only send that)
 * or the API-key headers. Without Redis the jobs run in-process and there is
 * no BullMQ queue to show: a short page says so.
 *
 * Browsers resend Basic credentials on cross-site requests, so the
 * dashboard's state-changing calls (retry, clean, pause) must come from its
 * own pages: a request whose Origin or Sec-Fetch-Site says another site is
 * refused (CSRF).
 */

export const DASHBOARD_PREFIX = "/admin/queues";

export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const IN_PROCESS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vanthu queues</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>vanthu queues</h1>
<p>Jobs run in-process (no Redis is configured), so there are no BullMQ queues to show here.</p>
<p>Set <code>REDIS_URL</code> to run the queues on Redis; <code>vanthu status</code> and <code>/metrics</code> show the in-process job counts.</p>
</body></html>`;

export async function dashboardRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  app.addHook("onRequest", requireDashboardAuth(opts.services.config.http.apiKeys));
  app.addHook("onRequest", refuseCrossSite);

  const queues = opts.services.queues.dashboardQueues() as Queue[];
  if (queues.length === 0) {
    app.get(DASHBOARD_PREFIX, async (_request, reply) => reply.type("text/html; charset=utf-8").send(IN_PROCESS_PAGE));
    return;
  }

  // Loaded only when there is something to show: the UI package is large and in-process setups never need it.
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
    import("@bull-board/api"),
    import("@bull-board/api/bullMQAdapter"),
    import("@bull-board/fastify"),
  ]);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PREFIX);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: "vanthu" } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PREFIX });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

async function refuseCrossSite(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (SAFE_METHODS.has(request.method)) return undefined;
  const site = request.headers["sec-fetch-site"];
  const origin = request.headers.origin;
  let crossOrigin = false;
  if (typeof origin === "string" && origin !== "") {
    try {
      crossOrigin = new URL(origin).host !== request.headers.host;
    } catch {
      crossOrigin = true;
    }
  }
  if ((typeof site === "string" && site !== "same-origin" && site !== "none") || crossOrigin) {
    return sendProblem(reply, 403, "cross_site", "dashboard actions are accepted only from the dashboard's own pages");
  }
  return undefined;
}
