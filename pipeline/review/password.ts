import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Reviewer passwords: scrypt (RFC 7914) from node:crypto, no dependency.
 * A hash is `scrypt$N$r$p$<salt base64>$<key base64>` so the cost can be raised
 * later without invalidating old hashes: verification reads the parameters
 * from the hash itself.
 *
 * N = 2^15, r = 8, p = 1 is OWASP's scrypt recommendation; one verification
 * takes about 50-100 ms and 32 MiB, which is what makes guessing slow.
 */
const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** Bounds for parameters read from a hash: a hostile configuration must not make sign-in allocate gigabytes. */
const MAX_N = 2 ** 20;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(password.normalize("NFC"), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
}

function memoryFor(N: number, r: number, p: number): number {
  // scrypt needs 128·N·r·p bytes (plus a little); node's default cap is 32 MiB, exactly the default cost.
  return 128 * N * r * p + 16 * 1024 * 1024;
}

export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  if (!password) throw new Error("the password is empty");
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...cost, maxmem: memoryFor(cost.N, cost.r, cost.p) });
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(hash: string): ParsedHash | null {
  const parts = hash.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const valid = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0 && N <= MAX_N && Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16;
  if (!valid) return null;
  const salt = Buffer.from(parts[4]!, "base64");
  const key = Buffer.from(parts[5]!, "base64");
  if (salt.length < 8 || key.length < 16) return null;
  return { N, r, p, salt, key };
}

export function isPasswordHash(hash: string): boolean {
  return parseHash(hash) !== null;
}

/** Made once: verifying against it costs as much as a real hash, so an unknown user name takes as long as a wrong password. */
let decoy: Promise<string> | undefined;

/**
 * Whether `password` matches `hash`, compared in constant time. With
 * `hash === null` (no such user) a decoy hash is checked, so the answer
 * takes the same time either way and always is false.
 */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  const parsed = parseHash(hash ?? (await decoy));
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.key.length, { N: parsed.N, r: parsed.r, p: parsed.p, maxmem: memoryFor(parsed.N, parsed.r, parsed.p) });
  return timingSafeEqual(key, parsed.key) && hash !== null;
}
