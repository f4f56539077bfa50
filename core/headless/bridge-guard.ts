// Bridge admission: the per-run token, Host/Origin checks, and the failed-authentication limit per remote address.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export const newToken = (): string => randomBytes(32).toString('base64url');

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(expected: string, given: unknown): boolean {
  return typeof given === 'string' && given.length > 0 && timingSafeEqual(digest(expected), digest(given));
}

/** Loopback addresses (127.0.0.0/8 as an IP literal, ::1, IPv4-mapped ones) and the name localhost; never other names. */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  return a === 'localhost' || a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}

/**
 * The Host header must name this server (defeats DNS rebinding); with allowRemote any host is accepted.
 * Returns the origin a same-origin browser page would send, or undefined when the Host is refused.
 */
export function expectedOrigin(hostHeader: string | undefined, port: number, bound: string, allowRemote: boolean): string | undefined {
  if (!hostHeader || !/^[A-Za-z0-9.\-[\]:]+$/.test(hostHeader)) return undefined;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!m || Number(m[2] ?? 80) !== port) return undefined;
  const name = m[1]!.replace(/^\[|\]$/g, '');
  if (!allowRemote && !isLoopback(name) && name !== bound) return undefined;
  return `http://${hostHeader}`;
}

/**
 * Same-origin browsers only; no Origin at all is a non-browser client (it still needs the token). With remote access
 * the https form of the same origin is accepted too (a TLS-terminating proxy in front of the bridge).
 */
export const originAllowed = (origin: string | undefined, expected: string, allowRemote: boolean): boolean =>
  origin === undefined || origin === expected || (allowRemote && origin === expected.replace(/^http:/, 'https:'));

/** Counts failed authentications per remote address; after `max` within `windowMs` the address is refused. */
export class AuthLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  blocked(address: string): boolean {
    const f = this.failures.get(address);
    if (!f) return false;
    if (this.now() - f.since > this.windowMs) {
      this.failures.delete(address);
      return false;
    }
    return f.count >= this.max;
  }

  fail(address: string): void {
    if (this.failures.size >= 10_000) this.prune();
    const f = this.failures.get(address);
    if (!f || this.now() - f.since > this.windowMs) this.failures.set(address, { count: 1, since: this.now() });
    else f.count++;
  }

  /** Bounds memory when many addresses fail (remote mode): forgets expired entries, then the oldest. */
  private prune(): void {
    const t = this.now();
    for (const [a, f] of this.failures) if (t - f.since > this.windowMs) this.failures.delete(a);
    while (this.failures.size >= 10_000) this.failures.delete(this.failures.keys().next().value!);
  }
}
