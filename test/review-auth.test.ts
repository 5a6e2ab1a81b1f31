import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, isPasswordHash, verifyPassword } from "../pipeline/review/password.ts";
import { signValue, tokensEqual, unsignValue } from "../pipeline/review/cookies.ts";
import { LoginRateLimiter } from "../pipeline/review/rate-limit.ts";
import { safeNext } from "../pipeline/review/auth-routes.ts";
import { REVIEW_CSP } from "../pipeline/review/index.ts";
import { runHashPassword } from "../pipeline/review/hash-password-command.ts";
import { ReviewerAccountSchema } from "../schemas/review.ts";
import { Readable } from "node:stream";
import { ADMIN, REVIEWER, cookiesOf, csrfOf, signIn, startReviewHarness, type ReviewHarness } from "./e2e/harness.ts";

/**
 * Sign-in, sessions, CSRF and authorization of the review page, over the
 * real server and store (no workers: nothing here needs an extraction).
 */
const FAST = { N: 2 ** 10, r: 8, p: 1 };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = "application/x-www-form-urlencoded";

describe("password hashing", () => {
  it("hashes with scrypt, a fresh salt each time, and verifies in constant time", async () => {
    const hash = await hashPassword("Mật khẩu đúng", FAST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(isPasswordHash(hash)).toBe(true);
    expect(await hashPassword("Mật khẩu đúng", FAST)).not.toBe(hash);
    expect(await verifyPassword("Mật khẩu đúng", hash)).toBe(true);
    // NFC and NFD spellings of the same Vietnamese password are the same password.
    expect(await verifyPassword("Mật khẩu đúng".normalize("NFD"), hash)).toBe(true);
    expect(await verifyPassword("mật khẩu đúng", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("an unknown user (no hash) and a malformed or too costly hash never verify", async () => {
    expect(await verifyPassword("anything", null)).toBe(false);
    expect(await verifyPassword("x", "plain-text-password")).toBe(false);
    expect(await verifyPassword("x", "scrypt$3$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5")).toBe(false);
    expect(isPasswordHash(`scrypt$${2 ** 24}$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5`)).toBe(false);
    await expect(hashPassword("")).rejects.toThrow(/empty/);
  });
});

describe("vanthu hash-password", () => {
  it("reads the password from standard input and prints a hash, or a whole account entry", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) };
    expect(await runHashPassword({}, io, Readable.from(["mật khẩu\n"]))).toBe(0);
    expect(await verifyPassword("mật khẩu", out[0]!.trim())).toBe(true);
    expect(await runHashPassword({ user: "lan", role: "admin" }, io, Readable.from(["pw\n"]))).toBe(0);
    const account = ReviewerAccountSchema.parse(JSON.parse(out[1]!));
    expect(account).toMatchObject({ user: "lan", role: "admin" });
    expect(await verifyPassword("pw", account.passwordHash)).toBe(true);
    expect(await runHashPassword({ role: "root" }, io, Readable.from(["pw\n"]))).toBe(2);
    expect(await runHashPassword({}, io, Readable.from([""]))).toBe(2);
    expect(err.join("")).toContain("no password given");
  });
});

describe("signed values and tokens", () => {
  it("a signed cookie value survives only unchanged and under the same secret", () => {
    const signed = signValue("secret-a", "session-id");
    expect(unsignValue("secret-a", signed)).toBe("session-id");
    expect(unsignValue("secret-b", signed)).toBeNull();
    expect(unsignValue("secret-a", signed.replace("session-id", "session-ie"))).toBeNull();
    expect(unsignValue("secret-a", "session-id")).toBeNull();
    expect(unsignValue("secret-a", null)).toBeNull();
    expect(tokensEqual("abc", "abc")).toBe(true);
    expect(tokensEqual("abc", "abd")).toBe(false);
    expect(tokensEqual("abc", undefined)).toBe(false);
  });

  it("redirects after sign-in only to the review page itself", () => {
    expect(safeNext("/review/documents/x")).toBe("/review/documents/x");
    for (const bad of ["https://evil.example/", "//evil.example/review", "/api/v1/documents", "/review\\@evil", undefined, 3]) expect(safeNext(bad)).toBe("/review");
  });
});

describe("login rate limiting", () => {
  it("locks a user on one address after 5 failures, other users stay free, and the lock ends with the window", () => {
    let now = 0;
    const limiter = new LoginRateLimiter({ windowMs: 60_000, perUserAndIp: 5, perIp: 30, perUser: 20 }, () => now);
    for (let i = 0; i < 5; i++) limiter.fail("lan", "10.0.0.1");
    expect(limiter.retryAfter("lan", "10.0.0.1")).toBe(60);
    expect(limiter.retryAfter("LAN ", "10.0.0.1")).toBe(60);
    expect(limiter.retryAfter("minh", "10.0.0.1")).toBe(0);
    expect(limiter.retryAfter("lan", "10.0.0.2")).toBe(0);
    now = 60_001;
    expect(limiter.retryAfter("lan", "10.0.0.1")).toBe(0);
  });

  it("counts one address across user names, and one user name across addresses", () => {
    const limiter = new LoginRateLimiter({ windowMs: 60_000, perUserAndIp: 100, perIp: 3, perUser: 4 }, () => 0);
    for (const user of ["a", "b", "c"]) limiter.fail(user, "10.0.0.9");
    expect(limiter.retryAfter("d", "10.0.0.9")).toBeGreaterThan(0);
    for (const ip of ["1", "2", "3", "4"]) limiter.fail("lan", ip);
    expect(limiter.retryAfter("lan", "5")).toBeGreaterThan(0);
  });
});

describe("review page over HTTP", () => {
  let harness: ReviewHarness;
  beforeAll(async () => {
    harness = await startReviewHarness({ workers: false });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("every review route needs a session: pages redirect to sign-in, other requests get 401", async () => {
    const { app } = harness;
    for (const url of ["/review", "/review?tab=approved", "/review/documents/some-id", "/review/documents/some-id/original", "/review/route?name=x"]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe(`/review/login?next=${encodeURIComponent(url)}`);
    }
    for (const url of ["/review/documents/some-id", "/review/documents/some-id/reject", "/review/documents/some-id/rerun", "/review/deliveries/x/replay", "/review/logout"]) {
      const res = await app.inject({ method: "POST", url, headers: { "content-type": "application/json" }, payload: "{}" });
      expect(res.statusCode, url).toBe(401);
    }
    expect((await app.inject({ url: "/review", headers: { accept: "application/json" } })).statusCode).toBe(401);
    // A forged or foreign session cookie is no session.
    expect((await app.inject({ url: "/review", headers: { cookie: "vanthu_session=abc.def" } })).statusCode).toBe(303);
  });

  it("sign-in sets an HttpOnly, SameSite=Strict session cookie scoped to /review, and the pages carry a strict CSP", async () => {
    const { app } = harness;
    const page = await app.inject({ url: "/review/login" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toBe(REVIEW_CSP);
    expect(REVIEW_CSP).toContain("script-src 'self'");
    expect(REVIEW_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.body).not.toMatch(/<script(?![^>]*\b(src|type="application\/json")=?)/);
    const res = await app.inject({
      method: "POST",
      url: "/review/login",
      headers: { cookie: cookiesOf(page), "content-type": FORM },
      payload: form({ _csrf: csrfOf(page.body), user: REVIEWER.user, password: REVIEWER.password, next: "/review?tab=approved" }),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/review?tab=approved");
    const cookies = ([] as string[]).concat(res.headers["set-cookie"] as string | string[]);
    const session = cookies.find((c) => c.startsWith("vanthu_session="))!;
    expect(session).toMatch(/; Path=\/review/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/; HttpOnly/);
    // Plain http and secureCookies "auto": no Secure flag (the browser would drop the cookie).
    expect(session).not.toMatch(/Secure/);
    const inbox = await app.inject({ url: "/review", headers: { cookie: cookiesOf(res) } });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(`${REVIEWER.user} (người duyệt)`);
  });

  it("a sign-in replaces the session the browser had (no session fixation)", async () => {
    const { app } = harness;
    const before = await signIn(app, REVIEWER);
    const page = await app.inject({ url: "/review/login?next=/review", headers: { cookie: before.cookie } });
    // Signed in already: the sign-in page sends the reviewer on.
    expect(page.statusCode).toBe(303);
    const form = await app.inject({ url: "/review/login" });
    const again = await app.inject({
      method: "POST",
      url: "/review/login",
      headers: { cookie: `${before.cookie}; ${cookiesOf(form)}`, "content-type": FORM },
      payload: new URLSearchParams({ _csrf: csrfOf(form.body), user: ADMIN.user, password: ADMIN.password }).toString(),
    });
    expect(again.statusCode).toBe(303);
    const after = cookiesOf(again);
    expect(after).toMatch(/^vanthu_session=/);
    expect(after).not.toBe(before.cookie);
    expect((await app.inject({ url: "/review", headers: { cookie: before.cookie } })).statusCode).toBe(303);
    expect((await app.inject({ url: "/review", headers: { cookie: after } })).body).toContain("minh (quản trị)");
  });

  it("sets Secure on the cookies when configured for a TLS proxy", async () => {
    const secure = await startReviewHarness({ workers: false, overrides: { "review.secureCookies": "always" } });
    try {
      const page = await secure.app.inject({ url: "/review/login" });
      expect(String(page.headers["set-cookie"])).toMatch(/vanthu_login=[^;]+;.*Secure/);
      const res = await secure.app.inject({
        method: "POST",
        url: "/review/login",
        headers: { cookie: cookiesOf(page), "content-type": FORM },
        payload: form({ _csrf: csrfOf(page.body), user: REVIEWER.user, password: REVIEWER.password }),
      });
      expect(([] as string[]).concat(res.headers["set-cookie"] as string[]).find((c) => c.startsWith("vanthu_session="))).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });

  it("refuses a sign-in without the form's token, with a wrong password, and after too many failures", async () => {
    const { app } = harness;
    const page = await app.inject({ url: "/review/login" });
    const noToken = await app.inject({ method: "POST", url: "/review/login", headers: { cookie: cookiesOf(page), "content-type": FORM }, payload: form({ user: REVIEWER.user, password: REVIEWER.password }) });
    expect(noToken.statusCode).toBe(403);
    const attempt = (password: string, user = ADMIN.user) =>
      // From an address of its own: the lock must not spill over into the other tests' sign-ins.
      app.inject({ method: "POST", url: "/review/login", remoteAddress: "192.0.2.7", headers: { cookie: cookiesOf(page), "content-type": FORM }, payload: form({ _csrf: csrfOf(page.body), user, password }) });
    const unknown = await attempt("x", "nobody");
    const wrong = await attempt("wrong");
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    // The same answer for an unknown user and a wrong password.
    expect(wrong.body).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
    expect(unknown.body).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
    for (let i = 0; i < 4; i++) await attempt("wrong");
    const locked = await attempt(ADMIN.password);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("state changes need the session's CSRF token and a same-origin request", async () => {
    const { app } = harness;
    const { cookie, csrf } = await signIn(app, REVIEWER);
    const logout = (headers: Record<string, string>, payload: Record<string, string>) =>
      app.inject({ method: "POST", url: "/review/logout", headers: { cookie, "content-type": FORM, ...headers }, payload: form(payload) });
    expect((await logout({}, {})).statusCode).toBe(403);
    expect((await logout({}, { _csrf: `${csrf}x` })).statusCode).toBe(403);
    expect((await logout({ "x-csrf-token": "wrong" }, {})).statusCode).toBe(403);
    expect((await logout({ origin: "https://evil.example" }, { _csrf: csrf })).statusCode).toBe(403);
    expect((await logout({ "sec-fetch-site": "cross-site" }, { _csrf: csrf })).statusCode).toBe(403);
    // Another reviewer's token is not this session's.
    const other = await signIn(app, ADMIN);
    expect((await logout({}, { _csrf: other.csrf })).statusCode).toBe(403);
    const ok = await logout({ "sec-fetch-site": "same-origin" }, { _csrf: csrf });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe("/review/login?out=1");
    // The session ended in the store: the old cookie is worthless.
    expect((await app.inject({ url: "/review", headers: { cookie } })).statusCode).toBe(303);
  });

  it("re-running extraction and replaying deliveries are for admins", async () => {
    const { app } = harness;
    const { cookie, csrf } = await signIn(app, REVIEWER);
    const headers = { cookie, "content-type": FORM };
    expect((await app.inject({ method: "POST", url: "/review/documents/x/rerun", headers, payload: form({ _csrf: csrf, from: "to_review" }) })).statusCode).toBe(403);
    expect((await app.inject({ method: "POST", url: "/review/deliveries/x/replay", headers, payload: form({ _csrf: csrf }) })).statusCode).toBe(403);
    const admin = await signIn(app, ADMIN);
    const rerun = await app.inject({ method: "POST", url: "/review/documents/x/rerun", headers: { cookie: admin.cookie, "content-type": FORM }, payload: form({ _csrf: admin.csrf, from: "to_review" }) });
    expect(rerun.statusCode).toBe(404);
  });

  it("switches the language to English and back, only ever redirecting inside /review", async () => {
    const { app } = harness;
    const res = await app.inject({ url: "/review/lang/en?back=/review/login" });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/review/login");
    const page = await app.inject({ url: "/review/login", headers: { cookie: cookiesOf(res) } });
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain("Sign in");
    expect((await app.inject({ url: "/review/lang/en?back=https://evil.example" })).headers.location).toBe("/review");
    expect((await app.inject({ url: "/review/login?lang=vi" })).body).toContain("Đăng nhập");
  });

  it("serves its assets (pdf.js included) from vanthu, and nothing outside the list", async () => {
    const { app } = harness;
    for (const asset of ["review.css", "review/document.js", "review/viewer.js", "pdfjs/pdf.min.mjs", "pdfjs/pdf.worker.min.mjs", "pdfjs/cmaps/UniGB-UCS2-H.bcmap"]) {
      const res = await app.inject({ url: `/review/assets/${asset}` });
      expect(res.statusCode, asset).toBe(200);
    }
    expect((await app.inject({ url: "/review/assets/review/document.js" })).headers["content-type"]).toMatch(/^text\/javascript/);
    for (const bad of ["../package.json", "..%2F..%2Fpackage.json", "pdfjs/../../package.json", "%2e%2e/%2e%2e/package.json"]) {
      expect((await app.inject({ url: `/review/assets/${bad}` })).statusCode, bad).toBe(404);
    }
  });
});

describe("without reviewer accounts", () => {
  it("the review page does not exist at all", async () => {
    const harness = await startReviewHarness({ workers: false, overrides: { "review.reviewers": [] } });
    try {
      const res = await harness.app.inject({ url: "/review/login" });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: "not_found" });
    } finally {
      await harness.close();
    }
  });
});
