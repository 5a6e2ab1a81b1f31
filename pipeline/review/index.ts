import { randomBytes } from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../services.ts";
import { HttpError, sendProblem } from "../server/errors.ts";
import { readAsset, loadAssets } from "./assets.ts";
import { logoutRoute, loginRoutes, type AuthDeps } from "./auth-routes.ts";
import { contextOf } from "./context.ts";
import { loadReviewDirectory } from "./directory.ts";
import { documentRoutes } from "./document-routes.ts";
import { inboxRoutes } from "./inbox.ts";
import { errorPage } from "./layout.ts";
import { LoginRateLimiter } from "./rate-limit.ts";
import { csrfValid, SessionManager } from "./sessions.ts";

/**
 * The review page at /review: reviewers sign in, see the documents by state,
 * correct a letter's fields and tasks beside its original, and approve,
 * reject or (admins) re-run it. Off until a reviewer account is configured
 * (VANTHU_REVIEWERS): then no route exists at all.
 *
 * Roles: a reviewer edits, approves and rejects; an admin also re-runs
 * extraction and sends failed deliveries again, the two actions that redo
 * work of the pipeline rather than decide about one letter.
 *
 * Security: every page is rendered by html.ts (escaped by default) under a
 * CSP that allows scripts, styles, workers and fetches from this origin
 * only; every route but sign-in and the static assets needs a session;
 * every state change needs the session's CSRF token and a same-origin request.
 */
export const REVIEW_PREFIX = "/review";

export const REVIEW_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // pdf.js paints pages on canvases and may hand images over as blob: URLs.
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const FORM_BODY_LIMIT = 64 * 1024;

export async function reviewRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { config, logger, store } = opts.services;
  const accounts = config.review.reviewers;
  if (accounts.length === 0) {
    logger.info("review page off: no reviewer accounts configured (VANTHU_REVIEWERS)");
    return;
  }
  let secret = config.review.sessionSecret;
  if (!secret) {
    logger.warn("VANTHU_SESSION_SECRET is not set: sessions are signed with a random key of this process and end when it stops");
    secret = randomBytes(32).toString("base64url");
  }
  const sessions = new SessionManager({ store: store.review, secret, secureCookies: config.review.secureCookies, ttlMs: config.review.sessionHours * 3600_000 });
  const auth: AuthDeps = { accounts, sessions, limiter: new LoginRateLimiter() };
  const [assets, directory] = await Promise.all([loadAssets(), loadReviewDirectory(config.orgDirectory)]);

  await app.register(
    async (review) => {
      review.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });
      review.addHook("onRequest", async (request) => {
        contextOf(request);
      });
      // Runs after the server's own onSend (a parent's hooks run first), so this CSP replaces the API's,
      // except on routes that serve a document's bytes: those keep the API's sandboxing policy.
      review.addHook("onSend", async (request, reply, payload) => {
        if (!(request.routeOptions.config as { sandboxed?: boolean } | undefined)?.sandboxed) reply.header("content-security-policy", REVIEW_CSP);
        return payload;
      });
      review.setErrorHandler(handleError);
      review.setNotFoundHandler((request, reply) => sendError(request, reply, 404, "not_found", contextOf(request).t("error.notFound")));

      review.get("/assets/*", async (request, reply) => {
        const asset = await readAsset(assets, (request.params as { "*": string })["*"]);
        if (!asset) throw new HttpError(404, "not_found", "no such asset");
        return reply.type(asset.type).header("cache-control", "public, max-age=300").send(asset.bytes);
      });
      loginRoutes(review, auth);

      await review.register(async (signedIn) => {
        signedIn.addHook("onRequest", async (request, reply) => {
          const session = await sessions.current(request);
          if (session) {
            contextOf(request).session = session;
            return;
          }
          if (request.method === "GET" && !wantsJson(request)) return reply.redirect(`/review/login?next=${encodeURIComponent(request.url)}`, 303);
          return sendProblem(reply, 401, "unauthorized", "sign in at /review/login");
        });
        signedIn.addHook("preHandler", async (request, reply) => {
          if (!UNSAFE_METHODS.has(request.method)) return;
          const session = contextOf(request).session!;
          if (crossSite(request) || !csrfValid(session, request)) return sendError(request, reply, 403, "csrf", contextOf(request).t("error.csrf"));
        });
        logoutRoute(signedIn, auth);
        inboxRoutes(signedIn, { services: opts.services });
        documentRoutes(signedIn, { services: opts.services, directory });
      });
    },
    { prefix: REVIEW_PREFIX },
  );
}

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? "";
  const type = request.headers["content-type"] ?? "";
  return accept.includes("application/json") || type.startsWith("application/json");
}

/** A request another site made the browser send (Origin or Sec-Fetch-Site say so). */
function crossSite(request: FastifyRequest): boolean {
  const site = request.headers["sec-fetch-site"];
  if (typeof site === "string" && site !== "same-origin" && site !== "none") return true;
  const origin = request.headers.origin;
  if (typeof origin !== "string" || origin === "" || origin === "null") return origin === "null";
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  if (wantsJson(request)) return sendProblem(reply, status, code, message);
  return reply.code(status).type("text/html; charset=utf-8").send(errorPage(contextOf(request), request.url, message).value);
}

function handleError(error: FastifyError | HttpError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { t } = contextOf(request);
  if (error instanceof HttpError) {
    const message = error.statusCode === 404 ? t("error.notFound") : error.statusCode === 403 ? t("error.forbidden") : error.message;
    if (wantsJson(request)) return sendProblem(reply, error.statusCode, error.code, error.message, error.extra);
    return sendError(request, reply, error.statusCode, error.code, message);
  }
  const status = (error as FastifyError).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) return sendError(request, reply, status, "bad_request", error.message);
  request.log.error({ err: error }, "review request failed");
  return sendError(request, reply, 500, "internal", t("error.internal", { id: String(request.id) }));
}
