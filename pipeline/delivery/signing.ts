import { createHmac } from "node:crypto";

/**
 * Standard Webhooks signing (symmetric, "v1"): HMAC-SHA256 over
 * "<webhook-id>.<webhook-timestamp>.<raw body>", base64, one "v1,<sig>"
 * per secret, space-separated. Secrets are "whsec_<base64 key>".
 */

const PREFIX = "whsec_";
// The spec asks for 24..64 random bytes; a shorter key is a configuration
// mistake worth catching before we sign anything with it.
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The HMAC keys in an endpoint's secret variable: "whsec_..." values separated
 * by spaces and/or commas (two while a secret is being rotated). Errors name the
 * position of the bad secret, never its text, so they are safe to log.
 */
export function parseSecrets(value: string): Uint8Array[] {
  const parts = value.split(/[\s,]+/).filter((part) => part !== "");
  if (parts.length === 0) throw new Error("webhook secret: none given (expected whsec_<base64>)");
  return parts.map((part, index) => {
    const where = `webhook secret ${index + 1} of ${parts.length}`;
    if (!part.startsWith(PREFIX)) throw new Error(`${where}: does not start with "${PREFIX}"`);
    const encoded = part.slice(PREFIX.length);
    // Buffer.from(…, "base64") silently skips bad characters, so check the alphabet first.
    if (!BASE64.test(encoded) || encoded.length % 4 === 1) throw new Error(`${where}: the part after "${PREFIX}" is not base64`);
    const key = Buffer.from(encoded, "base64");
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      throw new Error(`${where}: key is ${key.length} bytes, Standard Webhooks requires ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES}`);
    }
    return new Uint8Array(key);
  });
}

/**
 * The webhook-signature header value: one "v1,<base64>" per secret, so a
 * receiver that knows either the old or the new secret verifies during rotation.
 * `body` must be the exact bytes sent: the signature covers them, not the JSON.
 */
export function signatureHeader(secrets: readonly Uint8Array[], id: string, timestampSeconds: number, body: string | Uint8Array): string {
  // Never send an unsigned delivery because the configuration lost its secrets.
  if (secrets.length === 0) throw new Error("webhook signing: no secrets");
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) throw new Error("webhook signing: timestamp must be whole unix seconds");
  return secrets
    .map((key) => {
      const mac = createHmac("sha256", key);
      mac.update(`${id}.${timestampSeconds}.`);
      mac.update(body);
      return `v1,${mac.digest("base64")}`;
    })
    .join(" ");
}
