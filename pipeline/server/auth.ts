import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { sendProblem } from "./errors.ts";

/**
 * API-key authentication. Keys come from config.http.apiKeys (the
 * environment). With no key configured the API refuses everything (503):
 * an ingest endpoint is never open by default.
 *
 * Keys are compared as SHA-256 digests with timingSafeEqual, against every
 * configured key without stopping at the first match, so neither the length
 * nor the content of a key leaks through timing.
 */

export const DASHBOARD_USER = "admin";

export function keyMatches(candidate: string, keys: readonly string[]): boolean {
  const digest = createHash("sha256").update(candidate, "utf8").digest();
  let matched = false;
  for (const key of keys) {
    const expected = createHash("sha256").update(key, "utf8").digest();
    // Bitwise OR keeps the loop the same length whatever matched.
    matched = timingSafeEqual(digest, expected) || matched;
  }
  return matched;
}

/** The key a request presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers["x-api-key"];
  if (typeof header === "string" && header !== "") return header;
  const authorization = request.headers.authorization;
  const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return bearer?.[1] ?? null;
}

/** The password of `Authorization: Basic` for user "admin" (browsers can only send Basic). */
export function basicPassword(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  const basic = authorization ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization) : null;
  if (!basic?.[1]) return null;
  const decoded = Buffer.from(basic[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0 || decoded.slice(0, colon) !== DASHBOARD_USER) return null;
  return decoded.slice(colon + 1);
}

// The hooks answer the refusal themselves rather than throw: a route of a plugin with its own error
// handler (bull-board has one) would otherwise answer in its format and drop WWW-Authenticate.
function noKeyConfigured(reply: FastifyReply): FastifyReply {
  return sendProblem(reply, 503, "no_api_key", "no API key configured: set VANTHU_API_KEYS (the API refuses every request without one)");
}

/** onRequest hook for the API: Bearer or X-API-Key. */
export function requireApiKey(keys: readonly string[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (keys.length === 0) return noKeyConfigured(reply);
    const key = presentedKey(request);
    if (key !== null && keyMatches(key, keys)) return undefined;
    reply.header("www-authenticate", 'Bearer realm="vanthu"');
    return sendProblem(reply, 401, "unauthorized", key === null ? "an API key is required (Authorization: Bearer <key> or X-API-Key)" : "the API key is not valid");
  };
}

/** onRequest hook for the dashboard: Basic admin:<key> (browsers), or the API-key headers (scripts). */
export function requireDashboardAuth(keys: readonly string[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (keys.length === 0) return noKeyConfigured(reply);
    const key = basicPassword(request) ?? presentedKey(request);
    if (key !== null && keyMatches(key, keys)) return undefined;
    reply.header("www-authenticate", 'Basic realm="vanthu queues", charset="UTF-8"');
    return sendProblem(reply, 401, "unauthorized", "sign in as admin with an API key as the password");
  };
}
