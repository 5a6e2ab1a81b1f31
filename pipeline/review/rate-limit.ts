/**
 * Sign-in attempts per time window, in memory: failures by user name and
 * address together, by address alone (one machine trying many names) and by
 * user name alone (many machines trying one account). A success clears the
 * user's and the pair's counts. Memory per process: behind several server
 * processes each one counts for itself, which still bounds guessing.
 */
export interface LoginLimits {
  windowMs: number;
  perUserAndIp: number;
  perIp: number;
  perUser: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { windowMs: 15 * 60_000, perUserAndIp: 5, perIp: 30, perUser: 20 };
/** Keys remembered at most; beyond it the oldest are forgotten (a flood of names must not exhaust memory). */
const MAX_KEYS = 10_000;

export class LoginRateLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  #keys(user: string, ip: string): [string, number][] {
    const name = user.trim().toLowerCase();
    return [
      [`pair:${name}|${ip}`, this.limits.perUserAndIp],
      [`ip:${ip}`, this.limits.perIp],
      [`user:${name}`, this.limits.perUser],
    ];
  }

  #recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (this.#failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.#failures.set(key, list);
    else this.#failures.delete(key);
    return list;
  }

  /** Seconds to wait before the next attempt, or 0 when one is allowed now. */
  retryAfter(user: string, ip: string): number {
    let wait = 0;
    for (const [key, limit] of this.#keys(user, ip)) {
      const list = this.#recent(key);
      if (list.length >= limit) wait = Math.max(wait, Math.ceil((list[list.length - limit]! + this.limits.windowMs - this.now()) / 1000));
    }
    return wait;
  }

  fail(user: string, ip: string): void {
    for (const [key] of this.#keys(user, ip)) {
      const list = this.#recent(key);
      list.push(this.now());
      this.#failures.delete(key);
      this.#failures.set(key, list);
    }
    while (this.#failures.size > MAX_KEYS) this.#failures.delete(this.#failures.keys().next().value!);
  }

  succeed(user: string, ip: string): void {
    const [pair, , byUser] = this.#keys(user, ip);
    this.#failures.delete(pair![0]);
    this.#failures.delete(byUser![0]);
  }
}
