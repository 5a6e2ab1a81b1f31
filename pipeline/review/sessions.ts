import { createHash, randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ReviewerAccount, ReviewerRole } from "../../schemas/review.ts";
import type { ReviewStore } from "../store/review-types.ts";
import { clearCookie, readCookie, setCookie, signValue, tokensEqual, unsignValue } from "./cookies.ts";

/**
 * Reviewer sessions. The cookie carries a random 256-bit id, signed with the
 * session secret; the store keeps only the id's SHA-256 with the user, role,
 * CSRF token and expiry, so logout ends the session everywhere. The cookie
 * is HttpOnly, SameSite=Strict, Path=/review, and Secure over https (or
 * always, when configured so behind a TLS-terminating proxy).
 *
 * CSRF: a synchronizer token, random per session, kept server-side. Every
 * POST/PUT/PATCH/DELETE must send it (form field `_csrf` or header
 * X-CSRF-Token). The sign-in form, which has no session yet, carries a token
 * tied to a short-lived signed cookie instead (double submit).
 */
export const SESSION_COOKIE = "vanthu_session";
export const LOGIN_COOKIE = "vanthu_login";
const LOGIN_FORM_SECONDS = 30 * 60;

export interface Session {
  user: string;
  role: ReviewerRole;
  csrfToken: string;
  expiresAt: string;
  idHash: string;
}

export interface SessionOptions {
  store: ReviewStore;
  secret: string;
  secureCookies: "auto" | "always" | "never";
  ttlMs: number;
  now?: () => Date;
}

const hashId = (id: string) => createHash("sha256").update(id).digest("hex");
const token = () => randomBytes(32).toString("base64url");

export class SessionManager {
  readonly #options: SessionOptions;
  readonly #now: () => Date;

  constructor(options: SessionOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  secure(request: FastifyRequest): boolean {
    const mode = this.#options.secureCookies;
    return mode === "always" || (mode === "auto" && request.protocol === "https");
  }

  async start(request: FastifyRequest, reply: FastifyReply, account: Pick<ReviewerAccount, "user" | "role">): Promise<Session> {
    // A session id from before sign-in is never reused (session fixation): the old one ends, a new one is made.
    await this.#forget(request);
    const id = token();
    const now = this.#now();
    const session = { user: account.user, role: account.role, csrfToken: token(), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + this.#options.ttlMs).toISOString() };
    await this.#options.store.createSession(hashId(id), session);
    setCookie(reply, SESSION_COOKIE, signValue(this.#options.secret, id), { secure: this.secure(request), maxAgeSeconds: this.#options.ttlMs / 1000 });
    clearCookie(reply, LOGIN_COOKIE, this.secure(request));
    // Expired rows are swept at sign-in: rare enough to cost nothing, often enough to keep the table small.
    await this.#options.store.deleteExpiredSessions(now.toISOString());
    return { ...session, idHash: hashId(id) };
  }

  async current(request: FastifyRequest): Promise<Session | null> {
    const id = unsignValue(this.#options.secret, readCookie(request, SESSION_COOKIE));
    if (!id) return null;
    const idHash = hashId(id);
    const session = await this.#options.store.getSession(idHash, this.#now().toISOString());
    return session ? { user: session.user, role: session.role, csrfToken: session.csrfToken, expiresAt: session.expiresAt, idHash } : null;
  }

  async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await this.#forget(request);
    clearCookie(reply, SESSION_COOKIE, this.secure(request));
  }

  /** Deletes the request's session from the store, so its cookie is worthless wherever it is kept. */
  async #forget(request: FastifyRequest): Promise<void> {
    const id = unsignValue(this.#options.secret, readCookie(request, SESSION_COOKIE));
    if (id) await this.#options.store.deleteSession(hashId(id));
  }

  /** The CSRF token the sign-in form carries; its cookie twin is signed so it cannot be planted. */
  loginFormToken(request: FastifyRequest, reply: FastifyReply): string {
    const existing = unsignValue(this.#options.secret, readCookie(request, LOGIN_COOKIE));
    if (existing) return existing;
    const value = token();
    setCookie(reply, LOGIN_COOKIE, signValue(this.#options.secret, value), { secure: this.secure(request), maxAgeSeconds: LOGIN_FORM_SECONDS });
    return value;
  }

  loginFormTokenValid(request: FastifyRequest, presented: string | undefined): boolean {
    return tokensEqual(unsignValue(this.#options.secret, readCookie(request, LOGIN_COOKIE)), presented);
  }
}

/** The CSRF token a state-changing request presents: header (fetch) or form field. */
export function presentedCsrfToken(request: FastifyRequest): string | undefined {
  const header = request.headers["x-csrf-token"];
  if (typeof header === "string" && header) return header;
  const body = request.body as Record<string, unknown> | null | undefined;
  const field = body && typeof body === "object" ? (body as { _csrf?: unknown })._csrf : undefined;
  return typeof field === "string" ? field : undefined;
}

export function csrfValid(session: Session, request: FastifyRequest): boolean {
  return tokensEqual(session.csrfToken, presentedCsrfToken(request));
}
