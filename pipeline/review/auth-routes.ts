import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ReviewerAccount } from "../../schemas/review.ts";
import { contextOf } from "./context.ts";
import { setCookie } from "./cookies.ts";
import { html } from "./html.ts";
import { LANG_COOKIE, isLang } from "./i18n/index.ts";
import { page } from "./layout.ts";
import { verifyPassword } from "./password.ts";
import type { LoginRateLimiter } from "./rate-limit.ts";
import type { SessionManager } from "./sessions.ts";

/**
 * Sign-in, sign-out and the language switch. Sign-in answers the same for
 * an unknown user and a wrong password, in the same time (verifyPassword
 * checks a decoy hash), and counts failures per user and address.
 */
export interface AuthDeps {
  accounts: readonly ReviewerAccount[];
  sessions: SessionManager;
  limiter: LoginRateLimiter;
}

/** Where to go after sign-in or a language switch: only a path of the review page, never another site. */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/review") || next.startsWith("//") || /[\\\r\n]/.test(next)) return "/review";
  return next;
}

export function loginRoutes(app: FastifyInstance, deps: AuthDeps): void {
  app.get("/login", async (request, reply) => {
    const query = request.query as { next?: string; out?: string };
    if (await deps.sessions.current(request)) return reply.redirect(safeNext(query.next), 303);
    return sendLogin(request, reply, deps, { next: safeNext(query.next), notice: query.out ? "out" : null, status: 200 });
  });

  app.post("/login", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const user = typeof body.user === "string" ? body.user.trim() : "";
    const password = typeof body.password === "string" ? body.password : "";
    const next = safeNext(body.next);
    if (!deps.sessions.loginFormTokenValid(request, typeof body._csrf === "string" ? body._csrf : undefined)) {
      return sendLogin(request, reply, deps, { next, notice: "expired", status: 403, user });
    }
    const wait = deps.limiter.retryAfter(user, request.ip);
    if (wait > 0) {
      reply.header("retry-after", String(wait));
      return sendLogin(request, reply, deps, { next, notice: "tooMany", status: 429, user, wait });
    }
    const account = deps.accounts.find((a) => a.user === user) ?? null;
    const valid = await verifyPassword(password, account?.passwordHash ?? null);
    if (!account || !valid) {
      deps.limiter.fail(user, request.ip);
      request.log.warn({ user: user.slice(0, 100) }, "review sign-in failed");
      return sendLogin(request, reply, deps, { next, notice: "failed", status: 401, user });
    }
    deps.limiter.succeed(user, request.ip);
    await deps.sessions.start(request, reply, account);
    request.log.info({ user: account.user, role: account.role }, "review sign-in");
    return reply.redirect(next, 303);
  });

  app.get<{ Params: { lang: string } }>("/lang/:lang", async (request, reply) => {
    const { lang } = request.params;
    if (isLang(lang)) setCookie(reply, LANG_COOKIE, lang, { secure: deps.sessions.secure(request), maxAgeSeconds: 365 * 24 * 3600 });
    return reply.redirect(safeNext((request.query as { back?: string }).back), 303);
  });
}

/** Behind the auth hook: ending a session is a state change and needs the CSRF token like any other. */
export function logoutRoute(app: FastifyInstance, deps: AuthDeps): void {
  app.post("/logout", async (request, reply) => {
    await deps.sessions.end(request, reply);
    return reply.redirect("/review/login?out=1", 303);
  });
}

interface LoginView {
  next: string;
  notice: "failed" | "tooMany" | "expired" | "out" | null;
  status: number;
  user?: string;
  wait?: number;
}

function sendLogin(request: FastifyRequest, reply: FastifyReply, deps: AuthDeps, view: LoginView): FastifyReply {
  const context = contextOf(request);
  const { t } = context;
  const token = deps.sessions.loginFormToken(request, reply);
  const notice =
    view.notice === "failed"
      ? t("login.failed")
      : view.notice === "tooMany"
        ? t("login.tooMany", { seconds: view.wait ?? 0 })
        : view.notice === "expired"
          ? t("login.expired")
          : view.notice === "out"
            ? t("login.loggedOut")
            : null;
  const body = html`<section class="login">
<h1>${t("login.title")}</h1>
${notice ? html`<p class="${view.notice === "out" ? "notice" : "error"}" role="alert">${notice}</p>` : ""}
<form method="post" action="/review/login">
  <input type="hidden" name="_csrf" value="${token}">
  <input type="hidden" name="next" value="${view.next}">
  <label for="user">${t("login.user")}</label>
  <input id="user" name="user" autocomplete="username" required autofocus value="${view.user ?? ""}">
  <label for="password">${t("login.password")}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${t("login.submit")}</button>
</form>
</section>`;
  return reply.code(view.status).type("text/html; charset=utf-8").send(page(context, { title: t("login.title"), here: request.url, body }).value);
}
