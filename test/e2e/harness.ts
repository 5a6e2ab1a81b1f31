import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { createRuntime, type Runtime } from "../../pipeline/runtime.ts";
import { buildServer } from "../../pipeline/server/app.ts";
import { hashPassword } from "../../pipeline/review/password.ts";
import type { ReviewerAccount } from "../../schemas/review.ts";
import { quietLogger, root, tempDir, testConfig } from "../pipeline/helpers.ts";

/**
 * A whole vanthu for review tests: the pipeline (SQLite in a temp dir,
 * in-process queues, extraction workers), the HTTP server on a free port,
 * reviewer accounts, the example org directory and, when given, an endpoint
 * at a test webhook receiver whose secret is in an environment variable.
 */
export const REVIEWER = { user: "lan", password: "mật-khẩu-thử-1" };
export const ADMIN = { user: "minh", password: "quản-trị-thử-2" };

/** A cheap scrypt cost for tests: verification reads the cost from the hash, so the code path is the same. */
const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };

export interface ReviewHarness {
  runtime: Runtime;
  app: FastifyInstance;
  baseUrl: string;
  webhookSecret: string;
  close(): Promise<void>;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export async function startReviewHarness(
  options: { endpointUrl?: string; webhookSecret?: string; workers?: boolean; overrides?: Record<string, unknown> } = {},
): Promise<ReviewHarness> {
  const secretEnv = `VANTHU_TEST_REVIEW_SECRET_${randomBytes(3).toString("hex")}`;
  const webhookSecret = options.webhookSecret ?? newWebhookSecret();
  process.env[secretEnv] = webhookSecret;
  const reviewers: ReviewerAccount[] = [
    { user: REVIEWER.user, role: "reviewer", passwordHash: await hashPassword(REVIEWER.password, TEST_COST) },
    { user: ADMIN.user, role: "admin", passwordHash: await hashPassword(ADMIN.password, TEST_COST) },
  ];
  const config = testConfig(await tempDir("review"), {
    orgDirectory: join(root, "fixtures/org-directory.example.json"),
    "review.reviewers": reviewers,
    "review.sessionSecret": randomBytes(32).toString("base64url"),
    ...(options.endpointUrl ? { endpoints: [{ id: "tracker", url: options.endpointUrl, secretEnv, timeoutMs: 2000, retrySchedule: [0, 0.3, 0.5, 1] }] } : {}),
    ...options.overrides,
  });
  const runtime = await createRuntime(config, { logger: quietLogger });
  if (options.workers !== false) await runtime.startWorkers();
  const app = await buildServer(runtime.services);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    runtime,
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    webhookSecret,
    async close() {
      await app.close();
      await runtime.stop();
      delete process.env[secretEnv];
    },
  };
}

/** The cookies a response sets, as a Cookie header value (name=value pairs). */
export function cookiesOf(response: { headers: Record<string, unknown> }): string {
  const set = response.headers["set-cookie"];
  const list = set === undefined ? [] : Array.isArray(set) ? (set as string[]) : [String(set)];
  return list.map((c) => c.split(";")[0]!).filter((c) => !c.endsWith("=")).join("; ");
}

/** The CSRF token a page carries (meta tag or hidden field). */
export function csrfOf(html: string): string {
  const token = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF token on the page");
  return token;
}

/** Signs in through the sign-in form as a browser would; returns the session cookie and the session's CSRF token. */
export async function signIn(app: FastifyInstance, account: { user: string; password: string }): Promise<{ cookie: string; csrf: string }> {
  const form = await app.inject({ url: "/review/login" });
  const login = await app.inject({
    method: "POST",
    url: "/review/login",
    headers: { cookie: cookiesOf(form), "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: csrfOf(form.body), user: account.user, password: account.password, next: "/review" }).toString(),
  });
  if (login.statusCode !== 303) throw new Error(`sign-in failed: ${login.statusCode}`);
  const cookie = cookiesOf(login);
  const inbox = await app.inject({ url: "/review", headers: { cookie } });
  return { cookie, csrf: csrfOf(inbox.body) };
}
